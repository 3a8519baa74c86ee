// The Device Assignment API, answering at the root as https://mdmenrollment.apple.com/ does
// (mounted at / on the DEP port and at /dep on the main port). Thin: parse → service → serialise;
// errors are the bare code text with Apple's status (wire.ts).
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { DepFaceDeps } from './deps.js';
import { isoSeconds } from '../clock.js';
import { DomainError } from '../business/errors.js';
import { depErrorHandler } from './errors.js';
import type { DepRuntime } from './runtime.js';
import { deviceJson, accountJson, depSeconds } from './serialise.js';
import { parseProfile, profileJson, serialList } from './profiles.js';
import type { DepSession } from './sessions.js';
import { CONTENT_TYPE, DEVICE_RESULT, DepError, depError, depErrorOfDomainCode, deviceResults, HEADERS, PAGE, PROTOCOL, type DeviceResult } from './wire.js';

interface Ctx {
  session: DepSession;
  version: number;
  body: Record<string, unknown>;
}

const ctxOf = (res: Response): Ctx => res.locals.dep as Ctx;

function send(res: Response, body: unknown, status = 200) {
  // res.end, not res.send: Express would rewrite the charset to "utf-8".
  res.status(status).setHeader('Content-Type', CONTENT_TYPE);
  res.end(JSON.stringify(body));
}

/** X-Server-Protocol-Version as an integer; a request without it speaks version 1. */
function protocolVersion(req: Request): number {
  const v = Number.parseInt(String(req.headers['x-server-protocol-version'] ?? ''), 10);
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/** The JSON body of POST/PUT/DELETE: anything but a JSON object (or nothing) is MALFORMED_REQUEST_BODY. */
function jsonBody(req: Request): Record<string, unknown> {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (!raw.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw depError('MALFORMED_REQUEST_BODY');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw depError('MALFORMED_REQUEST_BODY');
  return v as Record<string, unknown>;
}

/** Fetch/sync `limit`: Apple's default 100, at most 1000 (larger values are capped). */
function pageLimit(v: unknown): number {
  if (v === undefined || v === null) return PAGE.default;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw depError('MALFORMED_REQUEST_BODY');
  if (v < 1) return PAGE.default;
  return Math.min(v, PAGE.maximum);
}

export function depRouter(deps: DepFaceDeps): Router {
  const rt = deps.runtime;
  const r = Router();
  r.use(express.raw({ type: () => true, limit: deps.bodyLimits.dep }));
  // Every endpoint: a User-Agent is required (device-assignment: USER_AGENT_MISSING).
  r.use((req, _res, next) => {
    if (!String(req.headers['user-agent'] ?? '').trim()) throw depError('USER_AGENT_MISSING');
    next();
  });

  r.get('/session', async (req, res) => {
    const session = await rt.openSession(req);
    send(res, { auth_session_token: session.token });
  });

  const authed = authenticate(rt);
  r.get('/account', authed, async (_req, res) => {
    const { session, version } = ctxOf(res);
    const { server, org, adminId } = await rt.account(session);
    send(res, accountJson(server, org, adminId, version));
  });

  r.post('/server/devices', authed, async (_req, res) => {
    const { session, version, body } = ctxOf(res);
    const limit = pageLimit(body.limit);
    rt.cursorFault(session.serverId);
    const from = body.cursor === undefined || body.cursor === null || body.cursor === '' ? undefined : rt.cursors.decode(body.cursor, session.serverId);
    const page = await rt.devices.fetch(session.serverId, from, limit);
    send(res, {
      devices: page.devices.map((d) => deviceJson(d, version)),
      cursor: rt.cursors.encode(page.next),
      more_to_follow: page.moreToFollow,
      fetched_until: isoSeconds(page.fetchedUntil),
    });
  });

  r.post('/devices/sync', authed, async (_req, res) => {
    const { session, version, body } = ctxOf(res);
    const limit = pageLimit(body.limit);
    if (body.cursor === undefined || body.cursor === null || body.cursor === '') throw depError('CURSOR_REQUIRED');
    rt.cursorFault(session.serverId);
    const page = await rt.devices.sync(session.serverId, rt.cursors.decode(body.cursor, session.serverId), limit);
    send(res, {
      devices: page.ops.map((op) => ({
        ...(op.visible && op.device ? deviceJson(op.device, version) : { serial_number: op.serialNumber }),
        op_type: op.opType,
        op_date: depSeconds(op.opDate),
      })),
      cursor: rt.cursors.encode(page.next),
      more_to_follow: page.moreToFollow,
      fetched_until: isoSeconds(page.fetchedUntil),
    });
  });

  r.post('/devices', authed, async (_req, res) => {
    const { session, version, body } = ctxOf(res);
    const serials = serialList(body.devices);
    const found = await rt.devices.details(session.serverId, session.orgId, serials);
    const devices: Record<string, unknown> = {};
    for (const [serial, d] of found) {
      devices[serial] = d ? { ...deviceJson(d, version), response_status: DEVICE_RESULT.done } : { response_status: DEVICE_RESULT['not-accessible'] };
    }
    send(res, { devices });
  });

  r.post('/devices/disown', authed, async (_req, res) => {
    const { session, body } = ctxOf(res);
    send(res, { devices: deviceResults(await rt.devices.disown(session.serverId, serialList(body.devices))) });
  });

  r.post('/profile', authed, async (_req, res) => {
    const { session, body } = ctxOf(res);
    const { profile, devices } = parseProfile(body);
    const out = await rt.profiles.define({ serverId: session.serverId, orgId: session.orgId }, profile, devices);
    send(res, { profile_uuid: out.profile.profileUuid, devices: deviceResults(out.devices) });
  });

  r.get('/profile', authed, async (req, res) => {
    const { session } = ctxOf(res);
    const uuid = typeof req.query.profile_uuid === 'string' ? req.query.profile_uuid.trim() : '';
    if (!uuid) throw depError('PROFILE_UUID_REQUIRED');
    // fetch-profile answers an unknown uuid with 400 NOT_FOUND, not assign's 404 (PROTOCOLS.md A3).
    const profile = await rt.profiles.get(session.serverId, uuid).catch((err: unknown) => {
      throw (err instanceof DomainError && depErrorOfDomainCode(err.code, { profile_not_found: 'PROFILE_FETCH_NOT_FOUND' })) || err;
    });
    send(res, profileJson(profile));
  });

  r.put('/profile/devices', authed, async (_req, res) => {
    const { session, version, body } = ctxOf(res);
    const uuid = body.profile_uuid;
    if (uuid === undefined || uuid === null || uuid === '') throw depError('PROFILE_UUID_REQUIRED');
    if (typeof uuid !== 'string') throw depError('MALFORMED_REQUEST_BODY');
    const serials = serialList(body.devices);
    const throttle = rt.faults.takeThrottle(session.serverId);
    if (throttle && version < PROTOCOL.throttled) {
      throw new DepError('TOO_MANY_REQUESTS', undefined, { headers: { [HEADERS.retryAfter]: String(throttle.retryAfterSeconds) } });
    }
    const throttled = new Set(throttle ? (throttle.serials.length ? serials.filter((s) => throttle.serials.includes(s)) : serials) : []);
    const results: Record<string, DeviceResult> = deviceResults(await rt.profiles.assign(session.serverId, uuid, serials.filter((s) => !throttled.has(s))));
    for (const s of throttled) results[s] = 'THROTTLED';
    const devices = Object.fromEntries(serials.map((s) => [s, results[s]!]));
    send(res, {
      profile_uuid: uuid,
      devices,
      ...(throttled.size && version >= PROTOCOL.retryAfterSeconds ? { retry_after_seconds: throttle!.retryAfterSeconds } : {}),
    });
  });

  r.delete('/profile/devices', authed, async (_req, res) => {
    const { session, body } = ctxOf(res);
    const serials = serialList(body.devices);
    const uuid = body.profile_uuid;
    if (uuid !== undefined && uuid !== null && typeof uuid !== 'string') throw depError('MALFORMED_REQUEST_BODY');
    send(res, { devices: deviceResults(await rt.profiles.remove(session.serverId, serials, (uuid as string | null) || undefined)) });
  });

  // A known path with another method is 405; anything else 404 (device-assignment).
  const KNOWN = new Set(['/session', '/account', '/server/devices', '/devices/sync', '/devices', '/devices/disown', '/profile', '/profile/devices']);
  r.use((req, _res, next) => next(depError(KNOWN.has(req.path) ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND')));
  r.use(depErrorHandler(deps.logger));
  return r;
}

/**
 * X-ADM-Auth-Session → session; then the server's injected faults, its rate limit, the
 * organisation's terms; a rotated session token goes back in the X-ADM-Auth-Session header.
 */
function authenticate(rt: DepRuntime): RequestHandler {
  return async (req, res, next) => {
    const { session, rotated } = rt.sessions.resolve(req.header(HEADERS.session));
    await rt.admit(session);
    if (rotated) res.setHeader(HEADERS.session, rotated.token);
    const ctx: Ctx = { session, version: protocolVersion(req), body: req.method === 'GET' ? {} : jsonBody(req) };
    res.locals.dep = ctx;
    next();
  };
}
