import assert from 'node:assert/strict';
import { depAuthorization } from '../../support/dep-oauth.js';
import {
  baseStringUri, hmacSha1Signature, parseAuthorization, percentEncode, queryPairs, signatureBaseString,
} from '../../../src/dep/oauth.js';
import { DepError } from '../../../src/dep/wire.js';

const token = { consumer_key: 'CK_48dd68d198350f51258e885ce9a5c37ab7f98543c4a697323d75682a6c10a32501cb247e3db08105db868f73f2c972bdb6ae77112aea803b9219eb52689d42e6', consumer_secret: 'CS_34c7b2b531a600d99a0e4edcf4a78ded79b86ef318118c2f5bcfee1b011108c32d5302df801adbe29d446eb78f02b13144e323eb9aad51c79f01e50cb45c3a68', access_token: 'AT_927696831c59ba510cfe4ec1a69e5267c19881257d4bca2906a99d0785b785a6f6fdeb09774954fdd5e2d0ad952e3af52c6d8d2f21c924ba0caf4a031c158b89', access_secret: 'AS_c31afd7a09691d83548489336e8ff1cb11b82b6bca13f793344496a556b1f4972eaff4dde6deb5ac9cf076fdfa97ec97699c34d515947b9cf9ed31c99dded6ba' };

function expectOAuth(fn: () => unknown, status: number, problem: string) {
  assert.throws(fn, (e: unknown) => e instanceof DepError && e.status === status && e.body.startsWith(`oauth_problem=${problem}`));
}

describe('DEP OAuth 1.0a verification (RFC 5849)', () => {
  it('verifies a signature made by an independent implementation (oauth-1.0a)', () => {
    const url = 'http://127.0.0.1:8081/session';
    const header = depAuthorization(token, url);
    const p = parseAuthorization(header);
    assert.equal(p.realm, 'ADM');
    assert.equal(p.oauth_consumer_key, token.consumer_key);
    const base = signatureBaseString('GET', baseStringUri('http', '127.0.0.1:8081', '/session'), p, []);
    assert.equal(hmacSha1Signature(base, token.consumer_secret, token.access_secret), p.oauth_signature);
  });

  it('signs the path as called, including a /dep prefix and query parameters', () => {
    const url = 'http://localhost:8080/dep/session?x=a%20b&a=1';
    const p = parseAuthorization(depAuthorization(token, url));
    const base = signatureBaseString('GET', baseStringUri('http', 'localhost:8080', '/dep/session'), p, queryPairs('/dep/session?x=a%20b&a=1'));
    assert.equal(hmacSha1Signature(base, token.consumer_secret, token.access_secret), p.oauth_signature);
  });

  it('builds the RFC 5849 §3.4.1.2 base string URI: lowercase, default port dropped', () => {
    assert.equal(baseStringUri('HTTPS', 'MDMEnrollment.Apple.com:443', '/session'), 'https://mdmenrollment.apple.com/session');
    assert.equal(baseStringUri('http', 'example.com:80', '/a'), 'http://example.com/a');
    assert.equal(baseStringUri('http', 'example.com:8081', '/a'), 'http://example.com:8081/a');
  });

  it('percent-encodes as RFC 3986 unreserved', () => {
    assert.equal(percentEncode("a b!*'()~-._"), "a%20b%21%2A%27%28%29~-._");
  });

  it('answers 400 parameter_absent without a header or a required parameter', () => {
    expectOAuth(() => parseAuthorization(undefined), 400, 'parameter_absent');
    expectOAuth(() => parseAuthorization('OAuth realm="ADM", oauth_consumer_key="CK_1"'), 400, 'parameter_absent');
  });

  it('answers 400 for a duplicated or unknown parameter and for another signature method', () => {
    const h = depAuthorization(token, 'http://x/session');
    expectOAuth(() => parseAuthorization(`${h}, oauth_nonce="again"`), 400, 'parameter_rejected');
    expectOAuth(() => parseAuthorization(`${h}, oauth_callback="oob"`), 400, 'parameter_rejected');
    expectOAuth(() => parseAuthorization(h.replace('HMAC-SHA1', 'PLAINTEXT')), 400, 'signature_method_rejected');
  });
});
