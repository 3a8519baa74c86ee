// The rules of buying and moving licences, as pure decisions over what the store reads inside
// the write's transaction: a credit code is redeemed once and only in the location's currency;
// a purchase on VPP credit needs enough credit in its currency; only unassigned licences move.
import type { CreditBalance, CreditCode, PurchaseRefusal, RedeemRefusal } from '../../store/content-purchasing.js';

/** Redeeming `code` into a location's credit (undefined: none yet, it will be opened in `currency`). */
export function redeemRefusal(code: CreditCode | undefined, credit: CreditBalance | undefined, currency: string): RedeemRefusal | undefined {
  if (!code) return 'unknown_code';
  if (code.redeemed) return 'already_redeemed';
  if (code.currency !== currency || (credit && credit.currency !== currency)) return 'currency_mismatch';
  return undefined;
}

/** Charging `totalMinor` in `currency` to a location's VPP credit. */
export function chargeRefusal(credit: CreditBalance | undefined, totalMinor: number, currency: string): PurchaseRefusal | undefined {
  if (credit && credit.currency !== currency) return 'currency_mismatch';
  if (!credit || credit.balanceMinor < totalMinor) return 'insufficient_credit';
  return undefined;
}

/** Moving `quantity` licences out of a pool: only those not assigned. */
export function transferRefusal(from: { totalCount: number; assignedCount: number } | undefined, quantity: number): 'not_enough_available' | undefined {
  return !from || from.totalCount - from.assignedCount < quantity ? 'not_enough_available' : undefined;
}
