// `orchard sim run` on a real loopback Orchard (local APNs in-process): a demo iPhone assigned to
// Orchard's MDM enrols (the built-in default ADE profile), checks in, listens and answers the
// pushed commands, one log line each, until stopped; run again with the same --state-dir it comes
// back as the same device without walking Setup Assistant again, and its apps are still there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/config.js';
import { BUILTIN_SERVER_NAME } from '../../src/business/enrollment/builtin-mdm.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { simCommand } from '../../src/sim/cli.js';
import { savedEnrolmentPath, type SavedEnrolment } from '../../src/sim/saved-enrolment.js';
import { tempDir } from '../support/harness.js';

const SERIAL = 'DMOPH0000002';

/** One `sim run`: its log lines, a way to wait for a line, and its stop. */
function startRun(argv: string[]) {
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  const out = (text: string) => {
    for (const line of text.split('\n').filter(Boolean)) {
      lines.push(line);
      for (let i = 0; i < waiters.length; i++) if (waiters[i]!.re.test(line)) waiters.splice(i--, 1)[0]!.resolve(line);
    }
  };
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const done = simCommand(['run', ...argv], out, { stopped, now: () => new Date('2025-06-01T12:00:00Z') });
  // A failed run ends before anyone waits for a line: fail the waiters instead of hanging.
  done.catch((err) => {
    for (const w of waiters.splice(0)) w.resolve(`failed: ${err}`);
  });
  return {
    lines, done, stop,
    line: (re: RegExp) => {
      const seen = lines.find((l) => re.test(l));
      return seen ? Promise.resolve(seen) : new Promise<string>((resolve) => waiters.push({ re, resolve }));
    },
  };
}

describe('orchard sim run', function () {
  let orchard: RunningOrchard;
  let token: string;
  let tokenFile: string;
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${orchard.url}/api/v1${p}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    const config = loadConfig({ ORCHARD_DATA_DIR: tempDir('orchard-e2e-simrun-'), PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent', ORCHARD_APNS_MODE: 'simulator' });
    orchard = await startOrchard(config, { logger: silentLogger, webhookIntervalMs: 60_000, repushIntervalMs: 60_000, scheduledCommandsIntervalMs: 60_000 });
    tokenFile = orchard.bootstrap.adminTokenFile!;
    token = fs.readFileSync(tokenFile, 'utf8').trim();
    const builtin = (await api('GET', '/mdm-servers')).body.items.find((s: any) => s.name === BUILTIN_SERVER_NAME);
    assert.equal((await api('POST', `/mdm-servers/${builtin.id}/devices`, { serial_numbers: [SERIAL] })).status, 200);
  });
  after(() => orchard?.close());

  it('enrols, checks in, answers pushed commands with one line each, and comes back from --state-dir', async () => {
    const stateDir = tempDir('orchard-sim-state-');
    const args = ['--serial', SERIAL, '--family', 'iPhone', '--url', orchard.url, '--token-file', tokenFile, '--state-dir', stateDir];
    const first = startRun(args);
    const enrolled = await first.line(/ enrolled | failed: /);
    assert.match(enrolled, /^2025-06-01T12:00:00\.000Z DMOPH0000002 enrolled \(iPhone, iPhone15,4, UDID [0-9A-F-]{25}\): profile verified, MDM http:\/\/.+\/mdm\/connect$/);
    const udid = /UDID ([0-9A-F-]+)/.exec(enrolled)![1]!;
    assert.match(await first.line(/checked in/), / checked in: Authenticate, TokenUpdate \(token [0-9a-f]{8}…, AwaitingConfiguration false\)$/);
    assert.match(await first.line(/listening/), new RegExp(`listening for pushes on ${orchard.apnsDeviceUrl} \\(topic com\\.apple\\.mgmt\\.External\\.`));

    const info = await api('POST', '/commands', { udids: [udid], command: { RequestType: 'DeviceInformation', Queries: ['SerialNumber'] } });
    assert.equal(info.status, 201);
    await first.line(new RegExp(`command DeviceInformation ${info.body.command_uuid} → Acknowledged$`));
    const install = await api('POST', '/commands', { udids: [udid], command: { RequestType: 'InstallApplication', iTunesStoreID: 1500000007, ManagementFlags: 1 } });
    await first.line(new RegExp(`command InstallApplication ${install.body.command_uuid} → Acknowledged$`));
    first.stop();
    assert.equal(await first.done, 0);
    // One line per push and per command, nothing else in between.
    const body = first.lines.slice(first.lines.findIndex((l) => l.includes('listening')) + 1).map((l) => l.split(' ').slice(2, 4).join(' '));
    assert.deepEqual(body, ['push (apns-id', 'command DeviceInformation', 'push (apns-id', 'command InstallApplication', 'stopped after']);
    assert.match(first.lines.at(-1)!, /stopped after 2 push\(es\) and 2 connect loop\(s\)$/);
    assert.equal((await api('GET', `/commands/${info.body.command_uuid}`)).body.targets[0].response.QueryResponses.SerialNumber, SERIAL);

    const file = savedEnrolmentPath(stateDir, SERIAL);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedEnrolment;
    assert.deepEqual([saved.serial, saved.udid, saved.family], [SERIAL, udid, 'iPhone']);
    assert.ok(saved.state.apps.some((a) => a.Identifier === 'com.orchardfixtures.ledgerpro' && a.managed));

    // Again: the same device, no Setup Assistant, TokenUpdate only; its managed app is still there.
    const second = startRun(args);
    assert.match(await second.line(/reusing|failed: /), new RegExp(`reusing the enrolment saved in ${stateDir.replace(/[/.]/g, '\\$&')} \\(UDID ${udid}\\)$`));
    assert.match(await second.line(/checked in/), / checked in: TokenUpdate \(token /);
    await second.line(/listening/);
    const list = await api('POST', '/commands', { udids: [udid], command: { RequestType: 'ManagedApplicationList' } });
    await second.line(new RegExp(`command ManagedApplicationList ${list.body.command_uuid} → Acknowledged$`));
    second.stop();
    assert.equal(await second.done, 0);
    const apps = (await api('GET', `/commands/${list.body.command_uuid}`)).body.targets[0].response.ManagedApplicationList;
    assert.deepEqual(Object.keys(apps), ['com.orchardfixtures.ledgerpro']);
    assert.ok(!second.lines.some((l) => / enrolled /.test(l)));
    const view = await api('GET', `/mdm/devices/${udid}`);
    assert.deepEqual([view.body.serial_number, view.body.state, view.body.push.last_status], [SERIAL, 'enrolled', 'delivered']);
  });

  it('refuses unknown options and a saved enrolment of another family', async () => {
    await assert.rejects(simCommand(['run', '--serial', SERIAL, '--url', orchard.url, '--colour', 'red'], () => {}, { stopped: Promise.resolve() }), ConfigError);
    const stateDir = tempDir('orchard-sim-state-');
    fs.writeFileSync(path.join(stateDir, `${SERIAL}.json`), JSON.stringify({ version: 1, serial: SERIAL, family: 'iPhone' }));
    await assert.rejects(
      simCommand(['run', '--serial', SERIAL, '--family', 'Mac', '--url', orchard.url, '--token', token, '--state-dir', stateDir], () => {}, { stopped: Promise.resolve() }),
      /saved enrolment of DMOPH0000002 is for family iPhone, not Mac/,
    );
  });
});
