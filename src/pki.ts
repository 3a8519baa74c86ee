// Orchard's own certificate authorities and identities, created under the data dir on first
// start (private keys mode 0600) and handed to the faces by the composition root (src/compose.ts).
import type { Identity } from './crypto/types.js';

export interface Pki {
  /** Orchard's root CA: issues the server's signing identity and (through SCEP) device MDM identities. */
  ca: Identity;
  /** Signs enrolment profiles, cloud configurations and SCEP CertReps' siblings. */
  signing: Identity;
  /** Stand-in for Apple's device identity CA: issues simulated devices their attestation identity. */
  deviceAttestationCa: Identity;
  /** The local APNs simulator's push CA: issues push certificates the simulator trusts. */
  pushCa: Identity;
}
