// What the enrolment face is handed by the composition root (src/compose.ts): the device
// enrolment steps and the enrolment-profile service (both domain), and the URLs and
// certificates its answers carry.
import type { DeviceEnrolment } from '../business/enrollment/device-enrolment.js';
import type { EnrollmentService } from '../business/enrollment/profile-service.js';
import type { Services } from '../business/services.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Pki } from '../pki.js';
import type { BodyLimits } from '../config.js';

export interface EnrollFaceDeps {
  /** Body limits per face (src/config.ts Limits; the body gate holds the same from Content-Length). */
  bodyLimits: BodyLimits;
  enrolment: DeviceEnrolment;
  config: { baseUrl: string };
  /** Server faults are logged with the request id their answer carries (errors.ts). */
  logger: Logger;
}

/** The enrolment routes of the admin API (manual profile, the simulated factory). */
export interface EnrollAdminDeps {
  enrollment: EnrollmentService;
  services: Pick<Services, 'devices'>;
  pki: Pick<Pki, 'ca' | 'deviceAttestationCa'>;
  clock: Clock;
  config: { testControls: boolean };
}
