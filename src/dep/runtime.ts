// The DEP face's state, built once per Orchard by the composition root (src/compose.ts) and
// shared by its two mounts (the DEP port's root and /dep on the main port): sessions, the cursor
// codec, rate limits, faults.
import type { Request } from 'express';
import type { Clock, Ids } from '../clock.js';
import { DepDeviceService, type DepDeviceSource } from '../business/dep-devices.js';
import type { DepProfileService } from '../business/dep-profiles.js';
import type { Services } from '../business/services.js';
import type { Store } from '../store/index.js';
import type { Organisation } from '../store/organisations.js';
import { CursorCodec } from './cursors.js';
import { RateLimiter } from './rate-limit.js';
import { DepSessions, type DepServer, type DepSession, type ServerTokenDirectory } from './sessions.js';
import { DepFaults } from './test-controls.js';
import { DepError, depError, HEADERS, SYNC_CURSOR_MAX_AGE_MS } from './wire.js';

/** What the DEP face needs from the devices capability (CONTRACT-devices.md). */
export interface DepServerDirectory extends ServerTokenDirectory {
  get(serverId: string): Promise<DepServer | undefined>;
}

export interface DepRuntime {
  sessions: DepSessions;
  cursors: CursorCodec;
  devices: DepDeviceService;
  profiles: DepProfileService;
  faults: DepFaults;
  limiter: RateLimiter;
  openSession(req: Request): Promise<DepSession>;
  /** Per-request checks after the session: injected faults, rate limit, terms, token expiry. */
  admit(session: DepSession): Promise<void>;
  /** An injected cursor fault for the server's next fetch or sync. */
  cursorFault(serverId: string): void;
  account(session: DepSession): Promise<{ server: DepServer; org: Organisation; adminId: string }>;
}

export interface DepRuntimeDeps {
  store: Pick<Store, 'depNonces' | 'devices' | 'mdmServers' | 'organisations' | 'accounts'>;
  services: Pick<Services, 'servers' | 'orders' | 'organisations' | 'depProfiles'>;
  clock: Clock;
  ids: Ids;
  /** Signs cursors: <data dir>/dep-cursor.key (loadCursorKey), so cursors outlive a restart. */
  cursorKey: Buffer;
}

export function createDepRuntime(deps: DepRuntimeDeps): DepRuntime {
  const { store, services, clock, ids } = deps;
  const servers: DepServerDirectory = services.servers;
  const sessions = new DepSessions(servers, store.depNonces, clock, ids);
  const cursors = new CursorCodec(deps.cursorKey);
  const devices = new DepDeviceService(store.devices as DepDeviceSource, clock, SYNC_CURSOR_MAX_AGE_MS, () => services.orders.deliverDue());
  const faults = new DepFaults();
  const limiter = new RateLimiter(clock);

  async function admit(session: DepSession) {
    const fault = faults.takeRequestFault(session.serverId);
    if (fault?.kind === 'rate_limited') {
      throw new DepError('TOO_MANY_REQUESTS', undefined, { headers: { [HEADERS.retryAfter]: String(fault.retryAfterSeconds) } });
    }
    if (fault?.kind === 'server_error') {
      throw new DepError(fault.status === 500 ? 'INTERNAL_SERVER_ERROR' : 'SERVICE_UNAVAILABLE', undefined, { status: fault.status });
    }
    if (fault?.kind === 'terms_not_accepted') throw depError('T_C_NOT_SIGNED');
    const wait = limiter.take(session.serverId);
    if (wait !== undefined) throw new DepError('TOO_MANY_REQUESTS', undefined, { headers: { [HEADERS.retryAfter]: String(wait) } });
    if (session.tokenExpiresAt.getTime() <= clock.now().getTime()) throw depError('UNAUTHORIZED');
    // A session lives no longer than the server token that opened it: after a renewal (the old
    // token is revoked at once), a revocation or the server's deletion, the client must
    // authenticate again, and /session then answers why (token_revoked, consumer_key_unknown).
    const current = await store.mdmServers.currentToken(session.serverId);
    if (!current || current.id !== session.tokenId) {
      sessions.endAllFor(session.serverId, session.tokenId);
      throw depError('UNAUTHORIZED');
    }
    const org = await store.organisations.get(session.orgId);
    if (!org) throw depError('FORBIDDEN');
    // interpreting-automated-device-enrollment-error-codes: 403 T_C_NOT_SIGNED.
    if (!services.organisations.termsAccepted(org)) throw depError('T_C_NOT_SIGNED');
  }

  return {
    sessions, cursors, devices, profiles: services.depProfiles, faults, limiter, admit,
    async openSession(req) {
      const session = await sessions.open({
        method: req.method,
        scheme: req.protocol,
        host: req.headers.host ?? '',
        path: req.originalUrl.split('?')[0]!,
        rawUrl: req.originalUrl,
        authorization: req.headers.authorization,
      });
      try {
        await admit(session);
      } catch (e) {
        sessions.end(session.token);
        throw e;
      }
      return session;
    },
    cursorFault(serverId) {
      const f = faults.takeCursorFault(serverId);
      if (f) throw depError(f.kind === 'expired_cursor' ? 'EXPIRED_CURSOR' : f.kind === 'exhausted_cursor' ? 'EXHAUSTED_CURSOR' : 'INVALID_CURSOR');
    },
    async account(session) {
      const server = await servers.get(session.serverId).catch(() => undefined);
      const org = await store.organisations.get(session.orgId);
      if (!server || !org) throw depError('FORBIDDEN');
      const creator = server.createdBy ? await store.accounts.get(server.createdBy).catch(() => undefined) : undefined;
      const adminId = creator?.email ?? (server.createdBy?.includes('@') ? server.createdBy : org.email);
      return { server, org, adminId };
    },
  };
}
