// `npm start` runs the server with the flags the benchmark measures it with (src/serve-flags.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SERVE_NODE_FLAGS } from '../../../src/serve-flags.js';

describe('server runtime flags', () => {
  it('npm start passes every flag of SERVE_NODE_FLAGS to node before the script', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const start: string = pkg.scripts.start;
    const node = start.slice(start.indexOf('node '), start.indexOf('dist/bin/orchard.js serve'));
    assert.ok(SERVE_NODE_FLAGS.length > 0);
    for (const flag of SERVE_NODE_FLAGS) assert.ok(node.split(/\s+/).includes(flag), `${flag} missing from "${start}"`);
  });
});
