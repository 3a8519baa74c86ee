// The portal's two languages carry the same keys, each a non-empty text with the same `{name}`
// placeholders, so no page shows a key or a hole in either language.
import assert from 'node:assert/strict';
import { en } from '../../../src/portal/web/app/i18n/en.js';
import { fr } from '../../../src/portal/web/app/i18n/fr.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('portal i18n: English and French', () => {
  it('have the same keys', () => {
    assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  });
  it('fill the same placeholders, with no empty text', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      assert.ok(en[key].trim() && fr[key].trim(), `${key} is empty`);
      assert.deepEqual(placeholders(fr[key]), placeholders(en[key]), key);
    }
  });
});
