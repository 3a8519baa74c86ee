// The MDM hot path's detached verification refuses what cmsVerify + verifyChain refuse, and
// caches only the path check: a tampered body, another CA, an expired leaf, foreign content.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cmsSign } from '../../../src/crypto/cms.js';
import { SignerTrust, verifyDetached, verifyDetachedAsync } from '../../../src/crypto/detached-verify.js';
import { CryptoError } from '../../../src/crypto/types.js';
import { issueDeviceIdentity, makeCa } from '../../support/mdm.js';

const DAY = 86_400_000;
const reasonAsync = async (f: () => Promise<unknown>) => {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof CryptoError, String(e));
    return e.reason;
  }
  return 'accepted';
};
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CryptoError, String(e));
    return e.reason;
  }
  return 'accepted';
};

describe('verifyDetached (Mdm-Signature hot path)', () => {
  const now = new Date();
  const body = Buffer.from('<?xml version="1.0"?><plist version="1.0"><dict><key>Status</key><string>Idle</string></dict></plist>');
  let ca: Awaited<ReturnType<typeof makeCa>>;
  let device: Awaited<ReturnType<typeof issueDeviceIdentity>>;
  before(async () => {
    ca = await makeCa('Detached Test CA');
    device = await issueDeviceIdentity(ca, 'device-1');
  });

  it('accepts a detached signature over the body and names the signer by its DER fingerprint', () => {
    const trust = new SignerTrust([ca.cert]);
    const sig = cmsSign(body, device, { detached: true, signingTime: now, digest: 'sha256' });
    const v = verifyDetached(sig, body, trust, now);
    assert.equal(v.certSha256, createHash('sha256').update(device.cert.raw).digest('hex'));
    assert.ok(v.certDer.equals(device.cert.raw));
    // Cached path, still a full signature check: the same signature over another body fails.
    assert.equal(reason(() => verifyDetached(sig, Buffer.concat([body, Buffer.from(' ')]), trust, now)), 'digest-mismatch');
  });

  it('refuses a signer from another CA, every time', async () => {
    const other = await makeCa('Other CA');
    const stranger = await issueDeviceIdentity(other, 'device-2');
    const trust = new SignerTrust([ca.cert]);
    const sig = cmsSign(body, stranger, { detached: true, signingTime: now, digest: 'sha256' });
    assert.equal(reason(() => verifyDetached(sig, body, trust, now)), 'untrusted-chain');
    assert.equal(reason(() => verifyDetached(sig, body, trust, now)), 'untrusted-chain');
  });

  it('checks validity against the clock on every call, cached path or not', () => {
    const trust = new SignerTrust([ca.cert]);
    const sig = cmsSign(body, device, { detached: true, signingTime: now, digest: 'sha256' });
    assert.equal(reason(() => verifyDetached(sig, body, trust, now)), 'accepted');
    assert.equal(reason(() => verifyDetached(sig, body, trust, new Date(now.getTime() + 400 * DAY))), 'expired');
    assert.equal(reason(() => verifyDetached(sig, body, trust, new Date(now.getTime() - 2 * DAY))), 'not-yet-valid');
  });

  it('refuses a signature that encapsulates other content, and a forged signature value', () => {
    const trust = new SignerTrust([ca.cert]);
    const attached = cmsSign(Buffer.from('something else'), device, { detached: false, signingTime: now, digest: 'sha256' });
    assert.equal(reason(() => verifyDetached(attached, body, trust, now)), 'malformed');
    const sig = cmsSign(body, device, { detached: true, signingTime: now, digest: 'sha256' });
    const forged = Buffer.from(sig);
    forged[forged.length - 5]! ^= 0xff; // inside the signature value, the last field
    assert.equal(reason(() => verifyDetached(forged, body, trust, now)), 'bad-signature');
  });

  it('finds the signer among other certificates, on first sight and once they are remembered', async () => {
    const trust = new SignerTrust([ca.cert]);
    const other = await issueDeviceIdentity(ca, 'device-3');
    const fp = (d: typeof device) => createHash('sha256').update(d.cert.raw).digest('hex');
    const sig = cmsSign(body, device, { detached: true, signingTime: now, digest: 'sha256', includeCertificates: [other.cert, device.cert] });
    for (let i = 0; i < 2; i++) assert.equal(verifyDetached(sig, body, trust, now).certSha256, fp(device));
    // The other certificate, seen first as a bystander, signs later with its own key.
    const sig2 = cmsSign(body, other, { detached: true, signingTime: now, digest: 'sha256', includeCertificates: [device.cert, other.cert] });
    assert.equal(verifyDetached(sig2, body, trust, now).certSha256, fp(other));
    // A message without its signer's certificate is refused, remembered certificates or not.
    const orphan = cmsSign(body, other, { detached: true, signingTime: now, digest: 'sha256', includeCertificates: [device.cert] });
    assert.equal(reason(() => verifyDetached(orphan, body, trust, now)), 'malformed');
  });

  it('verifyDetachedAsync (signature math on the thread pool) reaches the same outcomes', async () => {
    const trust = new SignerTrust([ca.cert]);
    const sig = cmsSign(body, device, { detached: true, signingTime: now, digest: 'sha256' });
    const v = await verifyDetachedAsync(sig, body, trust, now);
    assert.equal(v.certSha256, createHash('sha256').update(device.cert.raw).digest('hex'));
    assert.equal(await reasonAsync(() => verifyDetachedAsync(sig, Buffer.concat([body, Buffer.from(' ')]), trust, now)), 'digest-mismatch');
    const forged = Buffer.from(sig);
    forged[forged.length - 5]! ^= 0xff;
    assert.equal(await reasonAsync(() => verifyDetachedAsync(forged, body, trust, now)), 'bad-signature');
    assert.equal(await reasonAsync(() => verifyDetachedAsync(sig, body, trust, new Date(now.getTime() + 400 * DAY))), 'expired');
    const stranger = await issueDeviceIdentity(await makeCa('Async Other CA'), 'device-4');
    const foreign = cmsSign(body, stranger, { detached: true, signingTime: now, digest: 'sha256' });
    assert.equal(await reasonAsync(() => verifyDetachedAsync(foreign, body, trust, now)), 'untrusted-chain');
  });
});
