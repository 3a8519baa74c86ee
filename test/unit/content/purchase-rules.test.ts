// Buying and moving licences: the rules as pure decisions (src/business/content/purchase-rules.ts),
// which the store runs on its rows inside the write's transaction.
import assert from 'node:assert/strict';
import { chargeRefusal, redeemRefusal, transferRefusal } from '../../../src/business/content/purchase-rules.js';

describe('purchase rules', () => {
  it('a credit code is redeemed once, in the currency of the location and of its credit', () => {
    const code = { currency: 'USD', amountMinor: 5000, redeemed: false };
    assert.equal(redeemRefusal(undefined, undefined, 'USD'), 'unknown_code');
    assert.equal(redeemRefusal({ ...code, redeemed: true }, undefined, 'USD'), 'already_redeemed');
    assert.equal(redeemRefusal(code, undefined, 'EUR'), 'currency_mismatch');
    assert.equal(redeemRefusal(code, { currency: 'EUR', balanceMinor: 0 }, 'USD'), 'currency_mismatch');
    assert.equal(redeemRefusal(code, undefined, 'USD'), undefined);
    assert.equal(redeemRefusal(code, { currency: 'USD', balanceMinor: 10 }, 'USD'), undefined);
  });

  it('VPP credit pays only in its currency and up to its balance', () => {
    assert.equal(chargeRefusal(undefined, 1, 'USD'), 'insufficient_credit');
    assert.equal(chargeRefusal({ currency: 'EUR', balanceMinor: 9999 }, 1, 'USD'), 'currency_mismatch');
    assert.equal(chargeRefusal({ currency: 'USD', balanceMinor: 999 }, 1000, 'USD'), 'insufficient_credit');
    assert.equal(chargeRefusal({ currency: 'USD', balanceMinor: 1000 }, 1000, 'USD'), undefined);
  });

  it('only unassigned licences move to another location', () => {
    assert.equal(transferRefusal(undefined, 1), 'not_enough_available');
    assert.equal(transferRefusal({ totalCount: 5, assignedCount: 3 }, 3), 'not_enough_available');
    assert.equal(transferRefusal({ totalCount: 5, assignedCount: 3 }, 2), undefined);
  });
});
