// Admin API routes of enrolment (mounted under /api/v1):
//   GET  /enrollment-profile        a signed manual-enrolment profile with a fresh SCEP challenge
//   POST /sim/device-identities     (Administrator) certifies a simulated device's key as that device
import { Router } from 'express';
import type { EnrollAdminDeps } from './deps.js';
import { isOperator, principalOf, requirePermission } from '../http/admin-auth.js';
import { ApiError } from '../http/api-errors.js';
import { issueDeviceAttestation, SERIAL_PATTERN, UDID_PATTERN } from '../business/enrollment/device-attestation.js';
import { MOBILECONFIG_TYPE } from '../business/enrollment/profile.js';

function csrBytes(value: unknown): Buffer {
  if (typeof value !== 'string' || value.length === 0) throw new ApiError(400, 'csr_required', 'csr (PEM or base64 DER PKCS#10) is required');
  const b64 = value.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new ApiError(400, 'csr_invalid', 'csr is not PEM or base64');
  return Buffer.from(b64, 'base64');
}

export function enrollmentAdminRoutes(deps: EnrollAdminDeps): Router {
  const r = Router();
  const enrollment = deps.enrollment;

  r.get('/enrollment-profile', requirePermission('devices.manage'), async (req, res) => {
    const p = principalOf(res);
    const identity = req.query.identity === undefined ? 'scep' : req.query.identity;
    if (identity !== 'scep' && identity !== 'pkcs12') throw new ApiError(400, 'identity_invalid', 'identity must be scep or pkcs12');
    const signed = await enrollment.signedProfile({ orgId: p.orgId, kind: 'manual', accountId: p.accountId, identity });
    res.status(200)
      .type(MOBILECONFIG_TYPE)
      .setHeader('Content-Disposition', 'attachment; filename="orchard-enrollment.mobileconfig"')
      .setHeader('Cache-Control', 'no-store') // each download carries its own one-time challenge
      .send(signed);
  });

  // Orchard's stand-in for the factory: a simulated device proves possession of its key (CSR)
  // and receives its device identity certificate, plus the anchor its activation answers
  // (cloud configuration) chain to. Administrators only: it mints device identities, and only
  // for devices of the caller's own organisation (a device identity is what activation and
  // enrolment trust, so certifying another organisation's serial would let the caller enrol as
  // that device in that organisation's MDM). A serial elsewhere or nowhere is 404, the same
  // answer, so the route does not reveal which serials other organisations hold. The server
  // operator, when test controls are on, may certify any serial (a device in no organisation).
  r.post('/sim/device-identities', async (req, res) => {
    const operator = isOperator(res) && deps.config.testControls;
    const p = operator ? undefined : principalOf(res);
    if (p && !p.roles.includes('Administrator')) throw new ApiError(403, 'forbidden', 'only an Administrator can issue device identities');
    const b = req.body ?? {};
    if (typeof b.serial_number !== 'string' || !SERIAL_PATTERN.test(b.serial_number)) throw new ApiError(400, 'serial_number_invalid', 'serial_number must be 8–14 capital letters or digits');
    if (typeof b.udid !== 'string' || !UDID_PATTERN.test(b.udid)) throw new ApiError(400, 'udid_invalid', 'udid must be 24–40 hex digits or dashes');
    if (p) await deps.services.devices.get(p.orgId, b.serial_number); // 404 device_not_found unless the caller's organisation holds it
    const cert = await issueDeviceAttestation(deps.pki.deviceAttestationCa, csrBytes(b.csr), b.serial_number, b.udid, deps.clock.now());
    res.status(201).json({
      serial_number: b.serial_number,
      udid: b.udid,
      certificate: cert.toString(),
      chain: [deps.pki.deviceAttestationCa.cert.toString()],
      activation_anchors: [deps.pki.ca.cert.toString()],
    });
  });
  return r;
}

