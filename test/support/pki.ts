// One PKI per test process: four RSA-2048 keys take most of a second to generate, so every test
// Orchard shares the same CAs (each still has its own database and data dir).
import { AdjustableClock, randomIds } from '../../src/clock.js';
import type { Identity } from '../../src/crypto/types.js';
import type { Pki } from '../../src/pki.js';
import { loadOrCreatePki } from '../../src/pki-loader.js';
import { localPushTopicSource } from '../../src/push-topic.js';
import { tempDir } from './harness.js';

let pki: Promise<Pki> | undefined;
let push: Promise<Identity> | undefined;

export function testPki(): Promise<Pki> {
  return (pki ??= loadOrCreatePki(tempDir('orchard-test-pki-'), new AdjustableClock()));
}

/** The shared MDM push identity (its subject UID is the topic profiles carry). */
export async function testPushIdentity(): Promise<Identity> {
  const p = await testPki();
  return (push ??= localPushTopicSource({ dataDir: tempDir('orchard-test-push-'), pki: p, clock: new AdjustableClock(), ids: randomIds }).pushIdentity());
}
