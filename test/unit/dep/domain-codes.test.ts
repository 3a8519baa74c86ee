// The DEP domain speaks its own codes (cursor_exhausted, not-accessible …); only the DEP face's
// wire module (src/dep/wire.ts) turns them into Apple's codes and statuses.
import assert from 'node:assert/strict';
import { DepDeviceService, type CursorState, type DepDeviceSource } from '../../../src/business/dep-devices.js';
import { DomainError } from '../../../src/business/errors.js';
import type { DeviceOutcome } from '../../../src/store/device-types.js';
import { DepError, depErrorOfDomainCode, deviceResults } from '../../../src/dep/wire.js';

const at = new Date('2026-03-02T10:00:00.000Z');
const clock = { now: () => at };
const source: DepDeviceSource = {
  depAssignedAfter: async () => [], depOpsAfter: async () => [], getMany: async () => [], maxOpSeq: async () => 0,
  disown: async () => ({ A: 'done', B: 'not-accessible' }),
};
const position = (o: Partial<CursorState>): CursorState => ({ serverId: 'S', afterAssignSeq: 0, opSeq: 0, issuedAt: at, exhausted: false, ...o });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof DomainError, 'a domain error');
  return err;
}

describe('DEP domain codes and their wire form', () => {
  const service = new DepDeviceService(source, clock, 7 * 86_400_000);

  it('an exhausted fetch and an expired sync are refused with domain codes', async () => {
    const exhausted = await refusal(service.fetch('S', position({ exhausted: true }), 100));
    assert.deepEqual([exhausted.kind, exhausted.code], ['invalid', 'cursor_exhausted']);
    const expired = await refusal(service.sync('S', position({ issuedAt: new Date(at.getTime() - 8 * 86_400_000) }), 100));
    assert.deepEqual([expired.kind, expired.code], ['invalid', 'cursor_expired']);
  });

  it('the wire module answers them with Apple\'s code and status, and has no word for other codes', () => {
    const wire = (code: string, o?: Parameters<typeof depErrorOfDomainCode>[1]) => {
      const e = depErrorOfDomainCode(code, o);
      return e && [e.status, e.body];
    };
    assert.deepEqual(wire('cursor_exhausted'), [400, 'EXHAUSTED_CURSOR']);
    assert.deepEqual(wire('cursor_expired'), [400, 'EXPIRED_CURSOR']);
    assert.deepEqual(wire('profile_not_found'), [404, 'PROFILE_NOT_FOUND']);
    assert.deepEqual(wire('profile_not_found', { profile_not_found: 'PROFILE_FETCH_NOT_FOUND' }), [400, 'NOT_FOUND']);
    assert.equal(depErrorOfDomainCode('EXHAUSTED_CURSOR'), undefined);
    assert.equal(depErrorOfDomainCode('certificate_invalid'), undefined);
    assert.ok(depErrorOfDomainCode('cursor_expired') instanceof DepError);
  });

  it('per-device outcomes are domain words until the face says SUCCESS, NOT_ACCESSIBLE or FAILED', async () => {
    const outcomes: Record<string, DeviceOutcome> = await service.disown('S', ['A', 'B']);
    assert.deepEqual({ ...outcomes }, { A: 'done', B: 'not-accessible' });
    assert.deepEqual(deviceResults({ ...outcomes, C: 'other-profile' }), { A: 'SUCCESS', B: 'NOT_ACCESSIBLE', C: 'FAILED' });
  });
});
