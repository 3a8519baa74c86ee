// The portal's Preferences, Apps and Books and People pages in Chromium, through the UI only:
// add an MDM server by uploading its certificate and download its token (decrypted here with
// openssl and the server's key); set the default server for iPhone; buy an app with a company
// card, assign it to a simulated iPhone and see it installed; create a Content Manager, sign in
// as it and see no device settings. Each page is screenshotted at both sizes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningOrchard } from '../../src/server.js';
import { contrastProblems, launchBrowser, newPortalPage, screenshots, signIn, startPortalOrchard } from '../support/browser.js';
import { IPHONE, simulatedDevice } from '../support/mdm.js';
import { makeServerKey, tokenJson } from '../support/mdm-server-cert.js';

describe('browser: portal pages', function () {
  let orchard: RunningOrchard & { adminEmail: string; adminPassword: string };
  let browser: Browser;
  let token: string;
  const api = async (p: string) => {
    const res = await fetch(`${orchard.url}/api/v1${p}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, p);
    return res.json() as Promise<any>;
  };
  const list = (body: any, legacy: string): any[] => body.items ?? body[legacy];
  const open = async (page: Page, link: string) => {
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: link }).waitFor();
  };
  before(async () => {
    [orchard, browser] = await Promise.all([startPortalOrchard(), launchBrowser()]);
    token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
  });
  after(async () => {
    await browser?.close();
    await orchard?.close();
  });

  it('adds an MDM server from a certificate file, downloads its token, sets the default for iPhone and adds a card', async () => {
    const key = makeServerKey();
    const certFile = path.join(key.dir, 'cert.pem');
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await open(page, 'Preferences');

    await page.getByRole('textbox', { name: /^MDM server name/ }).fill('Browser Fleet');
    await page.getByLabel('Public key certificate').setInputFiles(certFile);
    await page.getByRole('button', { name: 'Add the server' }).click();
    await page.getByRole('status').filter({ hasText: 'Browser Fleet was added: download its token.' }).waitFor();
    const server = list(await api('/mdm-servers'), 'mdm_servers').find((s: any) => s.name === 'Browser Fleet');
    assert.ok(server, 'the API has the new server');

    await page.getByRole('button', { name: 'Manage Browser Fleet' }).click();
    const panel = page.getByRole('region', { name: 'Browser Fleet' });
    const [file] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download the token' }).click()]);
    assert.match(file.suggestedFilename(), /\.p7m$/);
    assert.equal(file.suggestedFilename(), server.token.file_name);
    const decrypted = tokenJson(key.decrypt(fs.readFileSync((await file.path())!)));
    assert.ok(decrypted.consumer_key && decrypted.consumer_key.length > 10, 'the token carries a consumer_key');
    assert.ok(decrypted.access_token && decrypted.access_secret);

    // A certificate that is not one: the API refuses, the form says so and nothing is added.
    const junk = path.join(key.dir, 'junk.pem');
    fs.writeFileSync(junk, 'not a certificate\n');
    await page.getByRole('textbox', { name: /^MDM server name/ }).fill('Broken');
    await page.getByLabel('Public key certificate').setInputFiles(junk);
    await page.getByRole('button', { name: 'Add the server' }).click();
    await page.getByRole('alert').first().waitFor();
    assert.ok(!list(await api('/mdm-servers'), 'mdm_servers').some((s: any) => s.name === 'Broken'));

    await page.getByLabel('Default for iPhone').selectOption({ label: 'Browser Fleet' });
    await page.getByRole('status').filter({ hasText: 'Default server for iPhone saved.' }).waitFor();
    assert.equal((await api('/mdm-server-defaults')).iPhone.id, server.id);

    await page.getByRole('textbox', { name: 'Card name' }).fill('Finance Amex');
    await page.getByRole('textbox', { name: 'Last four digits' }).fill('1005');
    await page.getByRole('button', { name: 'Add the card' }).click();
    await page.getByRole('status').filter({ hasText: 'Finance Amex was added.' }).waitFor();
    assert.ok(list(await api('/cards'), 'cards').some((c: any) => c.label === 'Finance Amex' && c.last4 === '1005'));

    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on Preferences');
    await screenshots(page, 'preferences');
    await screenshots(page, 'preferences-servers', panel);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('buys an app with a card, assigns it to a simulated iPhone and shows it installed', async () => {
    const serial = list(await api('/devices?family=iPhone'), 'devices')[0].serial_number as string;
    const { client } = await simulatedDevice({
      ca: orchard.deps.pki!.ca, store: orchard.deps.store, orgId: orchard.bootstrap.orgId!, facts: { ...IPHONE(), serialNumber: serial }, baseUrl: orchard.url,
    });
    assert.equal((await client.authenticate()).status, 200);
    assert.equal((await client.tokenUpdate()).status, 200);
    const card = list(await api('/cards'), 'cards')[0] ?? await (async () => {
      const res = await fetch(`${orchard.url}/api/v1/cards`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ label: 'Finance Amex', last4: '1005' }) });
      return res.json() as Promise<any>;
    })();

    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await open(page, 'Apps and Books');
    const location = (await page.getByLabel('Location', { exact: true }).first().locator('option:checked').innerText()).trim();
    await page.getByRole('searchbox', { name: 'Search' }).fill('Ledger');
    await page.getByLabel('Type').selectOption('apps');
    await page.getByRole('button', { name: 'Search the catalogue' }).click();
    await page.getByRole('button', { name: 'Buy Ledger Pro', exact: true }).click();
    const buy = page.getByRole('form', { name: 'Buy Ledger Pro' });
    await buy.getByRole('textbox', { name: 'Quantity' }).fill('3');
    await buy.getByLabel('Pay with').selectOption({ label: `Card ${card.label} (•••• ${card.last4})` });
    await buy.getByRole('button', { name: 'Buy licences' }).click();
    await buy.getByRole('status').filter({ hasText: `Bought 3 licence(s) of Ledger Pro for ${location}.` }).waitFor();
    const bought = list(await api('/purchases'), 'purchases').find((p: any) => p.name === 'Ledger Pro');
    assert.equal(bought.quantity, 3);
    assert.equal(bought.card_id, card.id);
    const licences = page.getByRole('table', { name: 'Licences' });
    await licences.getByRole('row', { name: /^Ledger Pro 3 0 3/ }).waitFor();
    await screenshots(page, 'apps');

    await page.getByLabel('Item', { exact: true }).last().selectOption({ label: 'Ledger Pro' });
    await page.getByRole('textbox', { name: 'Serial numbers' }).fill(serial);
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Ledger Pro: 1 device(s) associated.' }).waitFor();
    const results = page.getByRole('table', { name: 'Outcome per device' });
    await results.getByRole('row', { name: new RegExp(`${serial} associated`) }).waitFor();
    await licences.getByRole('row', { name: /^Ledger Pro 3 1 2/ }).waitFor();

    // The device takes the install, then reports its apps (queued from its page, through the UI).
    const run = await client.connectLoop();
    assert.deepEqual(run.steps.map((s) => [s.requestType, s.status]), [['InstallApplication', 'Acknowledged']]);
    const devicePage = await context.newPage();
    await devicePage.goto(`/#/devices/${serial}`);
    await devicePage.getByLabel('Command', { exact: true }).selectOption('InstalledApplicationList');
    await devicePage.getByRole('button', { name: 'Queue a command' }).click();
    await devicePage.getByRole('table', { name: 'Commands' }).getByRole('row', { name: /InstalledApplicationList queued/ }).waitFor();
    assert.deepEqual((await client.connectLoop()).steps.map((s) => s.status), ['Acknowledged']);
    await devicePage.close();

    await page.getByRole('button', { name: 'Check installs' }).click();
    await results.getByRole('row', { name: new RegExp(`${serial} associated .* installed$`) }).waitFor();
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on Apps and Books');
    await screenshots(page, 'apps-assigned', results);

    // Revoke, after a confirmation: the device's licence comes back (RemoveApplication follows after the grace period).
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByText(/^Revoke the licences of Ledger Pro/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: '1 licence(s) revoked.' }).waitFor();
    await results.getByRole('row', { name: new RegExp(`${serial} removed`) }).waitFor();
    await licences.getByRole('row', { name: /^Ledger Pro 3 0 3/ }).waitFor();

    // Transfer two unused licences to the other location.
    const other = (await page.getByLabel('To', { exact: true }).locator('option').allInnerTexts()).find((n) => n !== location)!;
    const transfer = page.getByRole('region', { name: 'Transfer licences' });
    await transfer.getByLabel('Item', { exact: true }).selectOption({ label: 'Ledger Pro' });
    await transfer.getByLabel('From', { exact: true }).selectOption({ label: location });
    await transfer.getByLabel('To', { exact: true }).selectOption({ label: other });
    await transfer.getByRole('textbox', { name: 'Quantity' }).fill('2');
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await transfer.getByRole('status').filter({ hasText: 'Licences transferred.' }).waitFor();
    await licences.getByRole('row', { name: new RegExp(`Ledger Pro 3 0 3 ${location}: 0 of 1 in use ${other}: 0 of 2 in use`) }).waitFor();

    for (const [link, name] of [['Custom Apps', 'custom-apps'], ['Locations', 'locations']] as const) {
      await open(page, link);
      assert.deepEqual(await contrastProblems(page), [], `text contrast (WCAG AA) on ${link}`);
      await screenshots(page, name);
    }
    await page.getByRole('button', { name: `Details of ${location}` }).click();
    await page.getByRole('region', { name: location }).getByRole('row', { name: /^Ledger Pro 1 0 1/ }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('creates a Content Manager who signs in and sees no device settings', async () => {
    const email = `content.manager@${orchard.adminEmail.split('@')[1]}`;
    const password = 'orchard-content-manager-7391';
    const admin = await newPortalPage(browser, orchard.url);
    await signIn(admin.page, orchard.adminEmail, orchard.adminPassword);
    await open(admin.page, 'People');
    const create = admin.page.getByRole('region', { name: 'Create an account' });
    // Without a Managed Apple ID the API names the field; the form says so beside it and keeps the rest.
    await create.getByRole('textbox', { name: 'Given name' }).fill('Camille');
    await create.getByRole('button', { name: 'Create the account' }).click();
    await create.getByRole('textbox', { name: /^Managed Apple ID/ }).and(admin.page.locator('[aria-invalid="true"]')).waitFor();
    await create.getByText('Required.').first().waitFor();
    assert.equal(await create.getByRole('textbox', { name: 'Given name' }).inputValue(), 'Camille');
    await create.getByRole('textbox', { name: /^Managed Apple ID/ }).fill(email);
    await create.getByRole('textbox', { name: 'Given name' }).fill('Camille');
    await create.getByRole('textbox', { name: 'Family name' }).fill('Durand');
    await create.getByLabel('Password').fill(password);
    await create.getByRole('checkbox', { name: 'Content Manager' }).check();
    await create.getByRole('button', { name: 'Create the account' }).click();
    await create.getByRole('status').filter({ hasText: `${email} was created.` }).waitFor();
    await admin.page.getByRole('table', { name: 'People' }).getByRole('row', { name: new RegExp(`${email.replace('.', '\\.')} Camille Durand Content Manager active`) }).waitFor();
    const account = list(await api('/accounts'), 'accounts').find((a: any) => a.email === email);
    assert.deepEqual(account.roles, ['ContentManager']);
    assert.deepEqual(await contrastProblems(admin.page), [], 'text contrast (WCAG AA) on People');
    await screenshots(admin.page, 'people');
    // A new password, set by the Administrator, is the one that signs in.
    const newPassword = 'orchard-content-manager-8402';
    await admin.page.getByRole('button', { name: `Edit ${email}` }).click();
    const edit = admin.page.getByRole('region', { name: `Edit ${email}` });
    await edit.getByLabel('New password').fill(newPassword);
    await edit.getByRole('button', { name: 'Set the password' }).click();
    await edit.getByRole('status').filter({ hasText: 'Password set' }).waitFor();

    const cm = await newPortalPage(browser, orchard.url);
    await signIn(cm.page, email, newPassword);
    const menu = cm.page.getByRole('navigation', { name: 'Menu' });
    await menu.getByRole('link', { name: 'Apps and Books' }).waitFor();
    for (const hidden of ['People', 'Activity']) assert.equal(await menu.getByRole('link', { name: hidden, exact: true }).count(), 0, hidden);
    await open(cm.page, 'Preferences');
    await cm.page.getByRole('heading', { level: 2, name: 'Apps and Books' }).waitFor();
    for (const section of ['Your MDM Servers', 'Default servers', 'APNs push certificate', 'Enrolment profile', 'Webhooks']) {
      assert.equal(await cm.page.getByRole('heading', { name: section }).count(), 0, section);
    }
    await screenshots(cm.page, 'preferences-content-manager');
    assert.deepEqual(cm.errors, []);
    await cm.context.close();

    // Deactivated after a confirmation: the list says so and the API agrees.
    await edit.getByRole('button', { name: 'Deactivate' }).click();
    await admin.page.getByRole('dialog').getByText(`Deactivate ${email}? The account can no longer sign in.`).waitFor();
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await edit.getByRole('status').filter({ hasText: 'The account is deactivated.' }).waitFor();
    await admin.page.getByRole('table', { name: 'People' }).getByRole('row', { name: new RegExp(`${email.replace('.', '\\.')} .* deactivated`) }).waitFor();
    assert.equal(list(await api('/accounts'), 'accounts').find((a: any) => a.email === email).active, false);
    assert.deepEqual(admin.errors, []);
    await admin.context.close();
  });
  it("renames, renews and deletes a server, edits purchase information, adds and removes a webhook, downloads a content token and the enrolment profile", async () => {
    const key = makeServerKey();
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await open(page, 'Preferences');
    await page.getByRole('textbox', { name: /^MDM server name/ }).fill('Short-lived');
    await page.getByLabel('Public key certificate').setInputFiles(path.join(key.dir, 'cert.pem'));
    await page.getByRole('button', { name: 'Add the server' }).click();
    await page.getByRole('status').filter({ hasText: 'Short-lived was added' }).waitFor();
    const before = list(await api('/mdm-servers'), 'mdm_servers').find((s: any) => s.name === 'Short-lived');

    await page.getByRole('button', { name: 'Manage Short-lived' }).click();
    let panel = page.getByRole('region', { name: 'Short-lived' });
    await panel.getByRole('textbox', { name: 'New name' }).fill('Renamed Fleet');
    await panel.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('table', { name: 'Your MDM Servers' }).getByRole('row', { name: /^Renamed Fleet/ }).waitFor();
    panel = page.getByRole('region', { name: 'Renamed Fleet' });
    await panel.getByRole('status').filter({ hasText: 'Renamed.' }).waitFor();
    assert.equal((await api(`/mdm-servers/${before.id}`)).name, 'Renamed Fleet');
    // Renewing without a file reuses the certificate on file; the token downloaded next is a new one.
    const tokenNow = async () => {
      const [file] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download the token' }).click()]);
      return tokenJson(key.decrypt(fs.readFileSync((await file.path())!)));
    };
    const first = await tokenNow();
    await panel.getByRole('button', { name: 'Renew the token' }).click();
    await panel.getByRole('status').filter({ hasText: 'Token renewed: download the new one.' }).waitFor();
    const second = await tokenNow();
    assert.notEqual(second.access_token, first.access_token, 'a new token');
    // Delete asks first: cancelling keeps the server, confirming removes it.
    await panel.getByRole('button', { name: 'Delete the server' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.ok(list(await api('/mdm-servers'), 'mdm_servers').some((s: any) => s.id === before.id));
    await panel.getByRole('button', { name: 'Delete the server' }).click();
    await page.getByRole('dialog').getByText(/^Delete Renamed Fleet\?/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('table', { name: 'Your MDM Servers' }).getByRole('row', { name: /^Renamed Fleet/ }).waitFor({ state: 'detached' });
    assert.ok(!list(await api('/mdm-servers'), 'mdm_servers').some((s: any) => s.id === before.id));

    await page.getByRole('button', { name: 'Edit the purchase information' }).click();
    await page.getByRole('textbox', { name: 'Apple customer numbers' }).fill('1234567\n7654321');
    await page.getByRole('textbox', { name: 'Reseller IDs' }).fill('RES-42');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('1234567, 7654321').waitFor();
    assert.deepEqual(await api('/purchase-settings').then((p: any) => [p.customer_numbers, p.reseller_ids]), [['1234567', '7654321'], ['RES-42']]);

    await page.getByRole('textbox', { name: 'Webhook URL' }).fill('https://hooks.example.com/orchard');
    await page.getByRole('button', { name: 'Add the webhook' }).click();
    await page.getByText('Its signing secret (shown once):').waitFor();
    const hooks = page.getByRole('table', { name: 'Webhooks' });
    await hooks.getByRole('row', { name: /hooks\.example\.com/ }).waitFor();
    await hooks.getByRole('button', { name: 'Remove https://hooks.example.com/orchard' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await hooks.getByRole('row', { name: /hooks\.example\.com/ }).waitFor({ state: 'detached' });
    assert.deepEqual(list(await api('/webhooks'), 'webhooks'), []);

    const location = (await page.getByLabel('Location', { exact: true }).locator('option:checked').innerText()).trim();
    const region = page.getByRole('region', { name: location });
    const [vpp] = await Promise.all([page.waitForEvent('download'), region.getByRole('button', { name: 'Download the content token' }).click()]);
    assert.equal(vpp.suggestedFilename(), `${location}.vpptoken`);
    const sToken = JSON.parse(Buffer.from(fs.readFileSync((await vpp.path())!, 'utf8'), 'base64').toString('utf8'));
    assert.ok(sToken.token, 'an sToken file');
    await region.getByText('Yes').first().waitFor();
    const [profile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the enrolment profile' }).click()]);
    assert.equal(profile.suggestedFilename(), 'orchard-enrollment.mobileconfig');
    assert.ok(fs.readFileSync((await profile.path())!).length > 500);
    // The same page in French.
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Préférences' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Vos serveurs MDM' }).waitFor();
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on Préférences');
    await screenshots(page, 'preferences-fr');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
