// The typed client's schema (src/client/schema.ts) and docs/openapi.json are generated from the
// OpenAPI document (`npm run gen:client`); a change to an operation that was not regenerated fails
// here, so the client, the CLI and the simulator cannot drift from the routes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CLIENT_SCHEMA_PATH, clientSchemaSource, documentJson } from '../../../src/cli/gen-client.js';

const REPO = path.resolve(import.meta.dirname, '../../..');

describe('the typed client (src/client/) is generated from the current OpenAPI document', () => {
  it('src/client/schema.ts equals what `npm run gen:client` would write now', async () => {
    const committed = fs.readFileSync(path.join(REPO, CLIENT_SCHEMA_PATH), 'utf8');
    const fresh = await clientSchemaSource();
    assert.ok(committed === fresh, `${CLIENT_SCHEMA_PATH} is stale: run \`npm run gen:client\` and commit it`);
  });

  it('docs/openapi.json equals the document the server serves', () => {
    const committed = fs.readFileSync(path.join(REPO, 'docs/openapi.json'), 'utf8');
    assert.ok(committed === documentJson(), 'docs/openapi.json is stale: run `npm run gen:client` and commit it');
  });

  it('the schema names every operation of the document', async () => {
    const doc = JSON.parse(documentJson()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const source = await clientSchemaSource();
    const ids = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    assert.ok(ids.length > 20);
    for (const id of ids) assert.ok(source.includes(`    ${id}: {`), `operation ${id} missing from the generated schema`);
  });
});
