import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { buildPlist, parsePlist, parsePlistDict, PlistError } from '../../../src/plist/index.js';

const wrap = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">${inner}</plist>`;

const reason = (r: string) => (e: unknown) => e instanceof PlistError && e.reason === r;

describe('plist module', () => {
  it('parses an Apple check-in message with data, dates and integers', () => {
    const v = parsePlistDict(wrap('<dict><key>MessageType</key><string>TokenUpdate</string><key>Token</key><data>AAEC</data><key>N</key><integer>7</integer></dict>'));
    assert.equal(v.MessageType, 'TokenUpdate');
    assert.deepEqual(Buffer.from(v.Token as Uint8Array), Buffer.from([0, 1, 2]));
    assert.equal(v.N, 7);
  });
  it('refuses a body over the size limit', () => {
    assert.throws(() => parsePlist(wrap('<string>' + 'x'.repeat(2000) + '</string>'), { maxBytes: 1000, maxDepth: 10 }), reason('too-large'));
  });
  it('refuses nesting deeper than the limit', () => {
    const deep = '<array>'.repeat(40) + '</array>'.repeat(40);
    assert.throws(() => parsePlist(wrap(deep), { maxBytes: 1e6, maxDepth: 32 }), reason('too-deep'));
  });
  it('refuses entity declarations and DTD internal subsets (no entity expansion)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><plist><string>&b;</string></plist>`;
    assert.throws(() => parsePlist(bomb), reason('forbidden-dtd'));
  });
  it('refuses binary plists, garbage and an empty body', () => {
    assert.throws(() => parsePlist(Buffer.from('bplist00\x00\x01')), reason('binary'));
    assert.throws(() => parsePlist('<plist><dict><key>a</key>'), reason('malformed'));
    assert.throws(() => parsePlist(''), reason('malformed'));
  });
  it('requires a dictionary at the top level where asked', () => {
    assert.throws(() => parsePlistDict(wrap('<array/>')), reason('not-a-dict'));
  });
  it('builds plists that Python plistlib reads back exactly', () => {
    const xml = buildPlist({ CommandUUID: 'ABC', Command: { RequestType: 'DeviceInformation', Queries: ['UDID', 'OSVersion'] }, Data: Buffer.from('hi'), Flag: true, N: 3, When: new Date('2026-01-02T03:04:05Z') });
    const out = execFileSync('python3', ['-c', `
import plistlib, sys, json, datetime
d = plistlib.loads(sys.stdin.buffer.read())
d['Data'] = d['Data'].decode()
d['When'] = d['When'].strftime('%Y-%m-%dT%H:%M:%SZ')
print(json.dumps(d, sort_keys=True))`], { input: xml }).toString();
    assert.deepEqual(JSON.parse(out), { Command: { Queries: ['UDID', 'OSVersion'], RequestType: 'DeviceInformation' }, CommandUUID: 'ABC', Data: 'hi', Flag: true, N: 3, When: '2026-01-02T03:04:05Z' });
  });
});
