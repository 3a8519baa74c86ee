// The portal's CSV upload: which serial numbers a file names, and the batches it is sent in.
import assert from 'node:assert/strict';
import { batches, serialsOfCsv } from '../../../src/portal/web/app/csv.js';

describe('portal CSV upload: serials and batches', () => {
  it('reads the first column, skips a header and blank lines, upper-cases, keeps each serial once', () => {
    const text = '\uFEFFSerial Number,Order\r\n"c02abc123",PO-1\n\nC02ABC123,PO-1\nDMPXK1000Q1G;x\n  f17zk10010qh\t9\n';
    assert.deepEqual(serialsOfCsv(text), ['C02ABC123', 'DMPXK1000Q1G', 'F17ZK10010QH']);
  });
  it('sends 10,000 serials as ten batches of 1,000, in order, none lost', () => {
    const serials = Array.from({ length: 10_000 }, (_, i) => `S${String(i).padStart(9, '0')}`);
    const out = batches(serials, 1000);
    assert.equal(out.length, 10);
    assert.ok(out.every((b) => b.length === 1000));
    assert.deepEqual(out.flat(), serials);
    assert.deepEqual(batches(serials.slice(0, 2500), 1000).map((b) => b.length), [1000, 1000, 500]);
    assert.deepEqual(batches([], 1000), []);
    assert.throws(() => batches(serials, 0), RangeError);
  });
});
