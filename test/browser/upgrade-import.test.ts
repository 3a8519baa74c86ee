// Issue 16's upgrade import in the portal, through the UI in Chromium: Preferences' section takes
// an old DEP/VPP account's export file (fixtures/upgrade-export.sample.json, its servers' public
// key replaced by one the test holds), shows the dry run's counts, imports it, offers the new
// servers' token downloads (decrypted here) and lists the import; the API then has the servers,
// devices, licences and invitations. A file that is not JSON, one not in the format, the same file
// again, and a serial another organisation takes between the dry run and the import are each
// refused with their place in the file, and change nothing. Other roles do not see the section.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { readFixture } from '../../src/fixtures.js';
import type { RunningOrchard } from '../../src/server.js';
import { contrastProblems, launchBrowser, newPortalPage, screenshots, signIn, startPortalOrchard } from '../support/browser.js';
import { makeServerKey, tokenJson, type ServerKey } from '../support/mdm-server-cert.js';
import { latestMail } from '../support/outbox.js';

const SECTION = 'Upgrade from Device Enrollment and Volume Purchase';

describe('browser: Preferences, upgrade import of an old DEP/VPP account (issue 16)', function () {
  let orchard: RunningOrchard & { adminEmail: string; adminPassword: string };
  let browser: Browser;
  let adminToken: string;
  let key: ServerKey;
  const api = async (method: string, p: string, token = adminToken, body?: unknown) => {
    const res = await fetch(`${orchard.url}/api/v1${p}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  /** The sample export with the servers' certificate replaced by one whose key the test holds. */
  const exportWithKey = () => {
    const doc = readFixture<any>('upgrade-export.sample.json');
    for (const s of doc.device_enrollment.servers) s.public_key = key.certPem;
    return doc;
  };
  /** What the organisation holds that an import would change. */
  const state = async () => ({
    imports: (await api('GET', '/organisation/upgrade-imports')).items.length,
    servers: (await api('GET', '/mdm-servers')).items.map((s: any) => s.name).sort(),
    devices: (await api('GET', '/devices?limit=1000')).items.length,
    accounts: (await api('GET', '/accounts?limit=1000')).items.length,
  });
  const openPreferences = async (page: Page) => {
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Preferences', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Preferences' }).waitFor();
    return page.getByRole('region', { name: SECTION });
  };
  const choose = (section: Locator, name: string, content: string) =>
    section.getByLabel('Export file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
  /** A description list as {term: detail}. */
  const facts = (dl: Locator) => dl.evaluate((el) => {
    const out: Record<string, string> = {};
    for (const dt of (el as any).querySelectorAll('dt')) out[dt.textContent!] = (dt.nextElementSibling as any).textContent;
    return out;
  });

  before(async () => {
    key = makeServerKey();
    [orchard, browser] = await Promise.all([startPortalOrchard(), launchBrowser()]);
    adminToken = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
  });
  after(async () => {
    await browser?.close();
    await orchard?.close();
  });

  it('refuses a file that is not JSON and a file not in the format, each at its place, changing nothing', async () => {
    const before = await state();
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    const section = await openPreferences(page);
    await section.getByRole('table', { name: 'Past imports' }).waitFor();

    await choose(section, 'broken.json', '{"format": "orchard-upgrade-export", "version": 1,');
    const broken = section.getByRole('region', { name: 'Dry run of broken.json' });
    await broken.getByRole('alert').filter({ hasText: /^The file cannot be imported\. .*the request body is not valid JSON/ }).waitFor();
    assert.equal(await broken.getByRole('button', { name: 'Import' }).count(), 0, 'nothing to import');

    const doc = exportWithKey();
    doc.version = 2;
    doc.device_enrollment.devices[2].device_family = 'Watch';
    await choose(section, 'wrong.json', JSON.stringify(doc));
    const wrong = section.getByRole('region', { name: 'Dry run of wrong.json' });
    const alert = wrong.getByRole('alert');
    await alert.getByText('/device_enrollment/devices/2/device_family', { exact: true }).waitFor();
    const items = await alert.getByRole('listitem').allTextContents();
    assert.equal(items.length, 2, items.join('\n'));
    assert.match(items[0]!, /^version: .*Place in the file: \/version$/s);
    assert.match(items[1]!, /^Device 3 \(UPGRD0000003\) › device family: .*Place in the file: \/device_enrollment\/devices\/2\/device_family$/s);
    assert.deepEqual(await state(), before, 'nothing changed');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('dry-runs the sample, imports it, offers the new servers\' tokens and lists the import; the API has it all', async () => {
    const doc = exportWithKey();
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    const section = await openPreferences(page);
    await choose(section, 'upgrade-export.sample.json', JSON.stringify(doc, null, 2));
    const plan = section.getByRole('region', { name: 'Dry run of upgrade-export.sample.json' });
    await plan.getByRole('status').filter({ hasText: 'The file can be imported. Nothing is written until you choose Import.' }).waitFor();
    await plan.getByRole('heading', { name: 'Orchard Demo Company (DEP + VPP, 2019)' }).waitFor();
    assert.deepEqual(await facts(plan.locator('dl[aria-label="What the file brings"]')), {
      'MDM servers': '2', Devices: '5', Orders: '2', Purchases: '3', Licences: '40', 'Content tokens (sTokens)': '1',
      'Invitations to volume purchasers': '2', 'Volume purchasers who already have an account': '1',
    });
    // The dry run wrote nothing.
    assert.equal((await state()).imports, 0);
    assert.ok(!(await state()).servers.includes('Legacy MDM'));

    await plan.getByRole('button', { name: 'Import', exact: true }).click();
    await plan.getByRole('status').filter({ hasText: /^Orchard Demo Company \(DEP \+ VPP, 2019\) was imported on / }).waitFor();
    assert.deepEqual(await facts(plan.locator('dl[aria-label="What was imported"]')), {
      'MDM servers': '2', Devices: '5', Orders: '2', Purchases: '3', Licences: '40', 'Content tokens (sTokens)': '1',
      'Invitations to volume purchasers': '2', 'Volume purchasers who already have an account': '1',
    });
    await plan.getByText('2 volume purchaser(s) were invited by email as Content Managers.').waitFor();

    // The API has the servers, devices on their servers, licences and the invitations.
    const imports = (await api('GET', '/organisation/upgrade-imports')).items;
    assert.deepEqual(imports.map((i: any) => [i.account_name, i.imported_by, i.counts.devices]), [['Orchard Demo Company (DEP + VPP, 2019)', orchard.adminEmail, 5]]);
    const servers = (await api('GET', '/mdm-servers')).items;
    const legacy = servers.find((s: any) => s.name === 'Legacy MDM');
    assert.equal(legacy?.device_count, 3);
    assert.ok(servers.some((s: any) => s.name === 'Legacy Mac MDM'));
    const devices = (await api('GET', '/devices?order_number=DEP-2019-0042')).items;
    assert.deepEqual(devices.map((d: any) => [d.serial_number, d.mdm_server_name]).sort(), [['UPGRD0000001', 'Legacy MDM'], ['UPGRD0000002', 'Legacy MDM'], ['UPGRD0000003', 'Legacy MDM']]);
    const accounts = (await api('GET', '/accounts?limit=1000')).items;
    const vera = accounts.find((a: any) => a.email === 'vera@demo.orchard.test');
    assert.deepEqual(vera?.roles, ['ContentManager']);
    await latestMail(orchard.deps, 'vera.volume@example.net', 'invitation');
    await latestMail(orchard.deps, 'bruno@demo.orchard.test', 'invitation');

    // Each new server's token downloads from the result, and opens with the server's key.
    const [file] = await Promise.all([page.waitForEvent('download'), plan.getByRole('button', { name: 'Download the token of Legacy MDM' }).click()]);
    assert.equal(file.suggestedFilename(), legacy.token.file_name);
    assert.match(tokenJson(key.decrypt(fs.readFileSync((await file.path())!))).consumer_key!, /^CK_[0-9a-f]{128}$/);
    await plan.getByRole('button', { name: 'Download the token of Legacy Mac MDM' }).waitFor();
    // Your MDM Servers shows them now; the past imports list the import.
    await page.getByRole('table', { name: 'Your MDM Servers' }).getByRole('row', { name: /^Legacy MDM 3 / }).waitFor();
    await plan.getByRole('button', { name: 'Go to Your MDM Servers' }).click();
    const row = section.getByRole('table', { name: 'Past imports' }).getByRole('row', { name: /Orchard Demo Company \(DEP \+ VPP, 2019\)/ });
    await row.waitFor();
    assert.match(await row.textContent() ?? '', new RegExp(`${orchard.adminEmail.replace(/\./g, '\\.')}2 servers, 5 devices \\(2 orders\\), 40 licences \\(3 purchases\\), 1 content tokens, 2 invitations, 1 existing accounts$`));
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on Preferences');
    await screenshots(page, 'preferences-upgrade', section);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('refuses the same file again, and a serial another organisation takes after the dry run, changing nothing', async () => {
    const before = await state();
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    const section = await openPreferences(page);
    // The same file, re-indented: the dry run names the earlier import and everything it made.
    await choose(section, 'again.json', JSON.stringify(exportWithKey()));
    const again = section.getByRole('region', { name: 'Dry run of again.json' });
    const refused = again.getByRole('alert');
    await refused.filter({ hasText: 'The file cannot be imported as it is' }).waitFor();
    const first = refused.getByRole('listitem').first();
    assert.match(await first.textContent() ?? '', /^The whole file: This file was already imported into the organisation\.Place in the file: \/this file was already imported into the organisation \(import /);
    await refused.getByRole('listitem').filter({ hasText: 'Device 1 (UPGRD0000001) › serial number: This serial number is already a device of the organisation.' }).waitFor();
    await refused.getByRole('listitem').filter({ hasText: 'MDM server 1 (Legacy MDM) › name: The organisation already has an MDM server of this name.' }).waitFor();
    assert.ok(await again.getByRole('button', { name: 'Import', exact: true }).isDisabled(), 'a refused file cannot be imported');
    await screenshots(page, 'preferences-upgrade-refused', again);

    // Another account's file: new servers, orders and serials. It checks out, then another
    // organisation takes one of its serials before Import: the import is refused at that device.
    const doc = exportWithKey();
    doc.account_name = 'Orchard Demo Company (DEP, second account)';
    doc.device_enrollment.servers.forEach((s: any) => { s.name = `Second ${s.name}`; delete s.default_for; });
    doc.device_enrollment.devices.forEach((d: any, i: number) => {
      d.serial_number = `UPGRD00001${String(i).padStart(2, '0')}`;
      d.order_number = `${d.order_number}-B`;
      if (d.mdm_server) d.mdm_server = `Second ${d.mdm_server}`;
    });
    delete doc.volume_purchase.locations[0].s_token;
    doc.volume_purchase.purchasers = [];
    await choose(section, 'second.json', JSON.stringify(doc));
    const second = section.getByRole('region', { name: 'Dry run of second.json' });
    await second.getByRole('status').filter({ hasText: 'The file can be imported.' }).waitFor();

    const { org, token } = await orchard.deps.services.signUp(
      { name: 'Apfelbaum GmbH', duns: '150099887', email: 'it@apfelbaum.test' },
      { email: 'admin@apfelbaum.test', password: 'correct horse battery', roles: ['Administrator'] },
    );
    await orchard.deps.services.organisations.acceptTerms({ accountId: 'x', orgId: org.id, email: '', roles: ['Administrator'], via: 'api-token' });
    await api('POST', '/devices', token, { serial_number: 'UPGRD0000103', family: 'Mac', model: 'MacBook Air (M2)' });

    await second.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = second.getByRole('alert').filter({ hasText: 'Nothing was imported.' });
    await alert.waitFor();
    const item = (await alert.getByRole('listitem').allTextContents()).join('\n');
    assert.match(item, /^Device 4 \(UPGRD0000103\) › serial number: This serial number belongs to another organisation\.Place in the file: \/device_enrollment\/devices\/3\/serial_number.*UPGRD0000103 belongs to another organisation/);
    assert.deepEqual(await state(), before, 'nothing changed');
    assert.equal((await api('GET', '/organisation/upgrade-imports')).items.length, 1);
    // The plan no longer holds: checking the file again says so before any import.
    assert.equal(await second.getByRole('button', { name: 'Import', exact: true }).count(), 0);
    await second.getByRole('button', { name: 'Check the file again' }).click();
    await second.getByRole('alert').filter({ hasText: 'The file cannot be imported as it is: 1 refusal(s).' }).waitFor();
    assert.ok(await second.getByRole('button', { name: 'Import', exact: true }).isDisabled());
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) of the refusals');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('speaks French: the section, the counts and the refusals', async () => {
    const { context, page, errors } = await newPortalPage(browser, orchard.url, 'fr-FR');
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Préférences', exact: true }).click();
    const section = page.getByRole('region', { name: 'Mise à niveau depuis Device Enrollment et Volume Purchase' });
    await section.getByLabel('Fichier d’export').setInputFiles({ name: 'encore.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exportWithKey())) });
    const plan = section.getByRole('region', { name: 'Essai à blanc de encore.json' });
    await plan.getByRole('listitem').filter({ hasText: 'Le fichier entier: Ce fichier a déjà été importé dans l’organisation.' }).waitFor();
    await plan.getByRole('listitem').filter({ hasText: 'Appareil 2 (UPGRD0000002) › numéro de série: Ce numéro de série est déjà un appareil de l’organisation.' }).waitFor();
    assert.equal((await facts(plan.locator('dl[aria-label="Ce que le fichier apporte"]')))['Serveurs MDM'], '2');
    await section.getByRole('table', { name: 'Imports passés' }).getByRole('row', { name: /Orchard Demo Company \(DEP \+ VPP, 2019\)/ }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the section only to Administrators', async () => {
    const staff = await orchard.deps.services.accounts.create('system', orchard.bootstrap.orgId!, { email: 'dm@demo.orchard.test', password: 'a device manager password', roles: ['DeviceManager'] } as any);
    assert.ok(staff.id);
    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, 'dm@demo.orchard.test', 'a device manager password');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Preferences', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Preferences' }).waitFor();
    await page.getByRole('region', { name: 'Your MDM Servers' }).waitFor();
    assert.equal(await page.getByRole('region', { name: SECTION }).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
