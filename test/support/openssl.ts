// openssl and python3 as independent readers of what Orchard serves.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './harness.js';

const run = promisify(execFile);

/** `openssl smime -verify -inform der` (-noverify unless a CA file is given): the content it prints. */
export async function smimeVerify(der: Buffer, caPem?: string): Promise<Buffer> {
  const dir = tempDir('orchard-smime-');
  const input = path.join(dir, 'in.der');
  fs.writeFileSync(input, der);
  const args = ['smime', '-verify', '-inform', 'der', '-in', input];
  if (caPem) {
    fs.writeFileSync(path.join(dir, 'ca.pem'), caPem);
    args.push('-CAfile', path.join(dir, 'ca.pem'), '-purpose', 'any');
  } else args.push('-noverify');
  const { stdout } = await run('openssl', args, { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
  return stdout as unknown as Buffer;
}

/** Python's plistlib reading `xml`; answers JSON of the keys asked for (data as base64). */
export async function plistlibRead(xml: Buffer): Promise<any> {
  const dir = tempDir('orchard-plistlib-');
  const input = path.join(dir, 'profile.plist');
  fs.writeFileSync(input, xml);
  const script = `
import plistlib, json, sys, base64, datetime
def conv(v):
    if isinstance(v, bytes): return {'$data': base64.b64encode(v).decode()}
    if isinstance(v, dict): return {k: conv(x) for k, x in v.items()}
    if isinstance(v, list): return [conv(x) for x in v]
    if isinstance(v, datetime.datetime): return v.isoformat()
    return v
with open(sys.argv[1], 'rb') as f:
    print(json.dumps(conv(plistlib.load(f))))
`;
  const { stdout } = await run('python3', ['-c', script, input]);
  return JSON.parse(stdout);
}
