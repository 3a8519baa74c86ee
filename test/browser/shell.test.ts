// The portal's shell in Chromium, through the UI only: sign in as the demo Administrator with the
// password `serve` prints, the dashboard's charts, the role-filtered sidebar, French, signing
// out, and the page shown when the session has ended. No page may trip the CSP.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { RunningOrchard } from '../../src/server.js';
import { contrastProblems, launchBrowser, newPortalPage, screenshots, signIn, startPortalOrchard } from '../support/browser.js';

describe('browser: the portal shell', function () {
  let orchard: RunningOrchard & { adminEmail: string; adminPassword: string };
  let browser: Browser;
  before(async () => {
    [orchard, browser] = await Promise.all([startPortalOrchard(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await orchard?.close();
  });

  it('signs in as the demo Administrator, shows the dashboard, activity and devices, switches to French and signs out', async () => {
    const { context, page, errors } = await newPortalPage(browser, orchard.url, 'en-GB');
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Menu' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Dashboard', 'Activity', 'Devices', 'Apps and Books', 'Custom Apps', 'People', 'Locations', 'Preferences']);
    assert.equal(await nav.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current'), 'page');
    // Charts are drawn (Chart.js, bundled) and their numbers are readable as tables.
    await page.locator('figure.chart canvas').first().waitFor();
    assert.ok(await page.locator('figure.chart').count() >= 4, 'devices by family, by server, enrolment, commands, licences');
    assert.match(await page.locator('figure.chart figcaption').first().innerText(), /Devices by family \(Total: \d+\)/);
    await page.getByRole('heading', { name: 'What expires next' }).waitFor();
    assert.match(await page.locator('table').last().innerText(), /Server token/);
    await screenshots(page, 'dashboard');
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on the dashboard');
    // Keyboard: the first Tab reaches "Skip to content", which moves focus to the page's content;
    // the sidebar is reachable with Tab and followed with Enter.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'main');
    await nav.getByRole('link', { name: 'Activity' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    await nav.getByRole('link', { name: 'Dashboard' }).click();

    await nav.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    // Two writes with this session (one refused) to filter: the API filters by outcome and text.
    const write = () => context.request.post('/api/v1/locations', { data: { name: 'Lyon' }, headers: { 'X-Orchard-CSRF': '1' } });
    assert.equal((await write()).status(), 201);
    assert.equal((await write()).status(), 409);
    await page.reload();
    const log = page.getByRole('table', { name: 'Activity' });
    await log.getByRole('row', { name: /POST \/api\/v1\/locations .* success/ }).waitFor();
    await page.getByLabel('Outcome').selectOption('failed');
    await log.getByRole('row', { name: /POST \/api\/v1\/locations .* failed/ }).waitFor();
    await log.getByRole('row', { name: /success/ }).waitFor({ state: 'detached' });
    await page.getByLabel('Outcome').selectOption('');
    await page.getByLabel('Search who, what or target').fill('nothing matches this');
    await log.getByRole('cell', { name: 'Nothing to show.' }).waitFor();
    await page.getByLabel('Search who, what or target').fill('locations');
    await log.getByRole('row', { name: /POST \/api\/v1\/locations .* failed/ }).waitFor();
    await log.getByRole('row', { name: /POST \/api\/v1\/locations .* success/ }).waitFor();
    await screenshots(page, 'activity');
    await nav.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    await page.getByRole('link', { name: /^[A-Z0-9]{10,}$/ }).first().waitFor();
    await screenshots(page, 'devices');
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on the devices');

    // French, remembered across a reload.
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Appareils' }).waitFor();
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Tableau de bord', 'Activité', 'Appareils', 'Apps et livres', 'Apps personnalisées', 'Personnes', 'Sites', 'Préférences']);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Appareils' }).waitFor();
    await nav.getByRole('link', { name: 'Tableau de bord' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    await screenshots(page, 'dashboard-fr');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Se connecter à Orchard' }).waitFor();
    await page.getByText('Vous êtes déconnecté.').waitFor();
    // The session is gone on the server too: the API refuses the old cookie.
    assert.equal((await context.request.get('/api/v1/me')).status(), 401);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows "your session ended" when the API answers 401, and signs in again from there', async () => {
    const { context, page, errors } = await newPortalPage(browser, orchard.url, 'en-US');
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await screenshots(page, 'sign-in-done');
    // The session ends behind the page's back (expiry, sign-out elsewhere): the next call gets 401.
    assert.equal((await context.request.delete('/api/v1/session', { headers: { 'X-Orchard-CSRF': '1' } })).status(), 204);
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Your session ended' }).waitFor();
    await screenshots(page, 'session-ended');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    // Nothing filled in: the API's field pointers put an error under each field.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Some fields need fixing.' }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Managed Apple ID' }).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('.field-error').allInnerTexts().then((x) => x.join('|')), 'Required.|Required.');
    await page.getByLabel('Managed Apple ID').fill(orchard.adminEmail);
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The Managed Apple ID or the password is wrong.' }).waitFor();
    assert.equal(await page.getByLabel('Managed Apple ID').inputValue(), orchard.adminEmail, 'input kept on error');
    await screenshots(page, 'sign-in-refused');
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on sign-in with errors');
    await page.getByLabel(/^Password/).fill(orchard.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows a Staff account only what its roles open', async () => {
    const { context, page } = await newPortalPage(browser, orchard.url);
    await signIn(page, 'staff@demo.orchard.test', orchard.adminPassword);
    assert.deepEqual(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link').allTextContents(), []);
    await page.getByText('Your roles do not open this page.').waitFor();
    await page.goto('/#/devices');
    await page.getByText('Your roles do not open this page.').waitFor();
    await context.close();
  });

  it('shows a Content Manager the devices but no device settings', async () => {
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, 'content@demo.orchard.test', orchard.adminPassword);
    const nav = page.getByRole('navigation', { name: 'Menu' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Dashboard', 'Devices', 'Apps and Books', 'Custom Apps', 'Locations', 'Preferences']);
    await nav.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('link', { name: /^[A-Z0-9]{10,}$/ }).first().waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Assign' }).count(), 0);
    assert.equal(await page.getByRole('checkbox').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Release' }).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
