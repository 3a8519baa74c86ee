// The upgrade export's format (docs/upgrade-import.md): the sample matches it; a mismatch names
// each place with the API's field-error shape; the digest ignores key order and whitespace but
// not content.
import assert from 'node:assert/strict';
import { checkExport, exportDigest } from '../../../src/business/upgrade-import/export-format.js';
import { DomainError } from '../../../src/business/errors.js';
import { readFixture } from '../../../src/fixtures.js';

const sample = () => readFixture<any>('upgrade-export.sample.json');
const refusal = (input: unknown, root?: string) => {
  try {
    checkExport(input, root);
  } catch (err) {
    assert.ok(err instanceof DomainError);
    assert.deepEqual([err.kind, err.code], ['invalid', 'export_invalid']);
    return err.details!.errors as Array<{ pointer: string; problem: string; expected: string }>;
  }
  assert.fail('accepted');
};

describe('upgrade export format', () => {
  it('accepts the shipped sample', () => {
    assert.equal(checkExport(sample()).account_name, 'Orchard Demo Company (DEP + VPP, 2019)');
  });

  it('names each problem by its pointer, rooted where the caller says', () => {
    const doc = sample();
    doc.format = 'dep-export';
    doc.device_enrollment.devices[1].serial_number = 'lower-case';
    doc.device_enrollment.servers[0].default_for = ['Watch'];
    doc.volume_purchase.locations[0].purchases[0].licence_count = 0;
    delete doc.volume_purchase.purchasers[1].email;
    doc.volume_purchase.extra = true;
    assert.deepEqual(refusal(doc).map((e) => [e.pointer, e.problem]), [
      ['/body/format', 'invalid_value'],
      ['/body/device_enrollment/servers/0/default_for/0', 'invalid_value'],
      ['/body/device_enrollment/devices/1/serial_number', 'invalid_value'],
      ['/body/volume_purchase/extra', 'unknown_field'],
      ['/body/volume_purchase/locations/0/purchases/0/licence_count', 'invalid_value'],
      ['/body/volume_purchase/purchasers/1/email', 'missing'],
    ]);
    assert.deepEqual(refusal([], '').map((e) => [e.pointer, e.problem, e.expected]), [['', 'wrong_type', 'object']]);
  });

  it('gives one digest per content, whatever the key order and whitespace', () => {
    const a = sample();
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(a).reverse())));
    assert.equal(exportDigest(checkExport(reordered)), exportDigest(checkExport(a)));
    assert.match(exportDigest(a), /^[0-9a-f]{64}$/);
    const changed = sample();
    changed.volume_purchase.locations[0].purchases[0].licence_count = 26;
    assert.notEqual(exportDigest(changed), exportDigest(a));
  });
});
