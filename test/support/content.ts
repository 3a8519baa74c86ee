// Helpers for content tests: locations by name, credit, purchases and content tokens through the admin API.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { TestOrchard } from './harness.js';

/** Apps of fixtures/app-store-catalog.json used across tests. */
export const APPS = {
  ledgerPro: '1500000007', // universal iPhone+iPad + macOS, 9.99 USD
  meetingTimer: '1500000077', // free, iOS + macOS + tvOS
  classroomCanvas: '1500000105', // iPad only
  terminalDeck: '1500000126', // Mac only
  proAudio: '1500000182', // not device-assignable
  japanTransit: '1500000196', // JP only
  fieldGuide: '1500000203', // book, 9.99 USD
};

export async function locationId(t: TestOrchard, name: string, token = t.adminToken): Promise<string> {
  const res = await request(t.app).get('/api/v1/locations').set('Authorization', `Bearer ${token}`).expect(200);
  const loc = res.body.items.find((l: { name: string }) => l.name === name);
  assert.ok(loc, `location ${name}`);
  return loc.id;
}

export async function credit(t: TestOrchard, location: string, code: string, token = t.adminToken) {
  return request(t.app).post(`/api/v1/locations/${location}/credit/redeem`).set('Authorization', `Bearer ${token}`).send({ code }).expect(200);
}

export async function buy(t: TestOrchard, location: string, adamId: string, quantity: number, token = t.adminToken) {
  return request(t.app).post('/api/v1/purchases').set('Authorization', `Bearer ${token}`).send({ location_id: location, adam_id: adamId, quantity });
}

/** Downloads the location's content token; returns the file content (the sToken). */
export async function contentToken(t: TestOrchard, location: string, token = t.adminToken): Promise<string> {
  const res = await request(t.app).get(`/api/v1/locations/${location}/content-token`).set('Authorization', `Bearer ${token}`)
    .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); })
    .expect(200);
  return (res.body as Buffer).toString('utf8');
}

/** An Apps and Books API client bound to one sToken. */
export function vpp(t: TestOrchard, sToken: string) {
  const auth = `Bearer ${sToken}`;
  return {
    get: (path: string) => request(t.app).get(`/vpp/mdm/v2${path}`).set('Authorization', auth),
    post: (path: string, body: unknown) => request(t.app).post(`/vpp/mdm/v2${path}`).set('Authorization', auth).send(body as object),
    /** Waits for the event worker, then reads the event's status. */
    async status(eventId: string) {
      await t.deps.services.content.events.whenIdle();
      return request(t.app).get(`/vpp/mdm/v2/status?eventId=${eventId}`).set('Authorization', auth).expect(200);
    },
  };
}
