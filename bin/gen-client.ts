#!/usr/bin/env node
// Writes the admin API's OpenAPI document (docs/openapi.json) and the typed client's schema
// (src/client/schema.ts) generated from it. Run by `npm run gen:client` after changing an operation.
import { writeFileSync } from 'node:fs';
import { CLIENT_SCHEMA_PATH, clientSchemaSource, documentJson } from '../src/cli/gen-client.js';

const OPENAPI_JSON_PATH = 'docs/openapi.json';
writeFileSync(OPENAPI_JSON_PATH, documentJson());
writeFileSync(CLIENT_SCHEMA_PATH, await clientSchemaSource());
process.stdout.write(`wrote ${OPENAPI_JSON_PATH} and ${CLIENT_SCHEMA_PATH}\n`);
