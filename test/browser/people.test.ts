// Issue 16 in the portal, through the UI in Chromium: sign-up (refusals at their fields, the
// applicant's status page and answer, the validation contact's confirmation, activation) up to the
// new Administrator signed in and accepting new terms and the Apps and Books terms; an invitation
// from its mail to the first sign-in (policy refusal, a used link); a domain added and verified
// against a loopback DNS stub; an account created, edited, deactivated, reactivated and
// deleted on the People page; a location renamed and deleted (refused while in use); a domain
// federated with a real OpenID Connect provider (oidc-provider on loopback: conflicts, migration,
// enabling) and a first sign-in through it from the sign-in page. The operator's review (a question,
// the approval, new terms) is on the operator's page, /operator, in a tab of its own (test/browser/operator.test.ts
// holds the rest of that page).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunningOrchard } from '../../src/server.js';
import { contrastProblems, launchBrowser, newPortalPage, screenshots, signIn, startPortalOrchard } from '../support/browser.js';
import { startDnsStub, type DnsStub } from '../support/dns-stub.js';
import { startTestProvider } from '../support/oidc-test-provider.js';
import { latestMail, linkIn } from '../support/outbox.js';
import { PEAR } from '../support/signup.js';

describe('browser: sign-up, invitations, domains and people (issue 16)', function () {
  let orchard: RunningOrchard & { adminEmail: string; adminPassword: string };
  let browser: Browser;
  let dns: DnsStub;
  let adminToken: string;
  let operatorToken: string;
  const domain = () => orchard.adminEmail.split('@')[1]!;
  const api = async (method: string, p: string, token: string, body?: unknown) => {
    const res = await fetch(`${orchard.url}/api/v1${p}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  /** The path and fragment of the newest mailed link of `kind` to `to`, for this server's address. */
  const mailedLink = async (to: string, kind: string, path: RegExp) => {
    const link = linkIn(await latestMail(orchard.deps, to, kind), path);
    return `${link.pathname}${link.hash}`;
  };
  const open = async (page: Page, link: string) => {
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: link }).waitFor();
  };
  /** The operator's page (/operator) signed in with the operator token, in a context of its own. */
  const operatorPage = async () => {
    const o = await newPortalPage(browser, orchard.url);
    await o.page.goto('/operator');
    await o.page.getByLabel(/^Operator token/).fill(operatorToken);
    await o.page.getByRole('button', { name: 'Use the token' }).click();
    await o.page.getByRole('table', { name: 'Applications' }).waitFor();
    return o;
  };
  /** The inline error of a field (tied to its input by aria-describedby), once the field is marked invalid. */
  const fieldError = async (page: Page, input: Locator) => {
    await input.and(page.locator('[aria-invalid="true"]')).waitFor();
    const ids = (await input.getAttribute('aria-describedby'))!.split(' ');
    return (await page.locator(`[id="${ids.find((i) => i.endsWith('-err'))}"]`).textContent())!;
  };

  before(async () => {
    dns = await startDnsStub();
    [orchard, browser] = await Promise.all([startPortalOrchard({ ORCHARD_DNS_SERVERS: dns.server }), launchBrowser()]);
    adminToken = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
    operatorToken = fs.readFileSync(orchard.operatorTokenFile, 'utf8').trim();
  });
  after(async () => {
    await browser?.close();
    await orchard?.close();
    await dns?.close();
  });

  it('adds a domain, shows its TXT record, and verifies it once the record is published', async () => {
    const name = 'branch.pear-browser.test';
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await open(page, 'Preferences');
    const section = page.getByRole('region', { name: 'Domains' });
    await section.getByRole('row', { name: new RegExp(`^${domain().replace(/\./g, '\\.')} verified`) }).waitFor();

    await section.getByRole('textbox', { name: /^Domain/ }).fill('not a domain');
    await section.getByRole('button', { name: 'Add the domain' }).click();
    assert.match(await fieldError(page, section.getByRole('textbox', { name: /^Domain/ })), /domain name such as example\.com/);

    await section.getByRole('textbox', { name: /^Domain/ }).fill(name);
    await section.getByRole('button', { name: 'Add the domain' }).click();
    await section.getByRole('status').filter({ hasText: `${name} was added` }).waitFor();
    const added = (await api('GET', '/domains', adminToken)).items.find((d: any) => d.name === name);
    assert.equal(added.status, 'pending');
    const row = section.getByRole('row', { name: new RegExp(`^${name.replace(/\./g, '\\.')} waiting for verification`) });
    await row.getByText(`${name} TXT "${added.txt_record.value}"`).waitFor();

    // Not yet published: the stub answers NXDOMAIN, the page says what is missing, nothing changes.
    await row.getByRole('button', { name: `Verify ${name}` }).click();
    await section.getByRole('alert').filter({ hasText: `no TXT record of ${name} holds ${added.txt_record.value}` }).waitFor();
    assert.equal((await api('GET', `/domains/${added.id}`, adminToken)).status, 'pending');

    dns.txt.set(name, [['v=spf1 -all'], [added.txt_record.value]]);
    await row.getByRole('button', { name: `Verify ${name}` }).click();
    await section.getByRole('status').filter({ hasText: `${name} is verified.` }).waitFor();
    await section.getByRole('row', { name: new RegExp(`^${name.replace(/\./g, '\\.')} verified on`) }).waitFor();
    assert.equal((await api('GET', `/domains/${added.id}`, adminToken)).status, 'verified');
    assert.ok(dns.queries.includes(name), 'Orchard asked the DNS stub');
    // The federation form now offers it.
    await page.getByRole('region', { name: 'Federated authentication' }).getByRole('combobox', { name: 'Domain' }).getByRole('option', { name }).waitFor({ state: 'attached' });
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on Preferences');
    await screenshots(page, 'preferences-domains', section);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('creates an account with names, email and location, edits, deactivates, reactivates and deletes it', async () => {
    const email = `marie.claire@${domain()}`;
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await open(page, 'People');
    const create = page.getByRole('region', { name: 'Create an account' });
    await create.getByRole('textbox', { name: /^Managed Apple ID/ }).fill('marie@elsewhere.test');
    await create.getByRole('textbox', { name: 'Given name' }).fill('Marie');
    await create.getByRole('textbox', { name: 'Middle name' }).fill('Claire');
    await create.getByRole('textbox', { name: 'Family name' }).fill('Poirier');
    await create.getByRole('textbox', { name: 'Email', exact: true }).fill('marie.poirier@mail.example');
    await create.getByRole('combobox', { name: 'Location' }).selectOption({ label: 'Headquarters' });
    await create.getByRole('checkbox', { name: 'Device Manager' }).check();
    // A Managed Apple ID outside the organisation's verified domains is refused at its field; the rest stays.
    await create.getByRole('button', { name: 'Create the account' }).click();
    assert.match(await fieldError(page, create.getByRole('textbox', { name: /^Managed Apple ID/ })), /elsewhere\.test is not a verified domain/);
    assert.equal(await create.getByRole('textbox', { name: 'Middle name' }).inputValue(), 'Claire');

    await create.getByRole('textbox', { name: /^Managed Apple ID/ }).fill(email);
    await create.getByRole('button', { name: 'Create the account' }).click();
    await create.getByRole('status').filter({ hasText: `${email} was created and invited by email.` }).waitFor();
    const table = page.getByRole('table', { name: 'People' });
    await table.getByRole('row', { name: new RegExp(`^${email.replace(/\./g, '\\.')} Marie Claire Poirier Device Manager active marie\\.poirier@mail\\.example Headquarters`) }).waitFor();
    const made = (await api('GET', '/accounts', adminToken)).items.find((a: any) => a.email === email);
    assert.equal(made.middle_name, 'Claire');
    assert.equal(made.contact_email, 'marie.poirier@mail.example');
    assert.ok(made.location_id);
    // The invitation went to the email for mail, not to the Managed Apple ID.
    await latestMail(orchard.deps, 'marie.poirier@mail.example', 'invitation');

    await page.getByRole('button', { name: `Edit ${email}` }).click();
    const edit = page.getByRole('region', { name: `Edit ${email}` });
    await edit.getByRole('textbox', { name: 'Middle name' }).fill('Clara');
    await edit.getByRole('combobox', { name: 'Location' }).selectOption({ label: 'No location' });
    await edit.getByRole('button', { name: 'Save the details' }).click();
    await edit.getByRole('status').filter({ hasText: 'Details saved.' }).waitFor();
    await table.getByRole('row', { name: new RegExp(`^${email.replace(/\./g, '\\.')} Marie Clara Poirier`) }).waitFor();
    const edited = (await api('GET', `/accounts/${made.id}`, adminToken));
    assert.equal(edited.middle_name, 'Clara');
    assert.equal(edited.location_id, null);

    // Resend the invitation: a new link, the earlier one dies.
    const firstLink = await mailedLink('marie.poirier@mail.example', 'invitation', /\/portal\/invitation/);
    await edit.getByRole('button', { name: 'Resend the invitation' }).click();
    await edit.getByRole('status').filter({ hasText: 'A new invitation was sent to' }).waitFor();
    assert.notEqual(await mailedLink('marie.poirier@mail.example', 'invitation', /\/portal\/invitation/), firstLink);

    await edit.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await edit.getByRole('status').filter({ hasText: 'The account is deactivated.' }).waitFor();
    await table.getByRole('row', { name: new RegExp(`^${email.replace(/\./g, '\\.')} .* deactivated`) }).waitFor();
    assert.equal((await api('GET', `/accounts/${made.id}`, adminToken)).active, false);
    await edit.getByRole('button', { name: 'Reactivate' }).click();
    await edit.getByRole('status').filter({ hasText: 'The account is active again.' }).waitFor();
    assert.equal((await api('GET', `/accounts/${made.id}`, adminToken)).active, true);

    await edit.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByText(`Delete ${email}?`).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await edit.waitFor({ state: 'detached' });
    await table.getByRole('row', { name: new RegExp(`^${email.replace(/\./g, '\\.')} `) }).waitFor({ state: 'detached' });
    assert.ok(!(await api('GET', '/accounts', adminToken)).items.some((a: any) => a.email === email));
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on People');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('renames a location, changes its address, and deletes it once nothing belongs to it', async () => {
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await open(page, 'Locations');
    const create = page.getByRole('region', { name: 'Create a location' });
    await create.getByRole('textbox', { name: /^Name/ }).fill('Leeds Depot');
    await create.getByRole('textbox', { name: 'Country' }).fill('GB');
    await create.getByRole('textbox', { name: 'Currency' }).fill('GBP');
    await create.getByRole('button', { name: 'Create the location' }).click();
    await create.getByRole('status').filter({ hasText: 'Leeds Depot was created.' }).waitFor();
    await page.getByRole('button', { name: 'Details of Leeds Depot' }).click();
    const edit = page.getByRole('region', { name: 'Edit Leeds Depot' });
    await edit.getByRole('textbox', { name: /^Name/ }).fill('Leeds Hub');
    await edit.getByRole('textbox', { name: 'Address' }).fill('1 Canal Wharf, Leeds LS11 5PS');
    await edit.getByRole('button', { name: 'Save the location' }).click();
    const hub = page.getByRole('region', { name: 'Edit Leeds Hub' });
    await hub.waitFor();
    await page.getByRole('table', { name: 'Locations' }).getByRole('row', { name: /^Leeds Hub 1 Canal Wharf, Leeds LS11 5PS GB GBP/ }).waitFor();
    const location = (await api('GET', '/locations', adminToken)).items.find((l: any) => l.name === 'Leeds Hub');
    assert.equal(location.address, '1 Canal Wharf, Leeds LS11 5PS');

    // An account belongs to it: deleting is refused with the reason, and nothing changes.
    const account = await api('POST', '/accounts', adminToken, { email: `leeds.lead@${domain()}`, roles: ['Staff'], location_id: location.id, password: 'leeds lead passphrase 4' });
    await hub.getByRole('button', { name: 'Delete the location' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await hub.getByRole('alert').filter({ hasText: 'the location still has 1 accounts' }).waitFor();
    assert.ok((await api('GET', '/locations', adminToken)).items.some((l: any) => l.id === location.id));

    await api('DELETE', `/accounts/${account.id}`, adminToken);
    await hub.getByRole('button', { name: 'Delete the location' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await hub.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Locations' }).getByRole('row', { name: /^Leeds Hub/ }).waitFor({ state: 'detached' });
    assert.ok(!(await api('GET', '/locations', adminToken)).items.some((l: any) => l.id === location.id));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('takes an invited person from the mailed link to a password under the policy and a first sign-in', async () => {
    const email = `invited.person@${domain()}`;
    const password = 'plum blossom in april';
    const admin = await newPortalPage(browser, orchard.url);
    await signIn(admin.page, orchard.adminEmail, orchard.adminPassword);
    await open(admin.page, 'People');
    const create = admin.page.getByRole('region', { name: 'Create an account' });
    await create.getByRole('textbox', { name: /^Managed Apple ID/ }).fill(email);
    await create.getByRole('textbox', { name: 'Given name' }).fill('Ivy');
    await create.getByRole('textbox', { name: 'Family name' }).fill('Invited');
    await create.getByRole('checkbox', { name: 'Staff' }).check();
    await create.getByRole('button', { name: 'Create the account' }).click();
    await create.getByRole('status').filter({ hasText: `${email} was created and invited by email.` }).waitFor();
    await admin.context.close();

    const link = await mailedLink(email, 'invitation', /\/portal\/invitation/);
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Set your password' }).waitFor();
    // Too short: the policy's own words at the field, and the link stays usable.
    await page.getByLabel(/^New password/).fill('short');
    await page.getByLabel(/^The password again/).fill('short');
    await page.getByRole('button', { name: 'Set the password' }).click();
    assert.match(await fieldError(page, page.getByLabel(/^New password/)), /password must be at least \d+ characters/);
    await page.getByLabel(/^New password/).fill(password);
    await page.getByLabel(/^The password again/).fill(password);
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByRole('status').filter({ hasText: `Your password is set. Sign in as ${email}.` }).waitFor();
    await screenshots(page, 'invitation-done');

    // The same link again: refused, and the page says to ask for a new invitation.
    await page.goto('/');
    await page.goto(link);
    await page.getByLabel(/^New password/).fill('another good password 2');
    await page.getByLabel(/^The password again/).fill('another good password 2');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ask an administrator to send the invitation again.' }).waitFor();

    await signIn(page, email, password);
    await page.getByText(`Signed in as ${email}`).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('federates a verified domain with an OpenID Connect provider and signs a new person in through it', async () => {
    const name = 'pear.test';
    // The provider: a real oidc-provider on loopback whose login page signs the test's user in at once.
    const idp = await startTestProvider({ redirectUri: `${orchard.url}/portal/federation/callback`, cookieKey: 'people-browser-test' });
    const issuer = idp.issuer;
    const user = { sub: 'u-77', email: `fern.federated@${name}`, given_name: 'Fern', family_name: 'Federated' };
    idp.users.set(user.sub, user);
    idp.signingIn = user.sub;
    try {
      const { context, page, errors } = await newPortalPage(browser, orchard.url);
      await signIn(page, orchard.adminEmail, orchard.adminPassword);
      await open(page, 'Preferences');
      const domains = page.getByRole('region', { name: 'Domains' });
      await domains.getByRole('textbox', { name: /^Domain/ }).fill(name);
      await domains.getByRole('button', { name: 'Add the domain' }).click();
      await domains.getByRole('status').filter({ hasText: `${name} was added` }).waitFor();
      const added = (await api('GET', '/domains', adminToken)).items.find((d: any) => d.name === name);
      dns.txt.set(name, [[added.txt_record.value]]);
      await domains.getByRole('button', { name: `Verify ${name}` }).click();
      await domains.getByRole('status').filter({ hasText: `${name} is verified.` }).waitFor();
      await api('POST', '/accounts', adminToken, { email: `old.timer@${name}`, roles: ['DeviceManager'], password: 'a long passphrase 9' });

      const fed = page.getByRole('region', { name: 'Federated authentication' });
      await fed.getByRole('combobox', { name: 'Domain' }).selectOption({ label: name });
      await fed.getByRole('textbox', { name: /^Issuer URL/ }).fill(issuer);
      await fed.getByRole('textbox', { name: /^Client ID/ }).fill('orchard');
      await fed.getByRole('button', { name: 'Link the provider' }).click();
      assert.equal(await fieldError(page, fed.getByLabel(/^Client secret/)), 'Required.');
      await fed.getByLabel(/^Client secret/).fill('orchard-secret');
      await fed.getByRole('button', { name: 'Link the provider' }).click();
      await fed.getByRole('status').filter({ hasText: 'The provider is linked' }).waitFor();
      await fed.getByRole('button', { name: `Federation of ${name}` }).click();
      const panel = fed.getByRole('region', { name: `Federation of ${name}` });
      // The conflicts: a Managed Apple ID to migrate, a personal Apple ID of the registry in the domain.
      await panel.getByText(`old.timer@${name}`).waitFor();
      await panel.getByText(`jo.appleseed@${name}`).waitFor();
      await panel.getByRole('button', { name: 'Enable' }).click();
      await panel.getByRole('alert').filter({ hasText: 'resolve the conflicts first' }).waitFor();
      await panel.getByRole('button', { name: 'Migrate the Managed Apple IDs' }).click();
      await panel.getByRole('status').filter({ hasText: '1 Managed Apple IDs migrated' }).waitFor();
      await panel.getByRole('button', { name: 'Enable' }).click();
      await panel.getByRole('status').filter({ hasText: `Sign-in through the provider is enabled for ${name}.` }).waitFor();
      assert.equal((await api('GET', '/federations', adminToken)).items.find((f: any) => f.domain_id === added.id).enabled, true);
      await screenshots(page, 'preferences-federation', fed);

      // From the sign-in page: an address of a domain without a provider is told so; one of the
      // federated domain goes to the provider and comes back signed in, a new Staff account.
      const person = await newPortalPage(browser, orchard.url);
      await person.page.goto('/');
      await person.page.getByLabel(/^Managed Apple ID/).fill(`someone@${domain()}`);
      await person.page.getByRole('button', { name: 'Continue with your identity provider' }).click();
      await person.page.getByRole('alert').filter({ hasText: 'No identity provider signs in' }).waitFor();
      await person.page.getByLabel(/^Managed Apple ID/).fill(user.email);
      await person.page.getByRole('button', { name: 'Continue with your identity provider' }).click();
      await person.page.getByText(`Signed in as ${user.email}`).waitFor();
      assert.equal(new URL(person.page.url()).pathname, '/');
      const account = (await api('GET', '/accounts', adminToken)).items.find((a: any) => a.email === user.email);
      assert.deepEqual([account.roles, account.given_name, account.family_name], [['Staff'], 'Fern', 'Federated']);

      // The administrator replaces the client secret (the provider's, unchanged here) and turns
      // sign-in off: the next sign-in from the sign-in page is refused with the reason; the account stays.
      const federationId = (await api('GET', '/federations', adminToken)).items.find((f: any) => f.domain_id === added.id).id;
      const before = (await api('GET', `/federations/${federationId}`, adminToken)).updated_at;
      await panel.getByRole('button', { name: 'Replace the secret' }).click();
      assert.match(await fieldError(page, panel.getByLabel(/^New client secret/)), /client_secret/);
      await panel.getByLabel(/^New client secret/).fill('orchard-secret');
      await panel.getByRole('button', { name: 'Replace the secret' }).click();
      await panel.getByRole('status').filter({ hasText: 'The client secret is replaced' }).waitFor();
      assert.notEqual((await api('GET', `/federations/${federationId}`, adminToken)).updated_at, before);
      await panel.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
      await panel.getByRole('status').filter({ hasText: `Sign-in through the provider is off for ${name}` }).waitFor();
      await panel.getByRole('button', { name: 'Enable' }).waitFor();
      const off = await api('GET', `/federations/${federationId}`, adminToken);
      assert.deepEqual([off.enabled, typeof off.disabled_at], [false, 'string']);
      await person.page.goto('/');
      await person.page.getByRole('button', { name: 'Sign out' }).click().catch(() => undefined);
      await person.page.getByLabel(/^Managed Apple ID/).fill(user.email);
      await person.page.getByRole('button', { name: 'Continue with your identity provider' }).click();
      await person.page.getByRole('alert').filter({ hasText: 'turned off by the organisation' }).waitFor();
      assert.ok((await api('GET', '/accounts', adminToken)).items.some((a: any) => a.email === user.email));
      assert.deepEqual(errors, []);
      await context.close();
      assert.deepEqual(person.errors, []);
      await person.context.close();
    } finally {
      await idp.close();
    }
  });

  it('takes an application from the form through review, confirmation and activation to an Administrator who accepts the terms', async () => {
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await page.goto('/signup');
    await page.getByRole('heading', { level: 1, name: 'Enrol your organisation' }).waitFor();
    const field = (name: RegExp) => page.getByRole('textbox', { name });
    const fill = async (values: Record<string, string>) => { for (const [label, v] of Object.entries(values)) await field(new RegExp(`^${label}`)).fill(v); };
    await fill({
      'Legal name': 'Pear Logistics Limited', Address: PEAR.address, Phone: PEAR.phone, Website: PEAR.website, 'D-U-N-S number': PEAR.duns_number,
      'Business email': 'paula.pear@gmail.com', 'Given name': PEAR.applicant.given_name, 'Family name': PEAR.applicant.family_name,
      "Contact's name": PEAR.validation_contact.name, "Contact's email": PEAR.validation_contact.email,
    });
    // A free-mail address is refused at its field, and nothing is filed.
    await page.getByRole('button', { name: 'Apply' }).click();
    assert.match(await fieldError(page, field(/^Business email/)), /gmail\.com is a free-mail domain/);
    // A business address, but the directory knows the number under another legal name: that field is named.
    await fill({ 'Business email': PEAR.email });
    await page.getByRole('button', { name: 'Apply' }).click();
    assert.match(await fieldError(page, field(/^Legal name/)), /another legal name/);
    assert.equal(await field(/^Address/).getAttribute('aria-invalid'), 'false');
    const listed = async () => (await api('GET', '/operator/signup-applications', operatorToken)).items as any[];
    assert.equal((await listed()).length, 0, 'no application was filed');
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on the sign-up form');
    await screenshots(page, 'signup-refused');

    await fill({ 'Legal name': PEAR.legal_name });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: `The application for ${PEAR.legal_name} was received.` }).waitFor();
    const [filed] = await listed();
    assert.equal(filed.state, 'submitted');

    // The applicant's status page: a question from the operator, answered there.
    const statusLink = await mailedLink(PEAR.email, 'signup_status', /\/signup\/status/);
    // A status link that is not one says so.
    await page.goto('/signup/status#token=orch_sa_not-a-token');
    await page.getByRole('alert').filter({ hasText: 'this status link is not valid' }).waitFor();
    const operator = await operatorPage();
    await operator.page.getByRole('button', { name: `Review ${PEAR.legal_name}` }).click();
    const review = operator.page.getByRole('region', { name: `Application of ${PEAR.legal_name}` });
    await review.getByRole('textbox', { name: 'A question for the applicant' }).fill('Which depots will enrol devices?');
    await review.getByRole('button', { name: 'Ask the question' }).click();
    await review.getByRole('status').filter({ hasText: 'The question was sent to the applicant.' }).waitFor();
    await page.goto(statusLink);
    await page.getByRole('heading', { level: 1, name: 'Your application' }).waitFor();
    await page.getByText('A question for you').waitFor();
    await page.getByText('Which depots will enrol devices?').waitFor();
    await page.getByRole('textbox', { name: 'Your answer' }).fill('London and Leeds.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.getByRole('status').filter({ hasText: 'Your answer was sent' }).waitFor();
    await page.locator('[data-state="submitted"]').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'you answered' }).waitFor();
    assert.equal((await api('GET', `/operator/signup-applications/${filed.id}`, operatorToken)).answer, 'London and Leeds.');

    // The operator sees the answer and approves; the validation contact confirms the applicant from their mail.
    await review.getByText('London and Leeds.', { exact: true }).waitFor({ timeout: 15_000 });
    await review.getByRole('button', { name: 'Approve' }).click();
    await operator.page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await review.locator('dd[data-state="approved"]').waitFor();
    await page.reload();
    await page.locator('[data-state="approved"]').waitFor();
    await page.goto(await mailedLink(PEAR.validation_contact.email, 'signup_validation', /\/signup\/validate/));
    await page.getByRole('heading', { level: 1, name: 'Confirm the first Administrator' }).waitFor();
    // Naming someone else needs their address: the page points at the field.
    await page.getByRole('radio', { name: 'Name someone else' }).check();
    await page.getByRole('textbox', { name: /^Their given name/ }).fill('Victoria');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('textbox', { name: /^Their email/ }).and(page.locator('[aria-invalid="true"]')).waitFor();
    assert.equal((await api('GET', `/operator/signup-applications/${filed.id}`, operatorToken)).state, 'approved');
    await page.getByRole('radio', { name: 'Confirm the applicant' }).check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').filter({ hasText: `${PEAR.email} was sent a link` }).waitFor();

    // Activation: the terms must be accepted, the password meet the policy.
    const password = 'pear trees in bloom';
    await page.goto(await mailedLink(PEAR.email, 'signup_activation', /\/signup\/activate/));
    await page.getByRole('heading', { level: 1, name: 'Create your Administrator account' }).waitFor();
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Create the account' }).click();
    await page.getByText('The terms must be accepted.').waitFor();
    await page.getByRole('checkbox', { name: 'I accept the terms and conditions' }).check();
    await page.getByLabel(/^Password/).fill('short');
    await page.getByRole('button', { name: 'Create the account' }).click();
    assert.match(await fieldError(page, page.getByLabel(/^Password/)), /at least \d+ characters/);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Create the account' }).click();
    await page.getByRole('status').filter({ hasText: `${PEAR.legal_name} is live. Sign in as ${PEAR.email}.` }).waitFor();
    assert.equal((await api('GET', `/operator/signup-applications/${filed.id}`, operatorToken)).state, 'live');

    // The operator publishes new terms: the new Administrator signs in and accepts them, then the Apps and Books terms.
    const terms = operator.page.getByRole('region', { name: 'Terms and conditions' });
    await terms.getByRole('textbox', { name: 'What the new version changes' }).fill('Version 2: data processing annex');
    await terms.getByRole('button', { name: 'Publish a new terms version' }).click();
    await operator.page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await terms.getByRole('status').filter({ hasText: /Version \d+ is published/ }).waitFor();
    // The operator's page shows the application live, its last steps the contact's and the Administrator's.
    await review.getByRole('button', { name: 'Read it again' }).click();
    await review.locator('dd[data-state="live"]').waitFor();
    await review.getByRole('listitem').filter({ hasText: 'the first Administrator, created their account' }).waitFor();
    assert.deepEqual(operator.errors, []);
    await operator.context.close();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn(page, PEAR.email, password);
    await open(page, 'Preferences');
    const enrolment = page.getByRole('region', { name: 'Enrolment information' });
    await enrolment.getByText(/Version \d+ is waiting for acceptance/).waitFor();
    await enrolment.getByRole('button', { name: 'Accept the terms' }).click();
    await enrolment.getByRole('status').filter({ hasText: 'Terms accepted.' }).waitFor();
    await enrolment.getByText(/Version \d+ accepted on/).waitFor();
    const abTerms = page.getByRole('region', { name: 'Purchase terms and billing' });
    await abTerms.getByRole('button', { name: 'Accept the Apps and Books terms' }).click();
    await abTerms.getByRole('status').filter({ hasText: 'The Apps and Books terms are accepted.' }).waitFor();
    await abTerms.getByRole('button', { name: 'Edit the billing information' }).click();
    await abTerms.getByRole('textbox', { name: /^Billing name/ }).fill(PEAR.legal_name);
    await abTerms.getByRole('textbox', { name: /^Billing email/ }).fill('accounts@pear-logistics.test');
    await abTerms.getByRole('textbox', { name: /^Billing address/ }).fill(PEAR.address);
    await abTerms.getByRole('button', { name: 'Save' }).click();
    await abTerms.getByText(`${PEAR.legal_name}, accounts@pear-logistics.test`).waitFor();
    const org = await page.evaluate(() => fetch('/api/v1/organisation').then((r) => r.json())) as any;
    assert.equal(org.name, PEAR.legal_name);
    assert.equal(org.terms.accepted, true);
    assert.equal(org.apps_and_books.terms_accepted, true);
    assert.equal(org.apps_and_books.billing.email, 'accounts@pear-logistics.test');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
