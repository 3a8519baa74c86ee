// The SCEP face at /scep (RFC 8894 §4): GetCACaps, GetCACert and PKIOperation by GET or POST.
// Clients send PKIOperation bodies under varying content types, so the body is read raw
// whatever its type (PROTOCOLS.md §3). `/scep/pkiclient.exe` is accepted too (NDES-style URLs).
import express, { Router, type Request, type Response } from 'express';
import type { ScepFaceDeps } from './deps.js';
import { plainError, scepErrorHandler } from './errors.js';
import { CA_CAPS } from '../business/scep/service.js';


/** GET `message` is base64 (§4.1), URL-encoded; a query parser may have turned '+' into ' '. */
function messageParam(req: Request): Buffer | undefined {
  const m = req.query.message;
  if (typeof m !== 'string' || m.length === 0) return undefined;
  return Buffer.from(m.replace(/ /g, '+'), 'base64');
}

export function scepRouter(deps: ScepFaceDeps): Router {
  const service = deps.scep;
  const r = Router();

  const pkiOperation = async (body: Buffer | undefined, res: Response) => {
    if (!body || body.length === 0) return plainError(res, 400, 'PKIOperation needs a pkiMessage');
    const reply = await service.pkiOperation(body);
    res.status(200).type('application/x-pki-message').send(reply);
  };

  const get = async (req: Request, res: Response) => {
    const op = req.query.operation;
    switch (op) {
      case 'GetCACaps':
        res.status(200).type('text/plain').send(CA_CAPS.join('\n'));
        return;
      case 'GetCACert':
        // One CA certificate (it also signs CertReps, no RA): bare DER, §4.2.1.1.
        res.status(200).type('application/x-x509-ca-cert').send(service.caCertificate.raw);
        return;
      case 'PKIOperation':
        return pkiOperation(messageParam(req), res);
      default:
        return plainError(res, 400, `unknown or missing operation ${JSON.stringify(op ?? null)}`);
    }
  };

  const post = async (req: Request, res: Response) => {
    if (req.query.operation !== 'PKIOperation') return plainError(res, 400, 'POST is only for operation=PKIOperation');
    return pkiOperation(Buffer.isBuffer(req.body) ? req.body : undefined, res);
  };

  const raw = express.raw({ type: () => true, limit: deps.bodyLimits.scep });
  for (const path of ['/', '/pkiclient.exe']) {
    r.get(path, get);
    r.post(path, raw, post);
  }
  r.use(scepErrorHandler(deps.logger));
  return r;
}
