// The lean flat-dict reader answers exactly what the `plist` package answers, on the messages
// devices send and on edge cases; whatever it declines goes to `plist` (and the bounds of
// parsePlist still apply first).
import assert from 'node:assert/strict';
import * as plist from 'plist';
import { parseFlatDict } from '../../src/plist/flat.js';
import { buildPlist, parsePlistDict, PlistError } from '../../src/plist/index.js';

const APPLE_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n';
const doc = (inner: string, head = APPLE_HEAD) => `${head}<plist version="1.0">\n<dict>\n${inner}\n</dict>\n</plist>\n`;

const ACCEPTED: Array<[string, string]> = [
  ['Idle', buildPlist({ Status: 'Idle', UDID: '00008110-001A2D3E0C8B801E' })],
  ['Acknowledged', buildPlist({ Status: 'Acknowledged', CommandUUID: '9F0B-1', UDID: 'A-B' })],
  ['Authenticate', buildPlist({ MessageType: 'Authenticate', Topic: 'com.apple.mgmt.External.x', UDID: 'U', SerialNumber: 'F17ZK', DeviceName: "Alex's iPhone", Model: 'iPhone15,2', OSVersion: '17.5.1', BuildVersion: '21F90' })],
  ['TokenUpdate', buildPlist({ MessageType: 'TokenUpdate', Topic: 't', UDID: 'U', Token: Buffer.from('00ff10ab'.repeat(8), 'hex'), PushMagic: 'm', AwaitingConfiguration: false, NotOnConsole: true })],
  ['integers and dates', doc('<key>A</key><integer>-42</integer><key>B</key><integer>123456789012345</integer><key>When</key><date>2024-06-01T12:30:00Z</date>')],
  ['empty values', doc('<key></key><string></string><key>E</key><string/><key>D</key><data></data><key>F</key><dict/>'.replace('<key>F</key><dict/>', ''))],
  ['data with line breaks', doc('<key>D</key>\n<data>\n\tAAEC\n\tAwQF\n</data>')],
  ['unicode and spaces', doc('<key>Name</key><string>  Café – 東京  </string>')],
  ['no declaration', '<plist version="1.0"><dict><key>Status</key><string>Idle</string></dict></plist>'],
  ['empty dict', doc('')],
];

// Parsed by `plist` (or refused by it) but not by the lean reader: it must decline them.
const DECLINED: Array<[string, string]> = [
  ['entity', doc('<key>S</key><string>a &amp; b &lt;c&gt; &#233;</string>')],
  ['nested', buildPlist({ Status: 'Error', ErrorChain: [{ ErrorCode: 12021, ErrorDomain: 'MCMDMErrorDomain' }] })],
  ['comment', doc('<!-- hello --><key>S</key><string>x</string>')],
  ['cdata', doc('<key>S</key><string><![CDATA[<x>]]></string>')],
  ['real', doc('<key>R</key><real>1.5</real>')],
  ['carriage return', doc('<key>S</key><string>a\r\nb</string>')],
  ['big integer', doc('<key>N</key><integer>12345678901234567890</integer>')],
  ['hex integer', doc('<key>N</key><integer>0x10</integer>')],
  ['unpadded base64', doc('<key>D</key><data>AAE</data>')],
  ['duplicate key', doc('<key>S</key><string>a</string><key>S</key><string>b</string>')],
  ['__proto__', doc('<key>__proto__</key><string>x</string>')],
  ['key without value', doc('<key>S</key>')],
  ['array root', `${APPLE_HEAD}<plist version="1.0"><array><string>x</string></array></plist>`],
  ['odd declaration', doc('<key>S</key><string>x</string>', '<?xml version="1.1"?>')],
  ['leading space', ` ${doc('<key>S</key><string>x</string>')}`],
  ['truncated', doc('<key>S</key><string>x</string>').slice(0, -10)],
];

const plistAnswer = (xml: string) => {
  try {
    return { value: plist.parse(xml) };
  } catch (e) {
    return { error: String(e) };
  }
};

describe('plist: lean flat-dict reader', () => {
  for (const [name, xml] of ACCEPTED) {
    it(`reads ${name} exactly as the plist package does`, () => {
      const lean = parseFlatDict(xml);
      assert.ok(lean, 'declined');
      assert.deepStrictEqual(lean, plist.parse(xml));
      assert.deepStrictEqual(parsePlistDict(Buffer.from(xml)), plist.parse(xml));
    });
  }
  for (const [name, xml] of DECLINED) {
    it(`declines ${name}, and parsePlistDict answers as the plist package`, () => {
      assert.equal(parseFlatDict(xml), undefined);
      const expected = plistAnswer(xml);
      if ('value' in expected && expected.value && typeof expected.value === 'object' && !Array.isArray(expected.value)) {
        assert.deepStrictEqual(parsePlistDict(Buffer.from(xml)), expected.value);
      } else {
        assert.throws(() => parsePlistDict(Buffer.from(xml)), PlistError);
      }
    });
  }
  it('keeps the bounds: size, entity declarations and binary plists are refused before it runs', () => {
    const big = doc(`<key>S</key><string>${'x'.repeat(100)}</string>`);
    assert.throws(() => parsePlistDict(big, { maxBytes: 50, maxDepth: 32 }), (e: PlistError) => e.reason === 'too-large');
    const dtd = big.replace('<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">', '<!DOCTYPE plist [<!ENTITY x "y">]>');
    assert.throws(() => parsePlistDict(dtd), (e: PlistError) => e.reason === 'forbidden-dtd');
    assert.throws(() => parsePlistDict(Buffer.from('bplist00')), (e: PlistError) => e.reason === 'binary');
  });
});
