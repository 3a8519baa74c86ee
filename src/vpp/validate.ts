// Parsing and bounding Apps and Books requests: what Apple refuses synchronously, with its
// numbers (ManageAssetsRequest, RevokeAssetsRequest, ManageUsersRequest; limits from LIMITS).
import type { AssetRef, NewVppUser } from '../store/content-licences.js';
import { LIMITS, VppError } from './wire.js';

const PRICING = new Set(['STDQ', 'PLUS']);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 255;

function duplicates(values: string[]): boolean {
  return new Set(values).size !== values.length;
}

export function parseAssets(body: any): AssetRef[] {
  const raw = body?.assets;
  if (raw !== undefined && !Array.isArray(raw)) throw new VppError(9602);
  if (!raw?.length) throw new VppError(9718);
  if (raw.length > LIMITS.maxAssets) throw new VppError(9700);
  const assets = raw.map((a: any): AssetRef => {
    if (!a || typeof a !== 'object' || !isId(a.adamId)) throw new VppError(9602);
    const pricingParam = a.pricingParam ?? 'STDQ';
    if (!PRICING.has(pricingParam)) throw new VppError(9602);
    return { adamId: a.adamId, pricingParam };
  });
  if (duplicates(assets.map((a: AssetRef) => `${a.adamId}/${a.pricingParam}`))) throw new VppError(9703);
  return assets;
}

function ids(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every(isId)) throw new VppError(9602);
  return raw;
}

/** clientUserIds and serialNumbers: at least one of them, within limits, without duplicates. */
export function parseTargets(body: any, limits: { users: number; serials: number } = { users: LIMITS.maxClientUserIds, serials: LIMITS.maxSerialNumbers }) {
  const clientUserIds = ids(body?.clientUserIds);
  const serialNumbers = ids(body?.serialNumbers);
  if (!clientUserIds.length && !serialNumbers.length) throw new VppError(9719);
  if (clientUserIds.length > limits.users) throw new VppError(9701);
  if (serialNumbers.length > limits.serials) throw new VppError(9702);
  if (duplicates(clientUserIds)) throw new VppError(9704, { clientUserIds: clientUserIds.filter((v, i) => clientUserIds.indexOf(v) !== i) });
  if (duplicates(serialNumbers)) throw new VppError(9705, { serialNumbers: serialNumbers.filter((v, i) => serialNumbers.indexOf(v) !== i) });
  return { clientUserIds, serialNumbers };
}

export function parseUsers(body: any, withDetails: boolean): NewVppUser[] {
  const raw = body?.users;
  if (raw !== undefined && !Array.isArray(raw)) throw new VppError(9602);
  if (!raw?.length) throw new VppError(9720);
  if (raw.length > LIMITS.maxUsers) throw new VppError(9714);
  const users = raw.map((u: any): NewVppUser => {
    if (!u || typeof u !== 'object' || !isId(u.clientUserId)) throw new VppError(9602);
    if (!withDetails) return { clientUserId: u.clientUserId };
    if (u.email !== undefined && (typeof u.email !== 'string' || !EMAIL.test(u.email))) throw new VppError(9717);
    if (u.managedAppleId !== undefined && (typeof u.managedAppleId !== 'string' || !EMAIL.test(u.managedAppleId))) throw new VppError(9602);
    return { clientUserId: u.clientUserId, email: u.email, managedAppleId: u.managedAppleId };
  });
  if (duplicates(users.map((u: NewVppUser) => u.clientUserId))) throw new VppError(9715);
  return users;
}

/** Query parameters: booleans are `true`/`false`, integers are decimal; anything else is 9602. */
export function queryBool(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new VppError(9602);
}

export function queryInt(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^-?\d{1,9}$/.test(v)) throw new VppError(9602);
  return Number(v);
}

export function queryString(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v) throw new VppError(9602);
  return v;
}

/** pageIndex: 0-based; a value that is not a non-negative integer is 9650 like one beyond the last page. */
export function pageIndex(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'string' || !/^\d{1,9}$/.test(v)) throw new VppError(9650);
  return Number(v);
}
