// Devices in Chromium, through the UI only: assign devices to an MDM server by uploading a CSV
// (chunks, progress, an outcome per serial, a refused serial named), then a simulated iPhone
// enrols, and its page queues DeviceInformation and shows the device's answer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunningOrchard } from '../../src/server.js';
import { contrastProblems, launchBrowser, newPortalPage, screenshots, signIn, startPortalOrchard } from '../support/browser.js';
import { tempDir } from '../support/harness.js';
import { IPHONE, simulatedDevice } from '../support/mdm.js';

describe('browser: devices', function () {
  let orchard: RunningOrchard & { adminEmail: string; adminPassword: string };
  let browser: Browser;
  let token: string;
  const api = async (p: string) => {
    const res = await fetch(`${orchard.url}/api/v1${p}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, p);
    return res.json() as Promise<any>;
  };
  const list = (body: any, legacy: string): any[] => body.items ?? body[legacy];
  before(async () => {
    [orchard, browser] = await Promise.all([startPortalOrchard(), launchBrowser()]);
    token = fs.readFileSync(orchard.bootstrap.adminTokenFile!, 'utf8').trim();
  });
  after(async () => {
    await browser?.close();
    await orchard?.close();
  });

  it('assigns devices by CSV upload with a progress bar and an outcome per serial', async () => {
    const iphones = list(await api('/devices?family=iPhone'), 'devices').map((d: any) => d.serial_number as string);
    assert.ok(iphones.length >= 3);
    const server = list(await api('/mdm-servers'), 'mdm_servers')[0];
    const dir = tempDir('orchard-browser-csv-');
    const good = path.join(dir, 'iphones.csv');
    fs.writeFileSync(good, `serial_number\n${iphones.join('\n')}\n`);
    const bad = path.join(dir, 'with-unknown.csv');
    fs.writeFileSync(bad, `${iphones[0]}\nNOTADEVICE0001\n`);

    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    // Nothing chosen yet: the form says what is missing without asking the API.
    await page.getByRole('button', { name: 'Assign from CSV', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: /^Choose an MDM server first\.$/ }).waitFor();
    await page.getByLabel('MDM server', { exact: true }).last().selectOption({ label: server.name });
    await page.getByLabel('CSV of serial numbers').setInputFiles(good);
    await page.getByRole('button', { name: 'Assign from CSV', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `${iphones.length} device(s) done.` }).waitFor();
    assert.equal(await page.getByRole('progressbar').getAttribute('value'), String(iphones.length));
    await page.getByText(`${iphones.length} of ${iphones.length} serial numbers`).waitFor();
    const outcomes = page.getByRole('table', { name: 'Outcome' });
    for (const s of iphones) await outcomes.getByRole('row', { name: new RegExp(`${s} assigned`) }).waitFor();
    await screenshots(page, 'devices-csv-assigned', page.getByRole('heading', { name: 'Assign', exact: true }));
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) with outcomes and notices');
    // The API agrees: every serial of the CSV is on the server now.
    const onServer = list(await api(`/devices?family=iPhone`), 'devices');
    assert.ok(onServer.every((d: any) => (d.mdm_server_id ?? d.mdm_server) === server.id));

    // A CSV naming a serial that is not the organisation's: the chunk is refused, nothing changes, and the table says why.
    await page.getByLabel('CSV of serial numbers').setInputFiles(bad);
    await page.getByRole('button', { name: 'Unassign from CSV' }).click();
    await outcomes.getByRole('row', { name: /NOTADEVICE0001 refused/ }).waitFor();
    await outcomes.getByRole('row', { name: new RegExp(`${iphones[0]} not changed`) }).waitFor();
    await page.getByText('2 serial numbers, 1 refused (refused ones listed first).').waitFor();
    // The outcomes download as a CSV named for what it holds.
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the outcomes' }).click()]);
    assert.equal(file.suggestedFilename(), 'device-outcomes.csv');
    const saved = fs.readFileSync((await file.path())!, 'utf8');
    assert.equal(saved, `serial_number,outcome\n${iphones[0]},not changed: another serial number of its batch was refused\n`
      + 'NOTADEVICE0001,refused: 1 serial number(s) are not devices of this organisation; nothing was changed\n');
    await page.getByRole('status').filter({ hasText: '0 device(s) done.' }).waitFor();
    assert.equal((await api(`/devices/${iphones[0]}`)).mdm_server_name, server.name);
    // The device CSV downloads under the name the API gives it.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the device CSV' }).click()]);
    assert.equal(csv.suggestedFilename(), 'devices.csv');
    assert.ok(fs.readFileSync((await csv.path())!, 'utf8').includes(iphones[0]!));

    // By order: every device of the order goes to the server.
    const order = list(await api('/orders'), 'orders').find((o: any) => o.order_number.startsWith('DEMO-2019'))!.order_number as string;
    const ofOrder = list(await api(`/devices?order_number=${order}`), 'devices');
    await page.getByLabel('Order number').fill(order);
    await page.getByRole('button', { name: 'Assign the order' }).click();
    await page.getByRole('status').filter({ hasText: `${ofOrder.length} device(s) done.` }).waitFor();
    for (const d of list(await api(`/devices?order_number=${order}`), 'devices')) assert.equal(d.mdm_server_id ?? d.mdm_server, server.id);

    // Release, after a confirmation: cancelled first (nothing changes), then confirmed.
    const ipod = list(await api('/devices?family=iPod'), 'devices')[0].serial_number as string;
    await page.getByRole('textbox', { name: 'Serial number' }).fill(ipod);
    await page.getByRole('checkbox', { name: `Select ${ipod}` }).check();
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByRole('dialog').count(), 0);
    assert.equal((await api(`/devices/${ipod}`)).serial_number, ipod);
    await page.getByRole('button', { name: 'Release' }).click();
    await page.getByRole('dialog').getByText(/Release 1 device\(s\) from the organisation\?/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await outcomes.getByRole('row', { name: `${ipod} released` }).waitFor();
    await page.getByRole('link', { name: ipod }).waitFor({ state: 'detached' });
    const gone = await fetch(`${orchard.url}/api/v1/devices/${ipod}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(gone.status, 404);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("queues DeviceInformation on a simulated iPhone's page and shows its answer", async () => {
    const serial = list(await api('/devices?family=iPhone'), 'devices')[0].serial_number as string;
    // Its assignment history has an entry whichever test ran first (the API answers "unchanged" when it is there).
    const server = list(await api('/mdm-servers'), 'mdm_servers')[0];
    const assigned = await fetch(`${orchard.url}/api/v1/mdm-servers/${server.id}/devices`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' }, body: `${serial}\n`,
    });
    assert.equal(assigned.status, 200);
    const { client } = await simulatedDevice({
      ca: orchard.deps.pki!.ca, store: orchard.deps.store, orgId: orchard.bootstrap.orgId!, facts: { ...IPHONE(), serialNumber: serial, deviceName: 'Browser Test iPhone' }, baseUrl: orchard.url,
    });
    assert.equal((await client.authenticate()).status, 200);
    assert.equal((await client.tokenUpdate()).status, 200);

    const { context, page, errors } = await newPortalPage(browser, orchard.url);
    await signIn(page, orchard.adminEmail, orchard.adminPassword);
    await page.getByRole('link', { name: 'Devices' }).click();
    // The list shows the device's MDM side: filtered to its serial, it reads enrolled.
    await page.getByRole('textbox', { name: 'Serial number' }).fill(serial);
    await page.getByRole('row', { name: new RegExp(`${serial} iPhone .* enrolled`) }).waitFor();
    await page.getByRole('link', { name: serial }).click();
    await page.getByRole('heading', { level: 1, name: `Device ${serial}` }).waitFor();
    assert.equal(await page.getByTestId('mdm-state').innerText(), 'enrolled');
    await page.getByRole('table', { name: 'Assignment history' }).getByRole('row', { name: /added/ }).waitFor();

    await page.getByLabel('Command', { exact: true }).selectOption('DeviceInformation');
    await page.getByRole('button', { name: 'Queue a command' }).click();
    await page.getByRole('status').filter({ hasText: /Command [0-9A-F-]{36} queued\./i }).waitFor();
    const commands = page.getByRole('table', { name: 'Commands' });
    await commands.getByRole('row', { name: /DeviceInformation queued/ }).waitFor();

    // The device connects and answers; its page shows the answer.
    const run = await client.connectLoop();
    assert.deepEqual(run.steps.map((s) => [s.requestType, s.status]), [['DeviceInformation', 'Acknowledged']]);
    await page.reload();
    await commands.getByRole('row', { name: /DeviceInformation acknowledged/ }).waitFor();
    await commands.getByText(/Show the result/).click();
    const answer = await commands.locator('pre.response').innerText();
    assert.match(answer, /"QueryResponses"/);
    assert.match(answer, /"DeviceName": "Browser Test iPhone"/);
    await screenshots(page, 'device');
    await screenshots(page, 'device-result', commands);
    assert.deepEqual(await contrastProblems(page), [], 'text contrast (WCAG AA) on the device page');

    // The installed apps come from the device's latest InstalledApplicationList answer.
    await page.getByText('No inventory yet: queue an InstalledApplicationList command.').waitFor();
    await page.getByLabel('Command', { exact: true }).selectOption('InstalledApplicationList');
    await page.getByRole('button', { name: 'Queue a command' }).click();
    await commands.getByRole('row', { name: /InstalledApplicationList queued/ }).waitFor();
    assert.deepEqual((await client.connectLoop()).steps.map((s) => s.status), ['Acknowledged']);
    await page.reload();
    const apps = page.getByRole('table', { name: 'Installed apps' });
    await apps.getByRole('row').nth(1).waitFor();
    assert.ok(await apps.getByRole('row').count() > 1);
    assert.match((await apps.getByRole('row').nth(1).innerText()), /\w+\.\w+/, 'a bundle identifier');

    // A pending command is cancelled after a confirmation; the device then gets nothing.
    await page.getByLabel('Command', { exact: true }).selectOption('ProfileList');
    await page.getByRole('button', { name: 'Queue a command' }).click();
    const pending = commands.getByRole('row', { name: /ProfileList queued/ });
    await pending.getByRole('button', { name: 'Cancel' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Cancel command ProfileList?').waitFor();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Command cancelled.' }).waitFor();
    await commands.getByRole('row', { name: /ProfileList cancelled/ }).waitFor();
    assert.deepEqual((await client.connectLoop()).steps, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
