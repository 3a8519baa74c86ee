// One PKI per test process: four RSA-2048 keys take most of a second to generate, so every test
// Orchard shares the same CAs (each still has its own database and data dir).
import { AdjustableClock } from '../../src/clock.js';
import type { Pki } from '../../src/pki.js';
import { loadOrCreatePki } from '../../src/pki-loader.js';
import { tempDir } from './harness.js';

let pki: Promise<Pki> | undefined;

export function testPki(): Promise<Pki> {
  return (pki ??= loadOrCreatePki(tempDir('orchard-test-pki-'), new AdjustableClock()));
}
