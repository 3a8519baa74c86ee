// Amounts are integers in the currency's minor unit (cents); ISO 4217 says how many digits.
import { invalid } from '../errors.js';

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'HUF', 'TWD']);

export const minorDigits = (currency: string): number => (ZERO_DECIMAL.has(currency) ? 0 : 2);

/** "9.99" in USD → 999; "160" in JPY → 160. Refuses more decimals than the currency has. */
export function toMinor(amount: string | number, currency: string): number {
  const text = String(amount).trim();
  const digits = minorDigits(currency);
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!m || (m[2] !== undefined && m[2].length > digits)) throw invalid('amount_invalid', `${text} is not an amount in ${currency}`);
  const frac = (m[2] ?? '').padEnd(digits, '0');
  return Number(m[1]) * 10 ** digits + (digits ? Number(frac) : 0);
}

/** 999 in USD → "9.99". */
export function fromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (!digits) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, '0')}`;
}
