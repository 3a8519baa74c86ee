// Generators for the property-based probing suites (test/property/): what careless clients and
// attackers send. Header values stay within what an HTTP client can send at all (printable
// ASCII); everything else about them is fair game.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type request from 'supertest';

const headerText = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);

export const contentTypes = (...own: string[]) => fc.oneof(
  fc.constantFrom(
    ...own, 'application/json', 'application/json; charset=utf-8', 'application/json; charset=bogus', 'application/json; charset=koi8-r',
    'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=koi8-r',
    'text/plain', 'text/csv', 'application/octet-stream', 'multipart/form-data; boundary=x', '*/*', ';;;', 'application/json;charset=',
  ),
  headerText,
);

/** A Content-Encoding header, or none. */
export const contentEncodings = fc.option(fc.oneof(
  fc.constantFrom('identity', 'gzip', 'x-gzip', 'deflate', 'br', 'zstd', 'compress', 'bogus', 'gzip, br', 'GZIP', ' gzip'),
  headerText,
), { nil: undefined });

/** Admin-ish field names, and values of every JSON type where strings are expected. */
const FIELDS = ['name', 'email', 'password', 'roles', 'given_name', 'family_name', 'address', 'country', 'currency', 'public_key', 'serials',
  'serial_number', 'serial_numbers', 'udid', 'csr', 'adam_id', 'quantity', 'location_id', 'command', 'label', 'phone', 'code', 'limit', 'cursor',
  'devices', 'profile_uuid', 'requestContext', 'orders', 'version', 'decision', 'notes', 'clientUserIds', 'assets', 'serialNumbers'];
export const jsonBodies = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
  fc.jsonValue({ maxDepth: 4 }),
);

/** Raw body bytes: JSON, text, binary, forms with many parameters, nested plists. */
export const bodies = fc.oneof(
  jsonBodies.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.integer({ min: 900, max: 2500 }).map((n) => Buffer.from(Array.from({ length: n }, (_, i) => `p${i}=x`).join('&'))),
  fc.constantFrom('<plist><dict><key>MessageType</key><string>Authenticate</string></dict></plist>', '<!DOCTYPE x [<!ENTITY a "b">]><plist/>', '{', '[]', 'null', '"x"')
    .map((s) => Buffer.from(s)),
);

/** The body as sent for its declared encoding: correctly compressed, or garbage that claims to be. */
export function encode(body: Buffer, encoding: string | undefined, honest: boolean): Buffer {
  if (!honest || !encoding) return body;
  switch (encoding.trim().toLowerCase()) {
    case 'gzip': case 'x-gzip': return gzipSync(body);
    case 'deflate': return deflateSync(body);
    case 'br': return brotliCompressSync(body);
    default: return body;
  }
}

/** A path segment: plain, percent-encoded, or broken percent-encoding. */
export const ids = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%C0%AF', '%2F..%2F', '%FF%FE', '..', '%u0041'),
  fc.stringMatching(/^[%A-Za-z0-9._~-]{1,16}$/),
);

/** A Cookie header, with or without a session cookie whose value may not be percent-encoding. */
export const cookies = fc.option(fc.oneof(
  ids.map((v) => `orchard_session=${v}`),
  fc.tuple(headerText, ids).map(([a, v]) => `${a.replace(/[;=]/g, '')}=1; orchard_session=${v}`),
  headerText,
), { nil: undefined });

export interface Probe {
  contentType: string;
  encoding: string | undefined;
  honest: boolean;
  body: Buffer;
}

export const probes = (...ownTypes: string[]): fc.Arbitrary<Probe> =>
  fc.record({ contentType: contentTypes(...ownTypes), encoding: contentEncodings, honest: fc.boolean(), body: bodies });

/** Sets a probe's headers and body on a supertest request. */
export function send(r: request.Test, p: Probe): request.Test {
  r = r.set('Content-Type', p.contentType);
  if (p.encoding !== undefined) r = r.set('Content-Encoding', p.encoding);
  return r.send(encode(p.body, p.encoding, p.honest));
}
