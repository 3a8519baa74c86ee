// Issue 16's review in the portal, in Chromium: the server operator's page at /operator. A wrong
// token is refused (401) and an organisation's API token too (403), in English and French, and
// nothing is kept; the operator token is kept in the tab's sessionStorage only (no cookie, no
// localStorage) until "forget". An application filed through the API is questioned on the page,
// answered by the applicant on their status page (the answer shows on the operator's page without
// a click), and approved: each step is visible to both. Another is rejected with a reason (a
// missing reason pointed at), the list filters by state and pages, and a terms version is published.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningOrchard } from '../../src/server.js';
import { contrastProblems, launchBrowser, newPortalPage, screenshots, startPortalOrchard } from '../support/browser.js';
import { latestMail, linkIn } from '../support/outbox.js';
import { PEAR } from '../support/signup.js';

const TOKEN_KEY = 'orchard.operatorToken';

describe('browser: the operator reviews sign-up applications (issue 16)', function () {
  let orchard: RunningOrchard & { adminEmail: string; adminPassword: string };
  let browser: Browser;
  let adminToken: string;
  let operatorToken: string;
  const api = async (method: string, p: string, token: string | undefined, body?: unknown) => {
    const res = await fetch(`${orchard.url}/api/v1${p}`, {
      method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const apply = (app: typeof PEAR) => api('POST', '/signup', undefined, app);
  /** Where the token could be kept: this tab's sessionStorage, localStorage, cookies. */
  const kept = async (context: BrowserContext, page: Page) => ({
    session: await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`) as string | null,
    local: await page.evaluate('JSON.stringify({ ...localStorage })') as string,
    cookies: JSON.stringify(await context.cookies()),
  });
  const useToken = async (page: Page, token: string) => {
    await page.getByLabel(/^(Operator token|Jeton d’opérateur)/).fill(token);
    await page.getByRole('button', { name: /^(Use the token|Utiliser le jeton)$/ }).click();
  };

  before(async () => {
    [orchard, browser] = await Promise.all([startPortalOrchard(), launchBrowser()]);
    adminToken = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    operatorToken = fs.readFileSync(orchard.operatorTokenFile, 'utf8').trim();
  });
  after(async () => {
    await browser?.close();
    await orchard?.close();
  });

  it('refuses a wrong token (401) and an organisation\'s API token (403), in English and French, and keeps neither', async () => {
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await page.goto('/operator');
    await page.getByRole('heading', { level: 1, name: 'Review of applications' }).waitFor();
    await page.getByRole('button', { name: 'Use the token' }).click();
    await page.getByRole('alert').filter({ hasText: 'Paste the operator token first.' }).waitFor();

    await useToken(page, 'orch_op_not-the-operators');
    await page.getByRole('alert').filter({ hasText: 'Orchard does not know this token (401): the API token is missing, malformed, expired or revoked' }).waitFor();
    await useToken(page, adminToken);
    await page.getByRole('alert').filter({ hasText: /^This token is not the operator's \(403\): only the server operator's token/ }).waitFor();
    assert.equal(await page.getByRole('table').count(), 0, 'no application is shown');
    const nothing = await kept(context, page);
    assert.equal(nothing.session, null);
    assert.ok(!nothing.local.includes(adminToken) && !nothing.cookies.includes(adminToken));
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on the refused token');
    await screenshots(page, 'operator-token-refused');

    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Examen des demandes' }).waitFor();
    await useToken(page, 'orch_op_still-not-it');
    await page.getByRole('alert').filter({ hasText: 'Orchard ne connaît pas ce jeton (401)' }).waitFor();
    await useToken(page, adminToken);
    await page.getByRole('alert').filter({ hasText: 'Ce jeton n’est pas celui de l’opérateur (403)' }).waitFor();
    assert.equal((await kept(context, page)).session, null);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('asks the applicant a question, shows the answer when they reply, approves; each step is visible to both, and the token is forgotten', async () => {
    const filed = await apply(PEAR);
    const status = linkIn(await latestMail(orchard.deps, PEAR.email, 'signup_status'), /\/signup\/status/);
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await page.goto('/operator');
    await useToken(page, operatorToken);
    const list = page.getByRole('table', { name: 'Applications' });
    const row = list.getByRole('row').filter({ hasText: PEAR.legal_name });
    await row.filter({ hasText: 'Submitted: to review' }).waitFor();
    // Kept in this tab's sessionStorage only: no cookie, nothing in localStorage; a reload keeps it.
    const where = await kept(context, page);
    assert.equal(where.session, operatorToken);
    assert.ok(!where.local.includes(operatorToken), 'not in localStorage');
    assert.ok(!where.cookies.includes(operatorToken), 'not in a cookie');
    await page.reload();
    await row.waitFor();
    assert.equal(await page.getByLabel(/^Operator token/).count(), 0);

    // The state filter: none approved yet; submitted shows it.
    const filter = page.getByRole('combobox', { name: 'State' });
    await filter.selectOption({ label: 'Approved: waiting for the validation contact' });
    await list.getByText('Nothing to show.').waitFor();
    await filter.selectOption({ label: 'Submitted: to review' });
    await row.waitFor();

    await row.getByRole('button', { name: `Review ${PEAR.legal_name}` }).click();
    const review = page.getByRole('region', { name: `Application of ${PEAR.legal_name}` });
    await review.getByText(PEAR.duns_number, { exact: true }).waitFor();
    await review.getByText(`${PEAR.validation_contact.name} (${PEAR.validation_contact.email})`).waitFor();
    await review.getByRole('listitem').filter({ hasText: 'the applicant, applied' }).waitFor();
    // A question needs its text: the field says so, nothing changes.
    await review.getByRole('button', { name: 'Ask the question' }).click();
    await review.getByRole('textbox', { name: 'A question for the applicant' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    assert.equal((await api('GET', `/operator/signup-applications/${filed.id}`, operatorToken)).state, 'submitted');
    await review.getByRole('textbox', { name: 'A question for the applicant' }).fill('Which depots will enrol devices?');
    await review.getByRole('button', { name: 'Ask the question' }).click();
    await review.getByRole('status').filter({ hasText: 'The question was sent to the applicant.' }).waitFor();
    await review.locator('dd[data-state="question"]').waitFor();
    await review.getByRole('listitem').filter({ hasText: 'the operator, asked a question “Which depots will enrol devices?”' }).waitFor();
    await review.getByText('Waiting for the applicant\'s answer').waitFor();
    assert.equal(await review.getByRole('button', { name: 'Approve' }).count(), 0, 'no approval while a question is open');

    // The applicant, from their mailed status link, sees the question and answers it.
    const applicant = await newPortalPage(browser, orchard.url);
    await applicant.page.goto(`${status.pathname}${status.hash}`);
    await applicant.page.getByText('Which depots will enrol devices?').waitFor();
    await applicant.page.getByRole('textbox', { name: 'Your answer' }).fill('London and Leeds.');
    await applicant.page.getByRole('button', { name: 'Send the answer' }).click();
    await applicant.page.getByRole('status').filter({ hasText: 'Your answer was sent' }).waitFor();

    // The operator's page shows the answer without a click, and the application back under review.
    await review.getByText('London and Leeds.', { exact: true }).waitFor({ timeout: 15_000 });
    await review.locator('dd[data-state="submitted"]').waitFor();
    await review.getByRole('listitem').filter({ hasText: 'the applicant, answered “London and Leeds.”' }).waitFor();
    await review.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog').getByText(`Approve the application of ${PEAR.legal_name}?`).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await review.getByRole('status').filter({ hasText: `The application of ${PEAR.legal_name} is approved` }).waitFor();
    await review.locator('dd[data-state="approved"]').waitFor();
    await review.getByRole('listitem').filter({ hasText: 'the operator, approved' }).waitFor();
    const approved = await api('GET', `/operator/signup-applications/${filed.id}`, operatorToken);
    assert.deepEqual([approved.state, approved.answer], ['approved', 'London and Leeds.']);
    await latestMail(orchard.deps, PEAR.validation_contact.email, 'signup_validation');
    // The list follows: under "submitted" it is gone; under "approved" it is there.
    await row.waitFor({ state: 'detached' });
    await filter.selectOption({ label: 'Approved: waiting for the validation contact' });
    await row.waitFor();
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on the operator\'s page');
    await screenshots(page, 'operator-review', review);

    // The applicant sees the same steps.
    await applicant.page.reload();
    await applicant.page.locator('[data-state="approved"]').waitFor();
    await applicant.page.getByRole('listitem').filter({ hasText: 'the reviewer asked a question' }).waitFor();
    await applicant.page.getByRole('listitem').filter({ hasText: 'approved' }).waitFor();
    assert.deepEqual(applicant.errors, []);
    await applicant.context.close();

    // Forget: the token leaves the tab's storage and the page asks for it again.
    await page.getByRole('button', { name: 'Forget the token' }).click();
    await page.getByLabel(/^Operator token/).waitFor();
    assert.equal((await kept(context, page)).session, null);
    await page.reload();
    await page.getByLabel(/^Operator token/).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('rejects with a reason, pages through the list by state, and publishes a new terms version', async () => {
    // Ten earlier applications of Apfelbaum, each rejected through the API; then one of Pomme.
    const apfel = { ...PEAR, legal_name: 'Apfelbaum GmbH', address: 'Apfelweg 3, 10115 Berlin, DE', duns_number: '150099887', email: 'anna@apfelbaum.test', validation_contact: { name: 'Vera', email: 'vera@apfelbaum.test' } };
    for (let i = 0; i < 10; i++) {
      const a = await apply(apfel);
      await api('POST', `/operator/signup-applications/${a.id}/reject`, operatorToken, { reason: `duplicate ${i}` });
    }
    const pomme = await apply({ ...PEAR, legal_name: 'Pomme Industries SAS', address: '12 rue des Vergers, 75002 Paris, FR', duns_number: '210077665', email: 'pierre@pomme.test', validation_contact: { name: 'Val', email: 'val@pomme.test' } });

    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await page.goto('/operator');
    await useToken(page, operatorToken);
    const list = page.getByRole('table', { name: 'Applications' });
    await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Submitted: to review' });
    await list.getByRole('button', { name: 'Review Pomme Industries SAS' }).click();
    const review = page.getByRole('region', { name: 'Application of Pomme Industries SAS' });
    // A rejection needs its reason: pointed at, nothing changes.
    await review.getByRole('button', { name: 'Reject' }).click();
    await review.getByRole('textbox', { name: 'Reason for rejecting' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    assert.equal((await api('GET', `/operator/signup-applications/${pomme.id}`, operatorToken)).state, 'submitted');
    await review.getByRole('textbox', { name: 'Reason for rejecting' }).fill('The D-U-N-S record is under dispute.');
    await review.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await review.getByRole('status').filter({ hasText: 'The application of Pomme Industries SAS is rejected.' }).waitFor();
    await review.locator('dd[data-state="rejected"]').waitFor();
    await review.getByText('The D-U-N-S record is under dispute.', { exact: true }).waitFor();
    const rejected = await api('GET', `/operator/signup-applications/${pomme.id}`, operatorToken);
    assert.deepEqual([rejected.state, rejected.decision_reason], ['rejected', 'The D-U-N-S record is under dispute.']);
    assert.match((await latestMail(orchard.deps, 'pierre@pomme.test', 'signup_status')).body, /under dispute/);

    // Eleven rejected, ten a page, oldest first: Pomme is alone on the second page.
    await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'Rejected' });
    await list.getByRole('row').filter({ hasText: 'Apfelbaum GmbH' }).nth(9).waitFor();
    assert.equal(await list.getByRole('row').filter({ hasText: 'Pomme Industries SAS' }).count(), 0);
    await page.getByRole('button', { name: 'Next page' }).click();
    await list.getByRole('row').filter({ hasText: 'Pomme Industries SAS' }).waitFor();
    assert.equal(await list.getByRole('row').filter({ hasText: 'Apfelbaum GmbH' }).count(), 0);
    assert.ok(await page.getByRole('button', { name: 'Next page' }).isDisabled());
    await page.getByRole('button', { name: 'First page' }).click();
    await list.getByRole('row').filter({ hasText: 'Apfelbaum GmbH' }).nth(9).waitFor();

    // Terms: the current version, a summary needed, then a new version every organisation must accept.
    const terms = page.getByRole('region', { name: 'Terms and conditions' });
    const before = await api('GET', '/operator/terms', operatorToken);
    await terms.getByText(`Version ${before.version}, published`).waitFor();
    await terms.getByRole('button', { name: 'Publish a new terms version' }).click();
    await terms.getByRole('textbox', { name: 'What the new version changes' }).and(page.locator('[aria-invalid="true"]')).waitFor();
    await terms.getByRole('textbox', { name: 'What the new version changes' }).fill('Version 2: data processing annex');
    await terms.getByRole('button', { name: 'Publish a new terms version' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await terms.getByRole('status').filter({ hasText: `Version ${before.version + 1} is published` }).waitFor();
    await terms.getByText(`Version ${before.version + 1}, published`).filter({ hasText: 'data processing annex' }).waitFor();
    assert.equal((await api('GET', '/operator/terms', operatorToken)).version, before.version + 1);
    // The demo organisation now has terms to accept: its writes wait for an Administrator.
    const org = await api('GET', '/organisation', adminToken);
    assert.equal(org.terms.accepted, false);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
