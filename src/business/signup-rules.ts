// The checks an application for sign-up passes before review (issue 16): a business email (not a
// free-mail domain, fixtures/free-mail-domains.txt) and the D-U-N-S directory (fixtures/
// duns-directory.json, standing in for Dun & Bradstreet), which must know the number under that
// legal name at that address. Each refusal points at the field to fix (details.errors).
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../fixtures.js';
import { invalid } from './errors.js';
import type { DunsEntry } from './organisations.js';

export interface FieldProblem {
  pointer: string;
  problem: string;
  expected?: string;
}

export const fieldErrors = (code: string, message: string, errors: FieldProblem[]) => invalid(code, message, { errors });

let freeMail: Set<string> | undefined;
export function freeMailDomains(): Set<string> {
  freeMail ??= new Set(fs.readFileSync(path.join(REPO_ROOT, 'fixtures', 'free-mail-domains.txt'), 'utf8')
    .split('\n').map((l) => l.trim().toLowerCase()).filter((l) => l && !l.startsWith('#')));
  return freeMail;
}

/** True when the address is on a free-mail domain or a subdomain of one. */
export function isFreeMail(email: string): boolean {
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  const list = freeMailDomains();
  const labels = domain.split('.');
  return labels.some((_l, i) => list.has(labels.slice(i).join('.')));
}

/** Case, punctuation and spacing do not count: "1 Infinite Loop, Cupertino" = "1 infinite loop cupertino". */
const fold = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * The directory entry for this number, name and address, or a refusal naming each that differs:
 * an unknown number points at duns_number; a known number under another name or address points
 * at legal_name and/or address.
 */
export function checkDuns(directory: DunsEntry[], input: { duns: string; legalName: string; address: string }): DunsEntry {
  const entry = directory.find((e) => e.duns === input.duns);
  if (!entry) {
    throw fieldErrors('duns_mismatch', 'the D-U-N-S number is not in the directory', [
      { pointer: '/body/duns_number', problem: 'no organisation has this D-U-N-S number in the directory' },
    ]);
  }
  const errors: FieldProblem[] = [];
  if (fold(entry.name) !== fold(input.legalName)) errors.push({ pointer: '/body/legal_name', problem: 'the directory knows this D-U-N-S number under another legal name' });
  if (fold(entry.address) !== fold(input.address)) errors.push({ pointer: '/body/address', problem: 'the directory knows this D-U-N-S number at another address' });
  if (errors.length) throw fieldErrors('duns_mismatch', `the D-U-N-S directory differs on ${errors.map((e) => e.pointer.slice(6)).join(' and ')}`, errors);
  return entry;
}
