// The server operator's bearer token: <data dir>/operator-token, mode 0600, made on first start
// (src/business/operator.ts says what it opens). Delete the file and restart to replace it.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { OPERATOR_TOKEN_PREFIX } from './business/operator.js';
import { loadOrCreateSecretFile } from './secret-file.js';

export const operatorTokenFile = (dataDir: string) => path.join(dataDir, 'operator-token');

export function newOperatorToken(): string {
  return OPERATOR_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function loadOperatorToken(dataDir: string): string {
  return loadOrCreateSecretFile(operatorTokenFile(dataDir), () => Buffer.from(newOperatorToken() + '\n')).toString('utf8').trim();
}
