// The README's "Getting started" runs as written: a real Orchard on free ports (its local APNs
// in-process), then every ```sh block between the README's getting-started markers, in order, in
// one bash session whose only presets are the README's own variables (ORCHARD, DATA). `npx
// orchard` runs bin/orchard.ts through tsx, the code `npm start` builds into dist/. Asserted: the
// session ends with status 0, the decrypted server token carries a consumer_key, the simulated
// iPhone installed the app it was assigned and acknowledged it, and the command's result was read.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startOrchard, type RunningOrchard } from '../../src/server.js';
import { tempDir } from '../support/harness.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const BEGIN = '<!-- getting-started:begin';
const END = '<!-- getting-started:end -->';

/** The ```sh blocks between the markers, in order. */
export function gettingStartedBlocks(readme: string): string[] {
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  assert.ok(from >= 0 && to > from, 'README.md has no getting-started markers');
  return [...readme.slice(from, to).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

function runBash(script: string, cwd: string, env: Record<string, string>): { done: Promise<{ code: number | null; out: string }>; kill(): void } {
  const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return {
    done: new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    }),
    // The whole process group: bash and the simulated device it started in the background.
    kill: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch { /* already gone */ }
    },
  };
}

describe('e2e: the README\'s Getting started, run as written', function () {
  this.timeout(600_000);
  let orchard: RunningOrchard;
  let dataDir: string;

  before(async () => {
    dataDir = tempDir('orchard-readme-data-');
    const config = loadConfig({ ORCHARD_DATA_DIR: dataDir, PORT: '0', ORCHARD_DEP_PORT: '0', ORCHARD_LOG_LEVEL: 'silent', ORCHARD_APNS_MODE: 'simulator' });
    orchard = await startOrchard(config, { logger: silentLogger });
  });
  after(async () => orchard?.close());

  it('extracts the blocks in the guide\'s order', () => {
    const blocks = gettingStartedBlocks(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'));
    const firstCall = (needle: string) => blocks.findIndex((b) => b.includes(needle));
    const order = ['/organisation/terms', '/accounts', '/locations', '/mdm-servers', '/mdm-server-defaults', '/purchases', '/content/assignments', '/commands'].map(firstCall);
    assert.ok(order.every((i) => i >= 0), `a step is missing: ${order}`);
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });

  it('runs every block in one bash session: token decrypted, app installed on the simulated iPhone, command result read', async () => {
    const blocks = gettingStartedBlocks(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'));
    const work = tempDir('orchard-readme-work-');
    const tsx = path.join(REPO, 'node_modules/.bin/tsx');
    const script = [
      'set -euo pipefail',
      // `npx orchard` as a fresh clone has it after `npm start`, from the sources instead of dist/.
      `npx() { if [ "$1" = orchard ]; then shift; "${tsx}" "${path.join(REPO, 'bin/orchard.ts')}" "$@"; else command npx "$@"; fi; }`,
      ...blocks.map((b, i) => `echo "### block ${i}"\n${b}`),
      'echo "### done"',
    ].join('\n');
    const run = runBash(script, work, { ORCHARD: orchard.url, DATA: dataDir });
    let result: { code: number | null; out: string };
    try {
      result = await run.done;
    } finally {
      run.kill();
    }
    const { code, out } = result;
    assert.equal(code, 0, out);
    assert.match(out, /### done/);

    // Step 4: the decrypted server token names its consumer key.
    assert.match(out, /"consumer_key": "[^"]+"/, out);
    // Step 7: the simulated device was pushed, installed the app and acknowledged.
    const simLog = fs.readFileSync(path.join(work, 'sim.log'), 'utf8');
    assert.match(simLog, /enrolled \(iPhone/);
    assert.match(simLog, /command InstallApplication [0-9A-F-]+ → Acknowledged/i, simLog);
    // Step 8: the command's result, read back through the API.
    assert.match(out, /"OSVersion": "[^"]+"/, out);
    assert.match(out, /"SerialNumber": "DMOPH0000001"/, out);
  });
});
