// The APNs topic that enrolment profiles carry (com.apple.mdm `Topic`): the subject UID of
// Orchard's MDM push certificate (PROTOCOLS.md §7). Until push certificates are managed
// (issue 7 replaces this source), Orchard issues itself one from `pki.pushCa` on first use and
// keeps it under <dataDir>/pki/, so the topic never changes across restarts: a changed topic
// would make every enrolled device re-enrol.
import path from 'node:path';
import type { Clock, Ids } from './clock.js';
import { issueCertificate, subjectUid } from './crypto/certificates.js';
import { generateRsaKeyPair } from './crypto/keys.js';
import type { Identity } from './crypto/types.js';
import type { Pki } from './pki.js';
import { readIdentity, writeIdentity } from './pki-loader.js';

export interface PushTopicSource {
  /** The topic devices enrol with, e.g. `com.apple.mgmt.External.1f0c…`. */
  currentPushTopic(): Promise<string>;
  /** The push identity (certificate + key) whose subject UID is the topic. */
  pushIdentity(): Promise<Identity>;
}

const FILE = 'mdm-push';

/** Loads `<dataDir>/pki/mdm-push.*.pem`, or issues it from the push CA the first time it is asked for. */
export function localPushTopicSource(opts: { dataDir: string; pki: Pki; clock: Clock; ids: Ids; identity?: Identity }): PushTopicSource {
  let pending: Promise<Identity> | undefined = opts.identity ? Promise.resolve(opts.identity) : undefined;
  const load = async (): Promise<Identity> => {
    const dir = path.join(opts.dataDir, 'pki');
    const existing = readIdentity(dir, FILE);
    if (existing) return { ...existing, chain: [opts.pki.pushCa.cert] };
    const now = opts.clock.now();
    const keys = await generateRsaKeyPair(2048);
    const cert = await issueCertificate({
      subject: { UID: `com.apple.mgmt.External.${opts.ids.uuid().toLowerCase()}`, CN: 'APSP:Orchard MDM', C: 'US' },
      publicKey: keys.publicKey,
      issuer: opts.pki.pushCa,
      notBefore: new Date(now.getTime() - 60 * 60 * 1000),
      notAfter: new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000),
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extendedKeyUsage: ['clientAuth'],
    });
    const identity = { cert, key: keys.privateKey, chain: [opts.pki.pushCa.cert] };
    writeIdentity(dir, FILE, identity);
    return identity;
  };
  const identity = () => (pending ??= load().catch((err) => {
    pending = undefined;
    throw err;
  }));
  return {
    pushIdentity: identity,
    async currentPushTopic() {
      const uid = subjectUid((await identity()).cert);
      if (!uid) throw new Error('the MDM push certificate has no subject UID');
      return uid;
    },
  };
}
