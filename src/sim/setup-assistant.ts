// Setup Assistant, as the simulator walks it (PROTOCOLS.md §1–§3):
//   1. activation: the device asks for its cloud configuration, signed by its identity, and
//      checks the answer's signature against the anchors it was made with;
//   2. enrolment: POST its signed MachineInfo to ConfigurationURL — or, when the configuration
//      names a ConfigurationWebURL, open it with x-apple-aspen-deviceinfo and sign in;
//   3. the profile: verify its CMS signature, get the identity its payload describes (SCEP with
//      the device's own key, or PKCS#12), and install it. The device is then ready to check in.
// Only HTTP and the wire formats are used, so it enrols with any MDM's enrolment URL.
import { X509Certificate } from 'node:crypto';
import { cmsVerify } from '../crypto/cms.js';
import { parsePkcs12 } from '../crypto/pkcs12.js';
import type { DistinguishedName } from '../crypto/certificates.js';
import type { Identity } from '../crypto/types.js';
import { dataOf, parsePlistDict, type PlistDict, type PlistValue } from '../plist/index.js';
import type { KeySource } from './keys.js';
import { openProfile, payloadOfType, payloads, str } from './profile.js';
import { signAsDevice } from './identity.js';
import { scepEnrol, type FetchImpl } from './scep-client.js';

export interface SetupDevice {
  serial: string;
  udid: string;
  productName: string;
  buildVersion: string;
  osVersion: string;
  imei?: string;
  meid?: string;
  language: string;
  attestation: Identity;
  activationAnchors: X509Certificate[];
  keys: KeySource;
}

export interface SetupOptions {
  /** Orchard's activation (cloud configuration) URL; absent when `enrolUrl` is given. */
  activationUrl?: string;
  /** Skip activation and POST MachineInfo here (another MDM's enrolment URL). */
  enrolUrl?: string;
  /** Managed Apple ID for a configuration web URL. */
  credentials?: { email: string; password: string };
  /** Extra anchors the device trusts for the profile signature. */
  anchors?: X509Certificate[];
  now: () => Date;
  fetchImpl?: FetchImpl;
}

export interface InstalledMdm {
  serverUrl: string;
  checkInUrl: string;
  topic: string;
  signMessage: boolean;
  accessRights?: number;
  identityCertificateUuid: string;
}

export type SetupOutcome =
  | { state: 'not-enrolled'; reason: string }
  | { state: 'enrolled'; cloudConfig?: PlistDict; profile: PlistDict; profileVerified: boolean; identity: Identity; mdm: InstalledMdm };

export class SetupError extends Error {
  constructor(message: string, readonly status?: number, readonly body?: string) {
    super(message);
    this.name = 'SetupError';
  }
}

const PROFILE_TYPE = 'application/x-apple-aspen-config';

function machineInfo(d: SetupDevice): PlistDict {
  const info: PlistDict = { UDID: d.udid, SERIAL: d.serial, PRODUCT: d.productName, VERSION: d.buildVersion, LANGUAGE: d.language, OS_VERSION: d.osVersion };
  if (d.imei) info.IMEI = d.imei;
  if (d.meid) info.MEID = d.meid;
  return info;
}

async function readBody(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

/** Step 1: the cloud configuration, or undefined when the device is not in ADE. */
export async function activate(d: SetupDevice, url: string, o: SetupOptions): Promise<PlistDict | undefined> {
  const res = await (o.fetchImpl ?? fetch)(url, {
    method: 'POST', headers: { 'content-type': 'application/pkcs7-signature' }, body: new Uint8Array(signAsDevice(machineInfo(d), d.attestation)),
  });
  const body = await readBody(res);
  if (res.status !== 200 && res.status !== 404) throw new SetupError(`activation: HTTP ${res.status}`, res.status, body.toString('utf8'));
  // Both answers are signed by the activation service; an unsigned or foreign one is refused.
  const v = cmsVerify(body, { trustAnchors: d.activationAnchors, at: o.now() });
  const plist = parsePlistDict(v.content);
  return res.status === 200 ? plist : undefined;
}

const entities = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Step 2b: the web view — load the page with the device info, fill in the form, submit. */
async function webEnrol(d: SetupDevice, webUrl: string, o: SetupOptions): Promise<Response> {
  if (!o.credentials) throw new SetupError('the configuration web URL asks for a sign-in and no credentials were given');
  const fetchImpl = o.fetchImpl ?? fetch;
  const deviceInfo = signAsDevice(machineInfo(d), d.attestation).toString('base64');
  const page = await fetchImpl(webUrl, { headers: { 'x-apple-aspen-deviceinfo': deviceInfo } });
  const html = await page.text();
  if (page.status !== 200) throw new SetupError(`web view: HTTP ${page.status}`, page.status, html);
  const form = /<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new SetupError('web view: no sign-in form');
  const fields = new URLSearchParams();
  for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields.set(entities(m[1]!), entities(m[2]!));
  fields.set('email', o.credentials.email);
  fields.set('password', o.credentials.password);
  const action = new URL(entities(form[1]!), webUrl).toString();
  // The profile's host must share its last two DNS labels with the web URL's (§1).
  const lastTwo = (h: string) => h.split('.').slice(-2).join('.');
  if (lastTwo(new URL(action).hostname) !== lastTwo(new URL(webUrl).hostname)) throw new SetupError('web view: the form posts to another domain');
  return fetchImpl(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
}

function subjectOf(v: PlistValue | undefined): DistinguishedName {
  const dn: Record<string, string> = {};
  if (Array.isArray(v)) for (const rdn of v) if (Array.isArray(rdn)) for (const pair of rdn) if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') dn[pair[0]] = pair[1];
  return dn as DistinguishedName;
}

/** Step 3: verify, get the identity, install. */
export async function installProfile(d: SetupDevice, body: Buffer, o: SetupOptions, anchors: X509Certificate[]) {
  const opened = openProfile(body, anchors, o.now());
  if (!opened.signed) throw new SetupError('the enrolment profile is not signed');
  const mdm = payloadOfType(opened.profile, 'com.apple.mdm');
  if (!mdm) throw new SetupError('the profile has no com.apple.mdm payload');
  const idUuid = str(mdm.IdentityCertificateUUID, 'IdentityCertificateUUID');
  const idPayload = payloads(opened.profile).find((p) => p.PayloadUUID === idUuid);
  if (!idPayload) throw new SetupError('IdentityCertificateUUID names no payload of the profile');
  let identity: Identity;
  if (idPayload.PayloadType === 'com.apple.security.scep') {
    const c = idPayload.PayloadContent as PlistDict;
    identity = await scepEnrol({
      url: str(c.URL, 'SCEP URL'), challenge: typeof c.Challenge === 'string' ? c.Challenge : undefined, subject: subjectOf(c.Subject),
      keys: await d.keys.take(), now: o.now(), caFingerprint: dataOf(c.CAFingerprint), fetchImpl: o.fetchImpl,
    });
  } else if (idPayload.PayloadType === 'com.apple.security.pkcs12') {
    identity = parsePkcs12(dataOf(idPayload.PayloadContent)!, typeof idPayload.Password === 'string' ? idPayload.Password : '');
  } else {
    throw new SetupError(`unsupported identity payload ${String(idPayload.PayloadType)}`);
  }
  const serverUrl = str(mdm.ServerURL, 'ServerURL');
  return {
    profile: opened.profile, profileVerified: opened.verified, identity,
    mdm: {
      serverUrl, checkInUrl: typeof mdm.CheckInURL === 'string' ? mdm.CheckInURL : serverUrl, topic: str(mdm.Topic, 'Topic'),
      signMessage: mdm.SignMessage === true, accessRights: typeof mdm.AccessRights === 'number' ? mdm.AccessRights : undefined,
      identityCertificateUuid: idUuid,
    },
  };
}

export async function walkSetupAssistant(d: SetupDevice, o: SetupOptions): Promise<SetupOutcome> {
  let cloudConfig: PlistDict | undefined;
  let enrolUrl = o.enrolUrl;
  if (!enrolUrl) {
    if (!o.activationUrl) throw new SetupError('give an activation URL or an enrolment URL');
    cloudConfig = await activate(d, o.activationUrl, o);
    if (!cloudConfig) return { state: 'not-enrolled', reason: 'the device is not assigned to a device management service' };
  }
  const webUrl = typeof cloudConfig?.ConfigurationWebURL === 'string' ? cloudConfig.ConfigurationWebURL : undefined;
  if (!enrolUrl && !webUrl) enrolUrl = str(cloudConfig!.ConfigurationURL, 'ConfigurationURL');
  const res = webUrl
    ? await webEnrol(d, webUrl, o)
    : await (o.fetchImpl ?? fetch)(enrolUrl!, {
        method: 'POST', headers: { 'content-type': 'application/pkcs7-signature' }, body: new Uint8Array(signAsDevice(machineInfo(d), d.attestation)),
      });
  const body = await readBody(res);
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (res.status !== 200 || type !== PROFILE_TYPE) throw new SetupError(`enrolment: HTTP ${res.status} ${type}`, res.status, body.toString('utf8').slice(0, 500));
  const anchors = [...(o.anchors ?? []), ...((cloudConfig?.AnchorCertificates as PlistValue[] | undefined) ?? [])
    .map((c) => dataOf(c)).filter((b): b is Buffer => !!b).map((b) => new X509Certificate(b))];
  const installed = await installProfile(d, body, o, anchors);
  return { state: 'enrolled', cloudConfig, ...installed };
}
