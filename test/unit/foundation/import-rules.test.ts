// The import rules (.dependency-cruiser.cjs) fail the build on a violation: dependency-cruiser is
// run, with the repository's own configuration, over a small throwaway tree laid out like src/
// in which every rule is broken once and every allowed edge is used once. The exact set of
// violations (a cycle is reported once, at its first module) proves each rule fires, and that the allowed edges (a face calling the domain, its
// own wire, the shared HTTP helpers, a row type from the store) are not flagged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../support/harness.js';

const REPO = path.resolve(import.meta.dirname, '../../..');

const TREE: Record<string, string> = {
  // Allowed: a face uses the domain, its own wire, the shared HTTP helpers and a store row type.
  'src/dep/router.ts': [
    "import { svc } from '../business/svc.js';",
    "import { code } from './wire.js';",
    "import { param } from '../http/params.js';",
    "import type { Row } from '../store/rows.js';",
    // Forbidden: another face, the store's code, the composition root.
    "import { vppCode } from '../vpp/wire.js';",
    "import { openDb } from '../store/db.js';",
    "import { compose } from '../compose.js';",
    'export const router = (r: Row) => [svc, code, param, vppCode, openDb, compose, r];',
  ].join('\n'),
  'src/dep/wire.ts': 'export const code = 1;',
  'src/vpp/wire.ts': 'export const vppCode = 2;',
  'src/http/params.ts': 'export const param = 3;',
  'src/compose.ts': 'export const compose = 4;',
  'src/clock.ts': 'export const now = 5;',
  // The domain may use the store; never a face, never Express.
  'src/business/svc.ts': [
    "import { openDb } from '../store/db.js';",
    "import { mdm } from '../mdm/router.js';",
    "import express from 'express';",
    'export const svc = [openDb, mdm, express];',
  ].join('\n'),
  'src/mdm/router.ts': 'export const mdm = 6;',
  // The store imports nothing above it.
  'src/store/db.ts': "import { param } from '../http/params.js';\nexport const openDb = param;",
  'src/store/rows.ts': 'export interface Row { id: string }',
  // The model, crypto/ and plist/ are leaves.
  'src/model/m.ts': "import type { Row } from '../store/rows.js';\nexport type M = Row;",
  'src/crypto/a.ts': "import { plist } from '../plist/p.js';\nexport const a = plist;",
  'src/plist/p.ts': "import { now } from '../clock.js';\nexport const plist = now;",
  // The simulator speaks only the wire: plist/ is fine, the domain is not.
  'src/sim/device.ts': "import { plist } from '../plist/p.js';\nimport { svc } from '../business/svc.js';\nexport const d = [plist, svc];",
  // Cycles: at run time anywhere (e ⇄ f), through types across folders (a ⇄ b); a type-only
  // cycle inside one folder (c ⇄ d) is tolerated.
  'src/apns/e.ts': "import { f } from './f.js';\nexport const e = () => f;",
  'src/apns/f.ts': "import { e } from './e.js';\nexport const f = () => e;",
  'src/apns/a.ts': "import type { B } from '../cli/b.js';\nexport interface A { b?: B }",
  'src/cli/b.ts': "import type { A } from '../apns/a.js';\nexport interface B { a?: A }",
  'src/apns/c.ts': "import type { D } from './d.js';\nexport interface C { d?: D }",
  'src/apns/d.ts': "import type { C } from './c.js';\nexport interface D { c?: C }",
  // The typed client: its own schema and npm packages are fine; the rest of Orchard and Node's
  // built-ins are not (it runs in a browser too).
  'src/client/index.ts': "import type { paths } from './schema.js';\nimport { now } from '../clock.js';\nimport { readFileSync } from 'node:fs';\nexport const c = (p?: paths) => [p, now, readFileSync];",
  'src/client/schema.ts': 'export interface paths { x: 1 }',
  // The portal's browser app reaches Orchard only through the API: the typed client is fine, the domain is not.
  'src/portal/web/app/api.ts': "import { c } from '../../../client/index.js';\nimport { svc } from '../../../business/svc.js';\nexport const api = [c, svc];",
  // An import left behind by a move.
  'src/cli/u.ts': "import { gone } from './moved-away.js';\nexport const u = gone;",
};

const EXPECTED = [
  'client-is-a-leaf src/client/index.ts -> src/clock.ts',
  'client-runs-in-a-browser src/client/index.ts -> fs',
  'crypto-is-a-leaf src/crypto/a.ts -> src/plist/p.ts',
  'domain-not-to-express src/business/svc.ts -> node_modules/express',
  'domain-not-to-face src/business/svc.ts -> src/mdm/router.ts',
  'face-not-to-other-face src/dep/router.ts -> src/vpp/wire.ts',
  'face-not-to-store src/dep/router.ts -> src/store/db.ts',
  'model-is-a-leaf src/model/m.ts -> src/store/rows.ts',
  'no-circular src/apns/e.ts -> src/apns/f.ts',
  'no-circular-between-parts src/apns/a.ts -> src/cli/b.ts',
  'not-to-unresolvable src/cli/u.ts -> ./moved-away.js',
  'nothing-to-composition-root src/dep/router.ts -> src/compose.ts',
  'plist-is-a-leaf src/plist/p.ts -> src/clock.ts',
  'portal-app-is-browser-code src/portal/web/app/api.ts -> src/business/svc.ts',
  'sim-speaks-only-the-wire src/sim/device.ts -> src/business/svc.ts',
  'store-not-above src/store/db.ts -> src/http/params.ts',
];

interface Violation { rule: { name: string; severity: string }; from: string; to: string }

/** depcruise over `dir`'s src/ with the repository's configuration, as `npm run lint:imports` runs it. */
function depcruise(dir: string, outputType: 'err' | 'json') {
  const bin = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  return spawnSync(process.execPath, [bin, 'src', '--config', path.join(REPO, '.dependency-cruiser.cjs'), '--output-type', outputType], { cwd: dir, encoding: 'utf8' });
}

describe('import rules (.dependency-cruiser.cjs, run by npm test)', () => {
  it('flags each forbidden edge exactly once, leaves allowed edges alone, and exits non-zero', () => {
    const dir = tempDir('orchard-imports-');
    for (const [file, text] of Object.entries(TREE)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), `${text}\n`);
    }
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src/**/*.ts'] }));
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const { violations } = (JSON.parse(depcruise(dir, 'json').stdout) as { summary: { violations: Violation[] } }).summary;
    const found = violations.map((v) => `${v.rule.name} ${v.from} -> ${v.to.replace(/^.*node_modules\/express\/.*$/, 'node_modules/express')}`).sort();
    assert.deepEqual(found, EXPECTED);
    assert.ok(violations.every((v) => v.rule.severity === 'error'));
    // The reporter `npm run lint:imports` uses exits with the number of errors: the build fails.
    const run = depcruise(dir, 'err');
    assert.equal(run.status, EXPECTED.length);
    assert.ok(run.stdout.includes(`x ${EXPECTED.length} dependency violations (${EXPECTED.length} errors, 0 warnings)`), run.stdout);
  });
});
