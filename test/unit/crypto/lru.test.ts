// The bounded LRU map behind the certificate and public-key caches.
import assert from 'node:assert/strict';
import { LruMap } from '../../../src/crypto/lru.js';

describe('LruMap', () => {
  it('drops the least recently used entry when full; a get counts as a use', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    assert.equal(m.get('a'), 1); // a is now the most recent: b goes next
    m.set('c', 3);
    assert.deepEqual([m.get('a'), m.get('b'), m.get('c'), m.size], [1, undefined, 3, 2]);
  });

  it('replaces a key in place without evicting another', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.set('a', 10);
    assert.deepEqual([m.get('a'), m.get('b'), m.size], [10, 2, 2]);
  });
});
