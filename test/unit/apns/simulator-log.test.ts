import assert from 'node:assert/strict';
import { RequestLog } from '../../../src/apns/simulator-log.js';

describe('RequestLog (the simulator\'s recent requests)', () => {
  const add = (log: RequestLog, n: number) =>
    log.add('POST', `/3/device/${n}`, [':method', 'POST', ':path', `/3/device/${n}`, 'apns-topic', 't', 'apns-priority', String(n)], 200, `id-${n}`, n % 2 ? 'BadTopic' : undefined);

  it('keeps the last `size` requests, oldest first, with regular headers only', () => {
    const log = new RequestLog(3);
    for (let n = 1; n <= 5; n++) add(log, n);
    assert.deepEqual(log.entries(), [3, 4, 5].map((n) => ({
      method: 'POST', path: `/3/device/${n}`, headers: { 'apns-topic': 't', 'apns-priority': String(n) }, status: 200, apnsId: `id-${n}`,
      ...(n % 2 ? { reason: 'BadTopic' } : {}),
    })));
  });
  it('answers what it holds before it is full, and nothing with size 0', () => {
    const log = new RequestLog(4);
    add(log, 1);
    add(log, 2);
    assert.deepEqual(log.entries().map((e) => e.apnsId), ['id-1', 'id-2']);
    const none = new RequestLog(0);
    add(none, 1);
    assert.deepEqual(none.entries(), []);
  });
});
