// A field problem raised inside the business layer answers with the same details.errors a schema
// refusal has (src/http/api-errors.ts withFieldPointer), so a client reads one shape for every 400.
import assert from 'node:assert/strict';
import { ApiError, withFieldPointer } from '../../../src/http/api-errors.js';

describe('business field problems get details.errors', () => {
  it('uses the field the domain names, rooted where the request holds it', () => {
    const body = withFieldPointer(new ApiError(400, 'email_invalid', 'm', { field: 'email' }), { email: 'x' }, {});
    assert.deepEqual(body.details, { field: 'email', errors: [{ pointer: '/body/email', problem: 'invalid_value' }] });
    const query = withFieldPointer(new ApiError(400, 'platform_invalid', 'm', { field: 'platform' }), undefined, { platform: 'watchOS' });
    assert.deepEqual(query.details?.errors, [{ pointer: '/query/platform', problem: 'invalid_value' }]);
  });

  it('reads the field from a <field>_invalid code when the request carries that field', () => {
    const q = withFieldPointer(new ApiError(400, 'profile_status_invalid', 'm'), {}, { profile_status: 'odd' });
    assert.deepEqual(q.details, { errors: [{ pointer: '/query/profile_status', problem: 'invalid_value' }] });
    const b = withFieldPointer(new ApiError(400, 'quantity_invalid', 'm'), { quantity: 0 }, {});
    assert.deepEqual(b.details, { errors: [{ pointer: '/body/quantity', problem: 'invalid_value' }] });
  });

  it('says missing for a named field the request lacks', () => {
    const r = withFieldPointer(new ApiError(400, 'password_invalid', 'm', { field: 'password' }), {}, {});
    assert.deepEqual(r.details?.errors, [{ pointer: '/body/password', problem: 'missing' }]);
  });

  it('leaves alone what names no field of the request, other statuses, and existing errors', () => {
    const none = new ApiError(400, 'selection_invalid', 'm');
    assert.equal(withFieldPointer(none, { serial_numbers: [] }, {}), none);
    const conflict = new ApiError(409, 'name_invalid', 'm', { field: 'name' });
    assert.equal(withFieldPointer(conflict, { name: 'x' }, {}), conflict);
    const schema = new ApiError(400, 'invalid_request', 'm', { errors: [{ pointer: '/body/a', problem: 'missing' }] });
    assert.equal(withFieldPointer(schema, {}, {}), schema);
  });
});
