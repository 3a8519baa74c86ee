// Test harness: a fresh Orchard app on an in-memory database with its own adjustable clock,
// the demo organisation bootstrapped, and a second organisation for isolation tests. It builds
// through the server's own composition root (src/compose.ts), so tests and `serve` cannot drift.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyBudget } from '../../src/http/body-budget.js';
import { composeOrchard, type OrchardParts } from '../../src/compose.js';
import { bootstrapDemo } from '../../src/bootstrap.js';
import { AdjustableClock, randomIds } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DunsEntry } from '../../src/business/organisations.js';
import { readFixture } from '../../src/fixtures.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { newOperatorToken } from '../../src/operator-token.js';
import type { Pki } from '../../src/pki.js';
import { loadCursorKey } from '../../src/dep/cursors.js';
import { openDb, type Db } from '../../src/store/db.js';
import { createSqliteStore } from '../../src/store/index.js';
import { testPki } from './pki.js';

// Every temporary directory a test makes is removed when the test process exits (mocha runs with
// --exit), so a run leaves nothing behind under the system's temporary directory.
const madeDirs: string[] = [];
process.once('exit', () => {
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'orchard-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export interface TestOrchard {
  /** The main port's Express app. */
  app: Express;
  /** The main port's handler (the MDM fast path in front of `app`), as `serve` answers. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The DEP port's app (shares the DEP sessions with `app`'s /dep mount). */
  depApp: Express;
  /** The DEP port's handler: the body gate in front of `depApp`, as `serve` answers. */
  depHandler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The budget of body bytes in flight both handlers draw on (src/http/body-budget.ts). */
  budget: BodyBudget;
  deps: OrchardParts;
  clock: AdjustableClock;
  dataDir: string;
  /** The demo organisation's Administrator token. */
  adminToken: string;
  /** The server operator's token (test controls, the simulated factory for any serial). */
  operatorToken: string;
  orgId: string;
  /** The in-memory database behind the store (probes snapshot it to prove nothing changed). */
  db: Db;
  /** Creates an account with `roles` in the demo organisation and returns its API token. */
  tokenFor(roles: string[], email?: string): Promise<string>;
  /** A second organisation with its own Administrator, for isolation tests. */
  otherOrg(): Promise<{ orgId: string; token: string }>;
}

export interface TestOrchardOptions {
  /** Orchard's CAs: the shared test PKI unless given (MDM tests use their own test CA as `ca`). */
  pki?: Pki;
  /** Where the app logs (silent unless given). */
  logger?: Logger;
}

export async function buildTestOrchard(overrides: Partial<Config> = {}, opts: TestOrchardOptions = {}): Promise<TestOrchard> {
  const dataDir = tempDir();
  const config = { ...loadConfig({ ORCHARD_DATA_DIR: dataDir, ORCHARD_LOG_LEVEL: 'silent' }), ...overrides };
  const clock = new AdjustableClock();
  const db = openDb(':memory:');
  const store = createSqliteStore(db);
  const operatorToken = newOperatorToken();
  const pki = opts.pki ?? await testPki();
  const orchard = composeOrchard({
    config, store, clock, ids: randomIds, logger: opts.logger ?? silentLogger, pki, cursorKey: loadCursorKey(dataDir),
    serviceOptions: { dunsDirectory: readFixture<DunsEntry[]>('duns-directory.json'), secretsKey: randomBytes(32), operatorToken },
  });
  const { app, parts: deps } = orchard;
  const { services } = deps;
  const boot = await bootstrapDemo(store, services, dataDir);
  const adminToken = fs.readFileSync(boot.adminTokenFile!, 'utf8').trim();
  let n = 0;
  let other: Promise<{ orgId: string; token: string }> | undefined;
  return {
    app, handler: orchard.handler, depApp: orchard.depApp, depHandler: orchard.depHandler, budget: orchard.budget, db, deps, clock, dataDir, adminToken, operatorToken, orgId: boot.orgId!,
    async tokenFor(roles, email) {
      const account = await services.accounts.create('system', boot.orgId!, { email: email ?? `user${++n}-${Date.now()}@demo.orchard.test`, roles: roles as any });
      return (await services.accounts.issueApiToken(account.id, 'test')).token;
    },
    async otherOrg() {
      other ??= (async () => {
      const { org, token } = await services.signUp(
        { name: 'Apfelbaum GmbH', duns: '150099887', email: 'it@apfelbaum.test' },
        { email: `admin-${Date.now()}@apfelbaum.test`, password: 'correct horse battery', roles: ['Administrator'] },
      );
      const admin = { accountId: 'x', orgId: org.id, email: '', roles: ['Administrator' as const], via: 'api-token' as const };
      await services.organisations.acceptTerms(admin);
      await services.organisations.acceptContentTerms(admin);
      await services.organisations.setBilling(admin, { name: org.name, email: 'billing@apfelbaum.test', address: org.address });
      return { orgId: org.id, token };
      })();
      return other;
    },
  };
}
