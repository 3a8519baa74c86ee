// The APNs topic that enrolment profiles carry (com.apple.mdm `Topic`): the subject UID of the
// organisation's MDM push certificate (PROTOCOLS.md §7), managed by PushCertificateService.
// With the local APNs (simulator mode) an organisation without one gets a certificate from the
// local push CA the first time a device enrols, so offline enrolment just works; against
// Apple's APNs an Administrator must upload one first.
import { DomainError } from './business/errors.js';
import type { PushCertificateService } from './business/push-certificates.js';
import type { Identity } from './crypto/types.js';

export interface PushTopicSource {
  /** The topic the organisation's devices enrol with, e.g. `com.apple.mgmt.External.1f0c…`. */
  currentPushTopic(orgId: string): Promise<string>;
}

export function orgPushTopicSource(pushCertificates: PushCertificateService, opts: { localPushCa?: Identity } = {}): PushTopicSource {
  const installing = new Map<string, Promise<string>>();
  return {
    async currentPushTopic(orgId) {
      const topic = await pushCertificates.topic(orgId);
      if (topic) return topic;
      if (!opts.localPushCa) {
        throw new DomainError('unavailable', 'push_certificate_missing', 'the organisation has no MDM push certificate: an Administrator uploads one first');
      }
      let p = installing.get(orgId);
      if (!p) {
        p = pushCertificates.installLocalCertificate(orgId, opts.localPushCa).then((s) => s.topic).finally(() => installing.delete(orgId));
        installing.set(orgId, p);
      }
      return p;
    },
  };
}
