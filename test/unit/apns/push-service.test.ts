// PushService with a scripted sender and a frozen clock: outcomes recorded per channel, one push
// per channel per batch, 410 against TokenUpdate time, bad tokens until a TokenUpdate, 403 on the
// certificate, and the re-push back-off (1 min × 2^n, capped, bounded) for channels that do not
// connect.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { PushOutcome, PushSender, PushSenderOptions, PushTarget } from '../../../src/apns/sender.js';
import { bootstrapDemo } from '../../../src/bootstrap.js';
import { AdjustableClock, randomIds } from '../../../src/clock.js';
import type { DunsEntry } from '../../../src/business/organisations.js';
import type { Principal } from '../../../src/business/principal.js';
import { readFixture } from '../../../src/fixtures.js';
import { createServices, type Services } from '../../../src/business/services.js';
import { openDb } from '../../../src/store/db.js';
import { createSqliteStore, type Store } from '../../../src/store/index.js';
import { tempDir } from '../../support/harness.js';
import { makeCa } from '../../support/mdm.js';

const MIN = 60_000;
type Script = (t: PushTarget) => Omit<PushOutcome, 'token'>;

describe('PushService', () => {
  const clock = new AdjustableClock();
  let store: Store;
  let services: Services;
  let orgId: string;
  let admin: Principal;
  let script: Script;
  /** Runs while the sender waits for APNs (a device that got the push and connects meanwhile). */
  let during: (() => Promise<void>) | undefined;
  const sent: PushTarget[][] = [];
  const built: PushSenderOptions[] = [];
  let n = 0;

  const factory = (opts: PushSenderOptions): PushSender => {
    built.push(opts);
    return {
      send: async (targets) => {
        sent.push(targets);
        await during?.();
        return targets.map((t) => ({ token: t.token, ...script(t) }));
      },
      shutdown: async () => undefined,
    };
  };

  /** An enrolled device channel with a token, as Authenticate + TokenUpdate leave it. */
  async function channel(topic?: string): Promise<{ id: string; token: string }> {
    const id = `UDID-${++n}-${randomBytes(4).toString('hex')}`;
    const token = randomBytes(32).toString('hex');
    const ev = { orgId, type: 'mdm.test', payload: '{}' };
    const t = topic ?? (await services.pushCertificates.topic(orgId));
    await store.enrollments.authenticate(id, orgId, { udid: id, platform: 'iOS', family: 'iPhone', topic: t }, 'sha', clock.now(), ev);
    await store.enrollments.tokenUpdate({ id, topic: t, pushToken: token, pushMagic: `MAGIC-${n}`, awaitingConfiguration: false }, clock.now(), ev);
    clock.advance(1000);
    return { id, token };
  }
  const tokenUpdate = (id: string, token: string) =>
    store.enrollments.tokenUpdate({ id, pushToken: token, pushMagic: 'MAGIC', awaitingConfiguration: false }, clock.now(), { orgId, type: 'mdm.test', payload: '{}' });
  const queue = (id: string) => services.mdm.queue.enqueue(admin, { udids: [id], command: { RequestType: 'DeviceInformation', Queries: ['UDID'] } });

  beforeEach(async () => {
    clock.freeze(new Date('2026-03-02T10:00:00.000Z'));
    store = createSqliteStore(openDb(':memory:'));
    services = createServices({
      store, clock, ids: randomIds, dunsDirectory: readFixture<DunsEntry[]>('duns-directory.json'), secretsKey: randomBytes(32),
      pushEndpoint: { production: true, address: '127.0.0.1', port: 1 }, pushSenderFactory: factory,
      repush: { baseMs: MIN, maxMs: 4 * MIN, maxPushes: 4 },
    });
    const boot = await bootstrapDemo(store, services, tempDir());
    orgId = boot.orgId!;
    admin = { accountId: 'a', orgId, email: 'admin@demo.test', roles: ['Administrator'], via: 'api-token' };
    await services.pushCertificates.installLocalCertificate(orgId, await makeCa('Push CA', clock.now()));
    script = () => ({ status: 'delivered', httpStatus: 200, apnsId: '00000000-0000-4000-8000-000000000001', attempts: 1 });
    sent.length = 0;
    built.length = 0;
    during = undefined;
  });

  it('records the outcome per channel and schedules the first re-push one minute later', async () => {
    const c = await channel();
    const [r] = await services.push.push(orgId, [c.id]);
    assert.deepEqual(r, { enrollmentId: c.id, status: 'delivered', httpStatus: 200, apnsId: '00000000-0000-4000-8000-000000000001', attempts: 1 });
    assert.deepEqual(sent, [[{ token: c.token, pushMagic: 'MAGIC-' + n }]]);
    const topic = await services.pushCertificates.topic(orgId);
    assert.deepEqual([built[0]!.topic, built[0]!.address, built[0]!.port, built[0]!.production], [topic, '127.0.0.1', 1, true]);
    const st = await services.push.state(c.id);
    assert.deepEqual(st, {
      lastPushAt: clock.now(), lastTrigger: 'on-demand', lastStatus: 'delivered', lastHttpStatus: 200, lastReason: undefined,
      lastApnsId: '00000000-0000-4000-8000-000000000001', lastAttempts: 1, pushes: 1, nextPushAt: new Date(clock.now().getTime() + MIN), badTokenAt: undefined,
    });
  });

  it('commands queued in the same turn push each channel once', async () => {
    const a = await channel();
    const b = await channel();
    await Promise.all([queue(a.id), queue(a.id), services.mdm.queue.enqueue(admin, { udids: [a.id, b.id], command: { RequestType: 'InstalledApplicationList' } })]);
    await services.push.idle();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]!.map((t) => t.token).sort(), [a.token, b.token].sort());
  });

  it('re-pushes after 1, 2 and 4 minutes while the device does not connect, then stops', async () => {
    const c = await channel();
    await queue(c.id);
    await services.push.idle();
    assert.equal(sent.length, 1);
    const waits: number[] = [];
    let last = clock.now().getTime();
    for (let i = 0; i < 8 * 60; i++) {
      clock.advance(15_000);
      if ((await services.push.repushDue()) > 0) {
        waits.push((clock.now().getTime() - last) / MIN);
        last = clock.now().getTime();
      }
    }
    // maxPushes 4: the first push and three re-pushes (after 1, 2 and 4 minutes).
    assert.deepEqual(waits, [1, 2, 4]);
    assert.equal(sent.length, 4);
    const log = await services.push.log(c.id);
    assert.deepEqual(log.map((e) => e.trigger), ['repush', 'repush', 'repush', 'command']);
    assert.equal((await services.push.state(c.id))!.nextPushAt, undefined);
  });

  it('does not re-push a channel that connected since, nor one with nothing left to fetch', async () => {
    const c = await channel();
    const idle = await channel();
    await queue(c.id);
    await services.push.push(orgId, [idle.id]);
    await services.push.idle();
    clock.advance(10_000);
    await store.enrollments.touch(c.id, clock.now());
    clock.advance(5 * MIN);
    assert.equal(await services.push.repushDue(), 0);
    // A new command pushes again, and the back-off starts over from one minute.
    await queue(c.id);
    await services.push.idle();
    assert.equal((await services.push.state(c.id))!.pushes, 1);
  });

  it('a device that connects before APNs has answered counts as connected since the push', async () => {
    const c = await channel();
    const pushedAt = clock.now();
    during = async () => {
      clock.advance(2000);
      await store.enrollments.touch(c.id, clock.now());
      clock.advance(2000);
    };
    await queue(c.id);
    await services.push.idle();
    assert.deepEqual((await services.push.state(c.id))!.lastPushAt, pushedAt);
    during = undefined;
    clock.advance(5 * MIN);
    assert.equal(await services.push.repushDue(), 0);
    // The next push starts the back-off over: the device did connect after the last one.
    await services.push.push(orgId, [c.id]);
    assert.equal((await services.push.state(c.id))!.pushes, 1);
  });

  it('410 stops pushes until a TokenUpdate later than APNs\' timestamp', async () => {
    const c = await channel();
    // APNs learnt the token was dead before the device's last TokenUpdate: keep pushing.
    script = () => ({ status: 'unregistered', httpStatus: 410, reason: 'Unregistered', attempts: 1, unregisteredAt: new Date(clock.now().getTime() - MIN) });
    await services.push.push(orgId, [c.id]);
    assert.equal((await store.enrollments.get(c.id))!.pushUnregisteredAt, undefined);
    script = () => ({ status: 'unregistered', httpStatus: 410, reason: 'Unregistered', attempts: 1, unregisteredAt: clock.now() });
    clock.advance(1000);
    await services.push.push(orgId, [c.id]);
    assert.ok((await store.enrollments.get(c.id))!.pushUnregisteredAt);
    assert.deepEqual((await services.push.push(orgId, [c.id]))[0], { enrollmentId: c.id, status: 'skipped', skipped: 'unregistered', attempts: 0 });
    assert.equal(sent.length, 2);
    clock.advance(1000);
    await tokenUpdate(c.id, c.token);
    script = () => ({ status: 'delivered', httpStatus: 200, attempts: 1 });
    assert.equal((await services.push.push(orgId, [c.id]))[0]!.status, 'delivered');
  });

  it('a bad token is not pushed again until a TokenUpdate', async () => {
    const c = await channel();
    script = () => ({ status: 'bad-token', httpStatus: 400, reason: 'BadDeviceToken', attempts: 1 });
    await services.push.push(orgId, [c.id]);
    assert.deepEqual((await services.push.state(c.id))!.badTokenAt, clock.now());
    assert.equal((await services.push.push(orgId, [c.id]))[0]!.skipped, 'bad_token');
    clock.advance(1000);
    await tokenUpdate(c.id, randomBytes(32).toString('hex'));
    script = () => ({ status: 'delivered', httpStatus: 200, attempts: 1 });
    assert.equal((await services.push.push(orgId, [c.id]))[0]!.status, 'delivered');
    assert.equal((await services.push.state(c.id))!.badTokenAt, undefined);
  });

  it('403 is recorded on the certificate and stops pushing for the organisation until a new certificate', async () => {
    const c = await channel();
    script = () => ({ status: 'fatal', httpStatus: 403, reason: 'BadCertificateEnvironment', attempts: 1 });
    await services.push.push(orgId, [c.id]);
    const st = await services.pushCertificates.status(orgId);
    assert.deepEqual(st!.lastError, { status: 403, reason: 'BadCertificateEnvironment', at: clock.now(), blocking: true });
    assert.equal((await services.push.push(orgId, [c.id]))[0]!.skipped, 'certificate_refused');
    assert.equal(built.length, 1);
    await services.pushCertificates.installLocalCertificate(orgId, await makeCa('Push CA 2', clock.now()));
    script = () => ({ status: 'delivered', httpStatus: 200, attempts: 1 });
    assert.equal((await services.push.push(orgId, [c.id]))[0]!.status, 'delivered');
    assert.equal(built.length, 2, 'a new sender for the new certificate');
    assert.equal((await services.pushCertificates.status(orgId))!.lastError, undefined);
  });

  it('skips what cannot be pushed: another organisation, no certificate, a channel never enrolled', async () => {
    const c = await channel();
    const r = await services.push.push('OTHER-ORG', [c.id, 'NOPE']);
    assert.deepEqual(r.map((x) => x.skipped), ['not_found', 'not_found']);
    assert.equal(sent.length, 0);
  });
});
