// Admin API for APNs: the organisation's MDM push certificate (status, upload, the request file
// for Apple's push certificates portal, and Orchard's local stand-in for that portal), pushes on
// demand, and each device's push log. Permissions: push.manage (Administrator) for the
// certificate, mdm.commands to push, devices.read to read outcomes.
import { Router } from 'express';
import type { AdminFaceDeps } from '../../deps.js';
import type { CertificateUpload } from '../../../business/push-certificates.js';
import { certificatesFromPem, toPem } from '../../../crypto/certificates.js';
import { privateKeyFromPem } from '../../../crypto/keys.js';
import { parsePkcs12 } from '../../../crypto/pkcs12.js';
import type { Identity } from '../../../crypto/types.js';
import { param } from '../../../http/params.js';
import { principalOf, requirePermission } from '../../../http/admin-auth.js';
import { ApiError } from '../../../http/api-errors.js';
import { pushCertificateView, pushLogView, pushResultView } from '../push-views.js';
import { listAnswer } from '../list.js';
import { LIST_SPECS } from '../list-specs.js';

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function base64(v: unknown, name: string): Buffer {
  if (!str(v) || !/^[A-Za-z0-9+/=\s]+$/.test(v)) throw new ApiError(400, `${name}_invalid`, `${name} must be base64`);
  return Buffer.from(v, 'base64');
}

function uploadOf(b: Record<string, unknown>): CertificateUpload {
  if (b.pkcs12 !== undefined) return { pkcs12: base64(b.pkcs12, 'pkcs12'), password: typeof b.password === 'string' ? b.password : '' };
  if (str(b.certificate)) return { certificatePem: b.certificate, ...(str(b.private_key) ? { privateKeyPem: b.private_key } : {}) };
  throw new ApiError(400, 'certificate_required', 'send {pkcs12 (base64), password} or {certificate (PEM), private_key (PEM)}');
}

/** The MDM vendor's CSR-signing identity: PKCS#12 with its password, or PEM certificate, key and chain. */
function vendorOf(b: Record<string, unknown>): Identity {
  if (b.vendor_pkcs12 !== undefined) return parsePkcs12(base64(b.vendor_pkcs12, 'vendor_pkcs12'), typeof b.vendor_password === 'string' ? b.vendor_password : '');
  if (!str(b.vendor_certificate) || !str(b.vendor_private_key)) {
    throw new ApiError(400, 'vendor_identity_required', 'send {vendor_pkcs12, vendor_password} or {vendor_certificate, vendor_private_key, vendor_chain?} (PEM)');
  }
  const certs = certificatesFromPem(b.vendor_certificate);
  if (!certs.length) throw new ApiError(400, 'vendor_certificate_invalid', 'vendor_certificate is not a PEM certificate');
  const chain = [...certs.slice(1), ...(str(b.vendor_chain) ? certificatesFromPem(b.vendor_chain) : [])];
  return { cert: certs[0]!, key: privateKeyFromPem(b.vendor_private_key), ...(chain.length ? { chain } : {}) };
}

export function pushRoutes(deps: AdminFaceDeps): Router {
  const { pushCertificates, push, mdm } = deps.services;
  const r = Router();

  r.get('/push-certificate', requirePermission('push.manage'), async (_req, res) => {
    const st = await pushCertificates.status(principalOf(res).orgId);
    if (!st) throw new ApiError(404, 'push_certificate_missing', 'no push certificate is installed; upload one (PUT /api/v1/push-certificate)');
    res.json(pushCertificateView(st));
  });

  r.put('/push-certificate', requirePermission('push.manage'), async (req, res) => {
    const p = principalOf(res);
    const st = await pushCertificates.upload(p.orgId, p.email, uploadOf(req.body ?? {}));
    res.json(pushCertificateView(st));
  });

  // Step 1 of getting a certificate: Orchard keeps the new key; the admin takes the file to Apple.
  r.post('/push-certificate/request', requirePermission('push.manage'), async (req, res) => {
    const p = principalOf(res);
    const org = await deps.services.organisations.get(p.orgId);
    const file = await pushCertificates.createRequest(p.orgId, org.name, vendorOf(req.body ?? {}));
    res.status(201).attachment('PushCertificateRequest.plist').type('text/plain').send(file);
  });

  // Offline stand-in for identity.apple.com/pushcert: signs the request with the local push CA,
  // keeping the current topic on renewal as Apple does for the same Apple Account.
  r.post('/push-certificate/local-portal', requirePermission('push.manage'), async (req, res) => {
    if (!deps.pki) throw new ApiError(503, 'pki_unavailable', "Orchard's local push CA is not loaded");
    const b = req.body ?? {};
    const file = str(b.request) ? b.request : undefined;
    if (!file) throw new ApiError(400, 'request_required', 'send {request}: the base64 push certificate request file');
    const topic = await pushCertificates.topic(principalOf(res).orgId);
    const cert = await pushCertificates.issueFromLocalPortal(file, deps.pki.pushCa, topic);
    res.status(201).attachment('MDM_Orchard_Certificate.pem').type('application/x-pem-file').send(toPem(cert));
  });

  r.post('/mdm/devices/:id/push', requirePermission('mdm.commands'), async (req, res) => {
    const p = principalOf(res);
    const e = await mdm.queue.channel(p, param(req, 'id'));
    const [result] = await push.push(p.orgId, [e.id], 'on-demand');
    res.json(pushResultView(result!));
  });

  r.post('/push', requirePermission('mdm.commands'), async (req, res) => {
    const b = req.body ?? {};
    const ids = [...(Array.isArray(b.udids) ? b.udids : []), ...(Array.isArray(b.enrollment_ids) ? b.enrollment_ids : [])];
    if (!ids.length || !ids.every(str)) throw new ApiError(400, 'targets_required', 'name the devices to push in udids (or enrollment_ids)');
    if (ids.length > 10_000) throw new ApiError(400, 'too_many_targets', 'at most 10000 targets per push');
    const results = await push.push(principalOf(res).orgId, ids, 'on-demand');
    res.json({ results: results.map(pushResultView) });
  });

  // Where pushes go, and where a simulated device listens for them (the local APNs' device channel).
  r.get('/apns', requirePermission('devices.read'), (_req, res) => {
    const a = deps.config.apns;
    res.json({
      mode: a.mode, address: a.address ?? null, port: a.port ?? null,
      device_channel_url: deps.apnsDeviceUrl ?? null,
      device_stream: deps.apnsDeviceUrl ? `${deps.apnsDeviceUrl}/devices/{token}/stream?topic={topic}` : null,
      // One stream for many simulated devices (POST a JSON list of {token, topic}).
      device_streams: deps.apnsDeviceUrl ? `${deps.apnsDeviceUrl}/devices/streams` : null,
    });
  });

  r.get('/mdm/devices/:id/pushes', requirePermission('devices.read'), async (req, res) => {
    const e = await mdm.queue.channel(principalOf(res), param(req, 'id'));
    // The log keeps the last 50 pushes of a device: paged in memory.
    res.json(listAnswer(req, (await push.log(e.id, 1000)).map(pushLogView), LIST_SPECS.pushes, (x) => x));
  });
  return r;
}
