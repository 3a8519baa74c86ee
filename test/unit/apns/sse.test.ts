// Server-sent events as the device channels frame and read them.
import assert from 'node:assert/strict';
import { SseParser, sseEvent, type SseEvent } from '../../../src/apns/sse.js';

describe('server-sent events (device channels)', () => {
  it('frames each data line as its own field', () => {
    assert.equal(sseEvent('push', '{"a":\n1}', 'id-1'), 'event: push\nid: id-1\ndata: {"a":\ndata: 1}\n\n');
    assert.equal(sseEvent('unregistered', '{}'), 'event: unregistered\ndata: {}\n\n');
  });

  it('reads events split anywhere across chunks, CRLF and CR line ends included, skipping comments', () => {
    const text = ': connected 2\n\nevent: push\r\nid: x\r\ndata: {"a":1}\r\n\r\nevent: push\rdata: l1\rdata: l2\r\r';
    for (const size of [1, 2, 3, 7, text.length]) {
      const got: SseEvent[] = [];
      const p = new SseParser();
      for (let i = 0; i < text.length; i += size) p.feed(text.slice(i, i + size), (e) => got.push(e));
      // The last CR may still be the first half of a CRLF: the event completes on the next byte.
      p.feed('\n', (e) => got.push(e));
      assert.deepEqual(got, [
        { event: 'push', id: 'x', data: '{"a":1}' },
        { event: 'push', id: undefined, data: 'l1\nl2' },
      ], `chunks of ${size}`);
    }
  });
});
