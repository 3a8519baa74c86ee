// Shared setup of the MDM protocol tests: a test Orchard with a test CA as pki.ca, and
// simulated devices whose identities are recorded as SCEP would record them.
import type { Identity } from '../../../src/crypto/types.js';
import type { SimDeviceFacts } from '../../../src/sim/mdm-client.js';
import { buildTestOrchard, type TestOrchard } from '../../support/harness.js';
import { makeCa, pkiOf, simulatedDevice, supertestFetch } from '../../support/mdm.js';

let caPromise: Promise<Identity> | undefined;
export const testCa = () => (caPromise ??= makeCa());

export interface MdmTest extends TestOrchard {
  ca: Identity;
  device(facts: SimDeviceFacts, orgId?: string): ReturnType<typeof simulatedDevice>;
  /** A device that has sent Authenticate and TokenUpdate. */
  enrolled(facts: SimDeviceFacts): ReturnType<typeof simulatedDevice>;
}

export async function mdmTest(): Promise<MdmTest> {
  const ca = await testCa();
  const t = await buildTestOrchard({}, { pki: pkiOf(ca) });
  const fetchImpl = supertestFetch(t.app);
  const device = (facts: SimDeviceFacts, orgId = t.orgId) => simulatedDevice({ ca, store: t.deps.store, orgId, facts, baseUrl: 'http://orchard.test', fetchImpl });
  return {
    ...t, ca, device,
    async enrolled(facts) {
      const d = await device(facts);
      const a = await d.client.authenticate();
      const u = await d.client.tokenUpdate();
      if (a.status !== 200 || u.status !== 200) throw new Error(`enrolment failed: ${a.status} ${a.body} / ${u.status} ${u.body}`);
      return d;
    },
  };
}

/** Apple's plist header, as devices send it. */
export const plistDoc = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n${inner}\n</dict>\n</plist>\n`;
