// Content tokens (sToken): one per location, valid one year by the injected clock. The file is
// base64 of JSON {token, expDate, orgName} (PROTOCOLS.md Part 1 §B1); the MDM sends the whole
// file content as `Authorization: Bearer`. Only a hash of the opaque token is kept; issuing a
// new token revokes the location's previous one.
import { createHash } from 'node:crypto';
import { addYears, isoSeconds, type Clock, type Ids } from '../../clock.js';
import type { ContentTokenRecord, Library } from '../../store/content-library.js';
import type { Store } from '../../store/index.js';
import type { Location } from '../../store/locations.js';
import type { Organisation } from '../../store/organisations.js';
import { DomainError, notFound } from '../errors.js';
import type { Principal } from '../principal.js';
import type { LibraryService } from './library.js';

/** Apple's date form in token files and responses: `2030-11-08T22:33:22+0000`. */
export const appleDate = (d: Date) => isoSeconds(d).replace(/Z$/, '+0000');

export const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export interface VppContext {
  org: Organisation;
  location: Location;
  library: Library;
  token: ContentTokenRecord;
}

const unauthenticated = (code: string, message: string) => new DomainError('unauthenticated', code, message);

export class ContentTokenService {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly ids: Ids, private readonly libraries: LibraryService) {}

  /** A new token file for the location; every earlier token of that location stops working. */
  async issue(actor: Principal, locationId: string): Promise<{ file: string; filename: string; expiresAt: Date; location: Location }> {
    const location = await this.store.locations.get(actor.orgId, locationId);
    if (!location) throw notFound('location');
    const org = (await this.store.organisations.get(actor.orgId))!;
    await this.libraries.ensure(location.id);
    const token = Buffer.from(this.ids.hex(48), 'hex').toString('base64');
    const issuedAt = this.clock.now();
    const expiresAt = addYears(issuedAt, 1);
    await this.store.content.library.issueToken({ id: this.ids.uuid(), locationId: location.id, issuedAt, expiresAt, issuedBy: actor.accountId }, hashToken(token));
    const file = Buffer.from(JSON.stringify({ token, expDate: appleDate(expiresAt), orgName: org.name })).toString('base64');
    const filename = `${location.name.replace(/[^A-Za-z0-9 ._-]/g, '_')}.vpptoken`;
    return { file, filename, expiresAt, location };
  }

  /**
   * An sToken file issued by the old Volume Purchase Program for `location`, kept working here
   * (the upgrade import): its record and hash, not written. Refused unless it reads as a token
   * file whose expiry is still ahead; it expires when the file says, at most one year from now.
   */
  adopt(location: Location, file: string, issuedBy: string): { record: ContentTokenRecord; tokenHash: string } {
    let inner: { token?: unknown; expDate?: unknown } | undefined;
    try {
      inner = JSON.parse(Buffer.from(file.trim(), 'base64').toString('utf8'));
    } catch {
      inner = undefined;
    }
    const token = inner?.token;
    const exp = typeof inner?.expDate === 'string' ? new Date(inner.expDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : undefined;
    if (typeof token !== 'string' || token.length < 16 || !exp || Number.isNaN(exp.getTime())) {
      throw new DomainError('invalid', 's_token_invalid', 'the sToken is not a token file: base64 of JSON {token, expDate, orgName}');
    }
    const now = this.clock.now();
    if (exp.getTime() <= now.getTime()) throw new DomainError('invalid', 's_token_expired', `the sToken expired on ${appleDate(exp)}: download a new one from the location instead`);
    const cap = addYears(now, 1);
    return {
      record: { id: this.ids.uuid(), locationId: location.id, issuedAt: now, expiresAt: exp < cap ? exp : cap, issuedBy },
      tokenHash: hashToken(token),
    };
  }

  async revoke(actor: Principal, locationId: string): Promise<number> {
    const location = await this.store.locations.get(actor.orgId, locationId);
    if (!location) throw notFound('location');
    return this.store.content.library.revokeTokens(location.id, this.clock.now());
  }

  async status(actor: Principal, locationId: string): Promise<ContentTokenRecord | undefined> {
    const location = await this.store.locations.get(actor.orgId, locationId);
    if (!location) throw notFound('location');
    return this.store.content.library.activeToken(location.id);
  }

  /**
   * The location an `Authorization` header speaks for. Codes (mapped to Apple's errorNumbers by
   * the VPP face): vpp_authorization_invalid (9722), vpp_login_required (9601),
   * vpp_token_expired (9621), vpp_token_revoked (9625).
   */
  async authenticate(header: string | undefined): Promise<VppContext> {
    const m = /^Bearer (\S+)$/.exec(header ?? '');
    if (!m) throw unauthenticated('vpp_authorization_invalid', 'the Authorization header must be Bearer {sToken}');
    let inner: unknown;
    try {
      inner = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8'));
    } catch {
      throw unauthenticated('vpp_login_required', 'the sToken is not a content token');
    }
    const token = (inner as { token?: unknown })?.token;
    if (typeof token !== 'string') throw unauthenticated('vpp_login_required', 'the sToken is not a content token');
    const rec = await this.store.content.library.findToken(hashToken(token));
    if (!rec) throw unauthenticated('vpp_login_required', 'unknown sToken');
    if (rec.revokedAt) throw unauthenticated('vpp_token_revoked', 'the sToken was revoked');
    if (rec.expiresAt.getTime() <= this.clock.now().getTime()) throw unauthenticated('vpp_token_expired', 'the sToken has expired');
    const location = await this.store.locations.getById(rec.locationId);
    if (!location) throw unauthenticated('vpp_login_required', 'the location of this sToken no longer exists');
    const org = (await this.store.organisations.get(location.orgId))!;
    const library = await this.libraries.ensure(location.id);
    return { org, location, library, token: rec };
  }
}
