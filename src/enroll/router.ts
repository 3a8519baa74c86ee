// The enrolment face at /enroll (device-facing):
//   POST /enroll/cloud-config   signed device request → signed cloud configuration (Orchard's design)
//   POST /enroll/dep            signed MachineInfo → signed enrolment profile (the ADE profile `url`)
//   GET  /enroll/web            x-apple-aspen-deviceinfo → sign-in page (configuration_web_url)
//   POST /enroll/web            sign-in form → signed enrolment profile
// Bodies are read raw whatever their Content-Type (devices send application/pkcs7-signature).
import express, { Router, type Request, type Response } from 'express';
import type { EnrollFaceDeps } from './deps.js';
import { EnrolmentRefusal } from '../business/enrollment/device-enrolment.js';
import { MOBILECONFIG_TYPE } from '../business/enrollment/profile.js';
import { orchardUrls } from '../business/enrollment/urls.js';
import { enrollErrorHandler, refuse } from './errors.js';
import { signInPage } from './web-page.js';

const SIGNED_TYPE = 'application/pkcs7-mime';

function sendProfile(res: Response, signed: Buffer) {
  res.status(200).type(MOBILECONFIG_TYPE).setHeader('Cache-Control', 'no-store').send(signed);
}

export function enrollRouter(deps: EnrollFaceDeps): Router {
  const enrolment = deps.enrolment;
  const r = Router();
  const MAX_BODY = deps.bodyLimits.enroll;
  const raw = express.raw({ type: () => true, limit: MAX_BODY });
  const body = (req: Request) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

  r.post('/cloud-config', raw, async (req, res) => {
    const out = await enrolment.cloudConfiguration(body(req));
    // Not in Automated Device Enrolment: a signed "not enrolled" answer, so it cannot be forged.
    res.status(out.enrolled ? 200 : 404).type(SIGNED_TYPE).setHeader('Cache-Control', 'no-store').send(out.signed);
  });

  r.post('/dep', raw, async (req, res) => {
    sendProfile(res, await enrolment.machineInfo(body(req)));
  });

  r.get('/web', async (req, res) => {
    const header = req.headers['x-apple-aspen-deviceinfo'];
    if (typeof header !== 'string' || !header) return refuse(res, 400, 'DEVICE_INFO_REQUIRED', 'open this page from Setup Assistant (x-apple-aspen-deviceinfo is missing)');
    const { device, org } = await enrolment.webStart(Buffer.from(header, 'latin1'));
    res.status(200).type('html').setHeader('Cache-Control', 'no-store')
      .send(signInPage({ org, action: orchardUrls(deps.config.baseUrl).webEnrollUrl, deviceInfo: header, serial: device.serialNumber }));
  });

  r.post('/web', express.urlencoded({ extended: false, limit: MAX_BODY }), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const deviceInfo = typeof form.deviceinfo === 'string' ? form.deviceinfo : '';
    if (!deviceInfo) return refuse(res, 400, 'DEVICE_INFO_REQUIRED', 'the sign-in form lost the device information');
    const email = typeof form.email === 'string' ? form.email : '';
    try {
      sendProfile(res, await enrolment.webSignIn(Buffer.from(deviceInfo, 'latin1'), email, typeof form.password === 'string' ? form.password : '', req.ip));
    } catch (err) {
      if (!(err instanceof EnrolmentRefusal) || err.status !== 401) throw err;
      const { device, org } = await enrolment.webStart(Buffer.from(deviceInfo, 'latin1'));
      res.status(401).type('html').send(signInPage({
        org, action: orchardUrls(deps.config.baseUrl).webEnrollUrl, deviceInfo, serial: device.serialNumber, error: err.message, email,
      }));
    }
  });

  r.use(enrollErrorHandler(deps.logger));
  return r;
}
