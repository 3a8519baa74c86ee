// The export file of an old Device Enrollment Program / Volume Purchase Program account
// (docs/upgrade-import.md): `"format": "orchard-upgrade-export", "version": 1`, its DEP part
// (MDM servers with their public key certificates, devices with their orders and servers) and
// its VPP part (locations with their sToken and purchases, volume purchasers). One JSON Schema
// (2020-12, as the admin API's OpenAPI document, which reuses it as the request body) checked
// with ajv; its errors become the API's field errors `{pointer, problem, expected}`.
import { createHash } from 'node:crypto';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { DEFAULT_FAMILIES, DEVICE_FAMILIES } from '../../store/device-types.js';
import { invalid } from '../errors.js';

export const EXPORT_FORMAT = 'orchard-upgrade-export';
export const EXPORT_VERSION = 1;

type Schema = Record<string, unknown>;
const text = (max: number, description?: string): Schema => ({ type: 'string', minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const closed = (properties: Record<string, Schema>, required: string[], description?: string): Schema => ({
  type: 'object', properties, required, additionalProperties: false, ...(description ? { description } : {}),
});

/** Bounds: an export is one JSON body of at most the admin API's body limit (1 MiB by default). */
export const EXPORT_LIMITS = { servers: 100, devices: 5000, locations: 100, purchases: 1000, purchasers: 1000 } as const;

const server = closed({
  name: text(100, 'the server\'s name in the old account; unique within the file and the organisation'),
  public_key: { type: 'string', minLength: 1, maxLength: 20_000, description: 'the server\'s public key certificate (PEM), to which Orchard envelopes its new server token' },
  default_for: {
    type: 'array', uniqueItems: true, maxItems: DEFAULT_FAMILIES.length, items: { enum: [...DEFAULT_FAMILIES] },
    description: 'device families whose newly arriving devices go to this server',
  },
}, ['name', 'public_key']);

const device = closed({
  serial_number: { type: 'string', pattern: '^[A-Z0-9]{8,20}$', description: 'upper case, 8 to 20 letters and digits' },
  model: text(100),
  device_family: { enum: [...DEVICE_FAMILIES] },
  description: { type: 'string', maxLength: 200 },
  color: { type: 'string', maxLength: 50 },
  os: { type: 'string', maxLength: 20 },
  order_number: text(64),
  order_date: { type: 'string', format: 'date', description: 'YYYY-MM-DD; every device of one order gives the same date' },
  mdm_server: { type: ['string', 'null'], minLength: 1, maxLength: 100, description: 'the name of a server of this file it is assigned to; null or absent: unassigned' },
}, ['serial_number', 'model', 'device_family', 'order_number', 'order_date']);

const purchase = closed({
  adam_id: { type: 'string', pattern: '^[0-9]{1,20}$', description: 'the product\'s adam ID in the App Store catalogue (or an approved custom app of the organisation)' },
  licence_count: { type: 'integer', minimum: 1, maximum: 1_000_000 },
  pricing_param: { enum: ['STDQ', 'PLUS'] },
}, ['adam_id', 'licence_count']);

const location = closed({
  name: text(200, 'an existing location of the organisation, by name'),
  s_token: { type: 'string', minLength: 1, maxLength: 4096, description: 'the location\'s current sToken file (base64): kept working in Orchard until its expiry' },
  purchases: { type: 'array', maxItems: EXPORT_LIMITS.purchases, items: purchase },
}, ['name', 'purchases']);

const purchaser = closed({
  given_name: text(200),
  family_name: text(200),
  email: { type: 'string', format: 'email', maxLength: 254, description: 'where the invitation goes' },
  managed_apple_id: { type: 'string', format: 'email', maxLength: 254, description: 'the account\'s Managed Apple ID, in a verified domain of the organisation (default: email)' },
  location: text(200, 'the location the account belongs to, by name (a location of this file or of the organisation)'),
}, ['given_name', 'family_name', 'email']);

/** The export file's JSON Schema. */
export const UPGRADE_EXPORT_SCHEMA: Schema = closed({
  format: { const: EXPORT_FORMAT },
  version: { const: EXPORT_VERSION },
  exported_at: { type: 'string', format: 'date-time' },
  account_name: text(200, 'the old account\'s name, kept in the import record'),
  device_enrollment: closed({
    servers: { type: 'array', maxItems: EXPORT_LIMITS.servers, items: server },
    devices: { type: 'array', maxItems: EXPORT_LIMITS.devices, items: device },
  }, ['servers', 'devices'], 'the old Device Enrollment Program account'),
  volume_purchase: closed({
    locations: { type: 'array', maxItems: EXPORT_LIMITS.locations, items: location },
    purchasers: { type: 'array', maxItems: EXPORT_LIMITS.purchasers, items: purchaser },
  }, ['locations', 'purchasers'], 'the old Volume Purchase Program account'),
}, ['format', 'version', 'account_name', 'device_enrollment', 'volume_purchase'], `An export of an old DEP/VPP account (docs/upgrade-import.md): format "${EXPORT_FORMAT}", version ${EXPORT_VERSION}.`);

export interface ExportServer { name: string; public_key: string; default_for?: Array<(typeof DEFAULT_FAMILIES)[number]> }
export interface ExportDevice {
  serial_number: string; model: string; device_family: (typeof DEVICE_FAMILIES)[number]; description?: string; color?: string; os?: string;
  order_number: string; order_date: string; mdm_server?: string | null;
}
export interface ExportPurchase { adam_id: string; licence_count: number; pricing_param?: 'STDQ' | 'PLUS' }
export interface ExportLocation { name: string; s_token?: string; purchases: ExportPurchase[] }
export interface ExportPurchaser { given_name: string; family_name: string; email: string; managed_apple_id?: string; location?: string }
export interface UpgradeExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exported_at?: string;
  account_name: string;
  device_enrollment: { servers: ExportServer[]; devices: ExportDevice[] };
  volume_purchase: { locations: ExportLocation[]; purchasers: ExportPurchaser[] };
}

/** A field problem in the API's one shape (src/http/api-errors.ts FieldError). */
export interface ExportFieldError { pointer: string; problem: 'wrong_type' | 'missing' | 'unknown_field' | 'invalid_value'; expected: string }

// ajv-formats is CommonJS: its default export arrives as module.default under Node ESM.
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

let compiled: ReturnType<Ajv2020['compile']> | undefined;
/** Compiled once, with the options of the admin API's validator (src/portal/api/openapi/validate.ts). */
function validator() {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  return (compiled = ajv.compile(UPGRADE_EXPORT_SCHEMA));
}

function fieldErrors(root: string, errors: ErrorObject[]): ExportFieldError[] {
  const out: ExportFieldError[] = [];
  for (const e of errors) {
    const at = `${root}${e.instancePath}`;
    const p = e.params as Record<string, any>;
    if (e.keyword === 'type') out.push({ pointer: at, problem: 'wrong_type', expected: [p.type].flat().join(' or ') });
    else if (e.keyword === 'required') out.push({ pointer: `${at}/${p.missingProperty}`, problem: 'missing', expected: 'a value' });
    else if (e.keyword === 'additionalProperties') out.push({ pointer: `${at}/${p.additionalProperty}`, problem: 'unknown_field', expected: 'no such field' });
    else if (e.keyword === 'const') out.push({ pointer: at, problem: 'invalid_value', expected: JSON.stringify(p.allowedValue) });
    else if (e.keyword === 'enum') out.push({ pointer: at, problem: 'invalid_value', expected: `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` });
    else out.push({ pointer: at, problem: 'invalid_value', expected: e.message ?? e.keyword });
  }
  return out.filter((x, i) => out.findIndex((y) => y.pointer === x.pointer && y.problem === x.problem) === i);
}

/**
 * The export, if it matches the format; otherwise 400 `export_invalid` with details.errors, one
 * `{pointer, problem, expected}` per problem, the pointers rooted at `root` ('/body' for the API).
 */
export function checkExport(input: unknown, root = '/body'): UpgradeExport {
  const validate = validator();
  if (validate(input)) return input as UpgradeExport;
  const errors = fieldErrors(root, validate.errors ?? []);
  const shown = errors.slice(0, 5).map((e) => `${e.pointer || '/'} ${e.problem === 'missing' ? 'is required' : e.problem === 'unknown_field' ? 'is not a field of the format' : `must be ${e.expected}`}`);
  throw invalid('export_invalid', `the file is not an ${EXPORT_FORMAT} version ${EXPORT_VERSION} (docs/upgrade-import.md): ${shown.join('; ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`, { errors });
}

/** Key order does not matter: the same export re-serialised or re-indented has the same digest. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** sha256 (hex) of the export's canonical JSON: what makes a second import of one file recognisable. */
export function exportDigest(doc: UpgradeExport): string {
  return createHash('sha256').update(canonical(doc)).digest('hex');
}
