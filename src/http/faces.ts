// Which face a request is for, from its path alone (before any router runs), its body limit,
// and how that face says "too large", "busy" and "too slow" on its own wire. The body gate
// (body-gate.ts) answers these before a body is read, so each answer must be what the face's
// own router would have sent: clients match on the face's codes, not on a generic shape.
import type { BodyLimits } from '../config.js';

export type Face = 'admin' | 'mdm' | 'dep' | 'vpp' | 'scep' | 'enroll' | 'reseller' | 'developer' | 'portal';
export type Refusal = 'too-large' | 'busy' | 'too-slow';

export interface GateReply {
  status: number;
  contentType: string;
  body: string;
}

/** Main-port prefixes (src/app.ts FACES and /api/v1); the portal serves the rest. */
const PREFIXES: Array<[string, Face]> = [
  ['/api/v1', 'admin'], ['/mdm', 'mdm'], ['/dep', 'dep'], ['/vpp/', 'vpp'], ['/scep', 'scep'],
  ['/enroll', 'enroll'], ['/reseller', 'reseller'], ['/developer/', 'developer'],
];

export function faceOfPath(url: string): Face {
  for (const [prefix, face] of PREFIXES) {
    if (url.startsWith(prefix) && (url.length === prefix.length || prefix.endsWith('/') || '/?'.includes(url[prefix.length]!))) return face;
  }
  return 'portal';
}

const mediaType = (ct: string | undefined) => (ct ?? '').split(';')[0]!.trim().toLowerCase();

/** The face's body limit; MDM and admin choose by content type (check-in or result, JSON or CSV). */
export function bodyLimitOf(face: Face, contentType: string | undefined, l: BodyLimits): number {
  switch (face) {
    case 'mdm': return mediaType(contentType) === 'application/x-apple-aspen-mdm-checkin' ? l.mdmCheckin : l.mdmConnect;
    case 'admin': return mediaType(contentType) === 'text/csv' ? l.csv : l.adminJson;
    case 'dep': return l.dep;
    case 'vpp': return l.vpp;
    case 'scep': return l.scep;
    case 'enroll': return l.enroll;
    case 'reseller': return l.reseller;
    case 'developer': return l.developer;
    case 'portal': return l.adminJson;
  }
}

const json = (status: number, body: unknown): GateReply => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
const text = (status: number, body: string): GateReply => ({ status, contentType: 'text/plain; charset=utf-8', body });

const MESSAGES: Record<Refusal, string> = {
  'too-large': 'the request body is too large',
  busy: 'the server is receiving too many request bodies; retry shortly',
  'too-slow': 'the request body arrived too slowly',
};

/** The answer each face gives; statuses are 413, 503 (with Retry-After) and 408. */
export function gateReply(face: Face, refusal: Refusal): GateReply {
  const status = refusal === 'too-large' ? 413 : refusal === 'busy' ? 503 : 408;
  const message = MESSAGES[refusal];
  switch (face) {
    case 'admin':
    case 'developer':
      return json(status, { error: { code: refusal === 'too-large' ? 'body_too_large' : refusal === 'busy' ? 'server_busy' : 'body_timeout', message } });
    case 'dep':
      // The DEP router answers an oversized body MALFORMED_REQUEST_BODY (400) and an overload
      // SERVICE_UNAVAILABLE (503), bare text as Apple's host does (src/dep/wire.ts).
      return refusal === 'too-large' ? text(400, 'MALFORMED_REQUEST_BODY') : refusal === 'busy' ? text(503, 'SERVICE_UNAVAILABLE') : text(408, 'REQUEST_TIMEOUT');
    case 'vpp':
      // Apps and Books: an unreadable body is 9602 Invalid argument (400), as the router says;
      // an overload is 9603 with 503 and Retry-After (…/handling-error-responses).
      return refusal === 'busy' ? json(503, { errorMessage: 'Internal error.', errorNumber: 9603 }) : json(400, { errorMessage: 'Invalid argument.', errorNumber: 9602 });
    case 'reseller':
      return json(status, { errorCode: refusal === 'too-large' ? 'REQUEST_TOO_LARGE' : refusal === 'busy' ? 'SERVICE_UNAVAILABLE' : 'REQUEST_TIMEOUT', errorMessage: message });
    case 'enroll':
      // The enrolment face's refusals are `{code, message}` (src/enroll/router.ts).
      return json(status, { code: refusal === 'too-large' ? 'TOO_LARGE' : refusal === 'busy' ? 'SERVER_BUSY' : 'BODY_TIMEOUT', message: refusal === 'too-large' ? 'request body too large' : message });
    case 'mdm':
    case 'scep':
    case 'portal':
      return text(status, refusal === 'too-large' ? 'body too large\n' : `${message}\n`);
  }
}
