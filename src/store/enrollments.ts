// MDM enrolments: one row per channel (device, or a user on that device). Each check-in that
// changes a row writes its event to the outbox in the same transaction.
// Apple: developer.apple.com/documentation/devicemanagement/check-in
import { lazyProperty, type ColumnSealer } from './sealed-columns.js';
import type { Db } from './db.js';
import { fromDbOpt, toDb } from './db.js';
import { enqueueTargetReader, type EnqueueTargetView } from './enrollment-targets.js';
import { dueTargetSql } from './commands.js';
import { insertEventStatement, type NewEvent } from './events.js';

export type EnrollmentState = 'authenticated' | 'enrolled' | 'unenrolled';

export interface Enrollment {
  id: string;
  orgId: string;
  channel: 'device' | 'user';
  parentId?: string;
  udid?: string;
  enrollmentId?: string;
  userId?: string;
  userShortName?: string;
  userLongName?: string;
  serialNumber?: string;
  family?: string;
  platform?: string;
  model?: string;
  modelName?: string;
  productName?: string;
  osVersion?: string;
  buildVersion?: string;
  deviceName?: string;
  imei?: string;
  meid?: string;
  topic?: string;
  pushToken?: string;
  pushMagic?: string;
  unlockToken?: Buffer;
  bootstrapToken?: Buffer;
  awaitingConfiguration: boolean;
  certSha256?: string;
  state: EnrollmentState;
  pushUnregisteredAt?: Date;
  authenticatedAt?: Date;
  enrolledAt?: Date;
  unenrolledAt?: Date;
  tokenUpdatedAt?: Date;
  lastSeenAt?: Date;
  createdAt: Date;
}

/** What Authenticate tells about a device (Apple's keys, mapped once). */
export type DeviceFacts = Pick<Enrollment, 'udid' | 'enrollmentId' | 'serialNumber' | 'family' | 'platform' | 'model' | 'modelName' | 'productName' | 'osVersion' | 'buildVersion' | 'deviceName' | 'imei' | 'meid' | 'topic'>;

export interface TokenUpdateRecord {
  /** The channel's id; for a user channel its parent is `parentId`. */
  id: string;
  parentId?: string;
  userId?: string;
  userShortName?: string;
  userLongName?: string;
  topic?: string;
  pushToken: string;
  pushMagic: string;
  unlockToken?: Buffer;
  awaitingConfiguration: boolean;
}

/** The columns the connect hot path needs, read with one indexed query. */
export interface ConnectView {
  orgId: string;
  certSha256?: string;
  state: EnrollmentState;
  platform?: string;
  lastSeenAt?: string;
}

/** The connect view and whether a command is due for the channel, read in one statement (one read transaction). */
export interface IdleView extends ConnectView {
  commandDue: boolean;
}

export interface PushTarget {
  enrollmentId: string;
  topic: string;
  pushToken: string;
  pushMagic: string;
}

export interface EnrollmentRepository {
  get(id: string): Promise<Enrollment | undefined>;
  listByOrg(orgId: string, opts?: { channel?: 'device' | 'user'; state?: EnrollmentState; limit?: number; afterId?: string }): Promise<Enrollment[]>;
  /** Device channel Authenticate: creates or resets the row (a re-enrolment), binds the certificate. */
  authenticate(id: string, orgId: string, facts: DeviceFacts, certSha256: string, at: Date, event: NewEvent): Promise<void>;
  tokenUpdate(r: TokenUpdateRecord, at: Date, event: NewEvent): Promise<void>;
  /** Marks the channel (and a device's user channels) unenrolled: no more pushes or commands. */
  checkOut(id: string, at: Date, event: NewEvent): Promise<void>;
  setBootstrapToken(id: string, token: Buffer | undefined, awaiting: boolean | undefined, at: Date, event: NewEvent): Promise<void>;
  /** Records a check-in that changes nothing else (GetBootstrapToken, UserAuthenticate ...). */
  touch(id: string, at: Date, event?: NewEvent): Promise<void>;
  setAwaitingConfiguration(id: string, awaiting: boolean): Promise<void>;
  connectView(id: string): ConnectView | undefined;
  /** connectView and SqliteCommandRepository.hasActive(id, at) at once, for an Idle poll. */
  idleView(id: string, at: Date): IdleView | undefined;
  /** The channels named by `ids` as queueing a command sees them (missing ones left out), in one query. */
  enqueueTargets(ids: string[]): EnqueueTargetView[];
  /** The enrolled device channel of each serial in the organisation (the latest enrolled when a device re-enrolled). */
  enrolledDevicesBySerial(orgId: string, serials: string[]): Promise<Enrollment[]>;
  /** Enrolled device channels of the organisation, optionally of some families only, by id. */
  enrolledDevices(orgId: string, families?: string[]): Promise<Enrollment[]>;
  /** Enrolled user channels of a device channel. */
  enrolledUsersOf(parentId: string): Promise<Enrollment[]>;
  /** What a DeviceInformation answer says now (OS updates): keeps the enrolment's facts current. */
  updateFacts(id: string, facts: Pick<Enrollment, 'osVersion' | 'buildVersion' | 'deviceName'>): Promise<void>;
}

type Row = Record<string, any>;
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

export function toEnrollment(r: Row, sealer: ColumnSealer): Enrollment {
  const e = {
    id: r.id, orgId: r.org_id, channel: r.channel, parentId: opt(r.parent_id), udid: opt(r.udid), enrollmentId: opt(r.enrollment_id),
    userId: opt(r.user_id), userShortName: opt(r.user_short_name), userLongName: opt(r.user_long_name), serialNumber: opt(r.serial_number),
    family: opt(r.family), platform: opt(r.platform), model: opt(r.model), modelName: opt(r.model_name), productName: opt(r.product_name),
    osVersion: opt(r.os_version), buildVersion: opt(r.build_version), deviceName: opt(r.device_name), imei: opt(r.imei), meid: opt(r.meid),
    topic: opt(r.topic), awaitingConfiguration: !!r.awaiting_configuration, certSha256: opt(r.cert_sha256),
    state: r.state, pushUnregisteredAt: fromDbOpt(r.push_unregistered_at), authenticatedAt: fromDbOpt(r.authenticated_at),
    enrolledAt: fromDbOpt(r.enrolled_at), unenrolledAt: fromDbOpt(r.unenrolled_at), tokenUpdatedAt: fromDbOpt(r.token_updated_at),
    lastSeenAt: fromDbOpt(r.last_seen_at), createdAt: new Date(r.created_at),
  } as Enrollment;
  // Sealed at rest (sealed-columns.ts): opened only if the caller reads them.
  lazyProperty(e, 'pushToken', () => (r.push_token == null ? undefined : sealer.text(r.push_token)));
  lazyProperty(e, 'pushMagic', () => (r.push_magic == null ? undefined : sealer.text(r.push_magic)));
  lazyProperty(e, 'unlockToken', () => (r.unlock_token == null ? undefined : sealer.bytes(r.unlock_token)));
  lazyProperty(e, 'bootstrapToken', () => (r.bootstrap_token == null ? undefined : sealer.bytes(r.bootstrap_token)));
  return e;
}

export class SqliteEnrollmentRepository implements EnrollmentRepository {
  private readonly s;
  private readonly insertEvent;
  readonly enqueueTargets: (ids: string[]) => EnqueueTargetView[];
  constructor(private readonly db: Db, private readonly sealer: ColumnSealer) {
    this.insertEvent = insertEventStatement(db);
    this.enqueueTargets = enqueueTargetReader(db, sealer);
    this.s = {
      get: db.prepare('SELECT * FROM enrollments WHERE id = ?'),
      list: db.prepare(`SELECT * FROM enrollments WHERE org_id = @orgId AND (@channel IS NULL OR channel = @channel)
        AND (@state IS NULL OR state = @state) AND id > @afterId ORDER BY id LIMIT @limit`),
      authenticate: db.prepare(`INSERT INTO enrollments (id, org_id, channel, udid, enrollment_id, serial_number, family, platform, model,
          model_name, product_name, os_version, build_version, device_name, imei, meid, topic, cert_sha256, state, authenticated_at,
          last_seen_at, created_at)
        VALUES (@id, @orgId, 'device', @udid, @enrollmentId, @serialNumber, @family, @platform, @model, @modelName, @productName,
          @osVersion, @buildVersion, @deviceName, @imei, @meid, @topic, @certSha256, 'authenticated', @at, @at, @at)
        ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, udid = excluded.udid, enrollment_id = excluded.enrollment_id,
          serial_number = coalesce(excluded.serial_number, serial_number), family = coalesce(excluded.family, family),
          platform = coalesce(excluded.platform, platform), model = coalesce(excluded.model, model),
          model_name = coalesce(excluded.model_name, model_name), product_name = coalesce(excluded.product_name, product_name),
          os_version = coalesce(excluded.os_version, os_version), build_version = coalesce(excluded.build_version, build_version),
          device_name = coalesce(excluded.device_name, device_name), imei = coalesce(excluded.imei, imei), meid = coalesce(excluded.meid, meid),
          topic = excluded.topic, cert_sha256 = excluded.cert_sha256, state = 'authenticated', push_token = NULL, push_magic = NULL,
          unlock_token = NULL, push_unregistered_at = NULL, unenrolled_at = NULL, authenticated_at = excluded.authenticated_at,
          last_seen_at = excluded.last_seen_at`),
      unenrollChildren: db.prepare(`UPDATE enrollments SET state = 'unenrolled', unenrolled_at = ? WHERE parent_id = ? AND state != 'unenrolled'`),
      tokenDevice: db.prepare(`UPDATE enrollments SET topic = coalesce(@topic, topic), push_token = @pushToken, push_magic = @pushMagic,
          unlock_token = coalesce(@unlockToken, unlock_token), awaiting_configuration = @awaiting, state = 'enrolled',
          enrolled_at = coalesce(enrolled_at, @at), token_updated_at = @at, push_unregistered_at = NULL, unenrolled_at = NULL,
          last_seen_at = @at
        WHERE id = @id`),
      tokenUser: db.prepare(`INSERT INTO enrollments (id, org_id, channel, parent_id, udid, enrollment_id, user_id, user_short_name,
          user_long_name, serial_number, family, platform, model, os_version, build_version, device_name, topic, push_token, push_magic,
          cert_sha256, state, authenticated_at, enrolled_at, token_updated_at, last_seen_at, created_at)
        SELECT @id, p.org_id, 'user', p.id, p.udid, p.enrollment_id, @userId, @userShortName, @userLongName, p.serial_number,
          p.family, p.platform, p.model, p.os_version, p.build_version, p.device_name, coalesce(@topic, p.topic), @pushToken, @pushMagic,
          p.cert_sha256, 'enrolled', @at, @at, @at, @at, @at
        FROM enrollments p WHERE p.id = @parentId
        ON CONFLICT (id) DO UPDATE SET user_short_name = coalesce(excluded.user_short_name, user_short_name),
          user_long_name = coalesce(excluded.user_long_name, user_long_name), topic = excluded.topic,
          push_token = excluded.push_token, push_magic = excluded.push_magic, cert_sha256 = excluded.cert_sha256, state = 'enrolled',
          token_updated_at = excluded.token_updated_at, push_unregistered_at = NULL, unenrolled_at = NULL,
          last_seen_at = excluded.last_seen_at`),
      checkOut: db.prepare(`UPDATE enrollments SET state = 'unenrolled', unenrolled_at = ?, last_seen_at = ? WHERE id = ?`),
      bootstrap: db.prepare(`UPDATE enrollments SET bootstrap_token = @token,
          awaiting_configuration = coalesce(@awaiting, awaiting_configuration), last_seen_at = @at WHERE id = @id`),
      touch: db.prepare('UPDATE enrollments SET last_seen_at = ? WHERE id = ?'),
      awaiting: db.prepare('UPDATE enrollments SET awaiting_configuration = ? WHERE id = ?'),
      connectView: db.prepare('SELECT org_id, cert_sha256, state, platform, last_seen_at FROM enrollments WHERE id = ?'),
      // Every autocommit read is its own read transaction: two lock syscalls and a stat on the
      // database file (strace), which cost more than the indexed lookups. An Idle poll reads
      // the view and the queue peek in one. The subquery is commands.ts's anyActive (hasActive),
      // both through dueTargetSql; test/protocol/mdm/idle-view.test.ts holds the two to the same answers.
      idleView: db.prepare(`SELECT org_id, cert_sha256, state, platform, last_seen_at,
          EXISTS (SELECT 1 FROM command_targets t WHERE t.enrollment_id = e.id AND ${dueTargetSql('t', '?')}) AS due
        FROM enrollments e WHERE e.id = ?`),
      bySerial: db.prepare(`SELECT * FROM enrollments WHERE org_id = ? AND serial_number = ? AND channel = 'device' AND state = 'enrolled'
        ORDER BY enrolled_at DESC, id LIMIT 1`),
      enrolledDevices: db.prepare(`SELECT * FROM enrollments WHERE org_id = ? AND channel = 'device' AND state = 'enrolled' ORDER BY id`),
      usersOf: db.prepare(`SELECT * FROM enrollments WHERE parent_id = ? AND state = 'enrolled' ORDER BY enrolled_at, id`),
      updateFacts: db.prepare(`UPDATE enrollments SET os_version = coalesce(@osVersion, os_version),
        build_version = coalesce(@buildVersion, build_version), device_name = coalesce(@deviceName, device_name) WHERE id = @id`),
    };
  }
  async get(id: string) {
    const r = this.s.get.get(id) as Row | undefined;
    return r && toEnrollment(r, this.sealer);
  }
  async listByOrg(orgId: string, o: { channel?: 'device' | 'user'; state?: EnrollmentState; limit?: number; afterId?: string } = {}) {
    const rows = this.s.list.all({ orgId, channel: o.channel ?? null, state: o.state ?? null, afterId: o.afterId ?? '', limit: Math.min(o.limit ?? 200, 1001) }) as Row[];
    return rows.map((r) => toEnrollment(r, this.sealer));
  }
  async authenticate(id: string, orgId: string, f: DeviceFacts, certSha256: string, at: Date, event: NewEvent) {
    const t = toDb(at);
    this.db.transaction(() => {
      this.s.authenticate.run({
        id, orgId, udid: f.udid ?? null, enrollmentId: f.enrollmentId ?? null, serialNumber: f.serialNumber ?? null, family: f.family ?? null,
        platform: f.platform ?? null, model: f.model ?? null, modelName: f.modelName ?? null, productName: f.productName ?? null,
        osVersion: f.osVersion ?? null, buildVersion: f.buildVersion ?? null, deviceName: f.deviceName ?? null, imei: f.imei ?? null,
        meid: f.meid ?? null, topic: f.topic ?? null, certSha256, at: t,
      });
      this.s.unenrollChildren.run(t, id);
      this.insertEvent(event, at);
    }).immediate();
  }
  async tokenUpdate(r: TokenUpdateRecord, at: Date, event: NewEvent) {
    const p = {
      id: r.id, topic: r.topic ?? null, pushToken: this.sealer.seal(r.pushToken), pushMagic: this.sealer.seal(r.pushMagic), unlockToken: this.sealer.sealOpt(r.unlockToken),
      awaiting: r.awaitingConfiguration ? 1 : 0, at: toDb(at),
    };
    this.db.transaction(() => {
      if (r.parentId) {
        this.s.tokenUser.run({ ...p, parentId: r.parentId, userId: r.userId ?? null, userShortName: r.userShortName ?? null, userLongName: r.userLongName ?? null });
      } else {
        this.s.tokenDevice.run(p);
      }
      this.insertEvent(event, at);
    }).immediate();
  }
  async checkOut(id: string, at: Date, event: NewEvent) {
    const t = toDb(at);
    this.db.transaction(() => {
      this.s.checkOut.run(t, t, id);
      this.s.unenrollChildren.run(t, id);
      this.insertEvent(event, at);
    }).immediate();
  }
  async setBootstrapToken(id: string, token: Buffer | undefined, awaiting: boolean | undefined, at: Date, event: NewEvent) {
    this.db.transaction(() => {
      this.s.bootstrap.run({ id, token: this.sealer.sealOpt(token), awaiting: awaiting === undefined ? null : awaiting ? 1 : 0, at: toDb(at) });
      this.insertEvent(event, at);
    }).immediate();
  }
  async touch(id: string, at: Date, event?: NewEvent) {
    this.db.transaction(() => {
      this.s.touch.run(toDb(at), id);
      if (event) this.insertEvent(event, at);
    }).immediate();
  }
  async setAwaitingConfiguration(id: string, awaiting: boolean) {
    this.s.awaiting.run(awaiting ? 1 : 0, id);
  }
  connectView(id: string): ConnectView | undefined {
    const r = this.s.connectView.get(id) as Row | undefined;
    return r && { orgId: r.org_id, certSha256: opt(r.cert_sha256), state: r.state, platform: opt(r.platform), lastSeenAt: opt(r.last_seen_at) };
  }
  idleView(id: string, at: Date): IdleView | undefined {
    const r = this.s.idleView.get(toDb(at), id) as Row | undefined;
    return r && {
      orgId: r.org_id, certSha256: opt(r.cert_sha256), state: r.state, platform: opt(r.platform), lastSeenAt: opt(r.last_seen_at), commandDue: r.due === 1,
    };
  }
  async enrolledDevicesBySerial(orgId: string, serials: string[]) {
    const out: Enrollment[] = [];
    for (const serial of serials) {
      const r = this.s.bySerial.get(orgId, serial) as Row | undefined;
      if (r) out.push(toEnrollment(r, this.sealer));
    }
    return out;
  }
  async enrolledDevices(orgId: string, families?: string[]) {
    const all = (this.s.enrolledDevices.all(orgId) as Row[]).map((r) => toEnrollment(r, this.sealer));
    return families ? all.filter((e) => e.family && families.includes(e.family)) : all;
  }
  async enrolledUsersOf(parentId: string) {
    return (this.s.usersOf.all(parentId) as Row[]).map((r) => toEnrollment(r, this.sealer));
  }
  async updateFacts(id: string, f: Pick<Enrollment, 'osVersion' | 'buildVersion' | 'deviceName'>) {
    this.s.updateFacts.run({ id, osVersion: f.osVersion ?? null, buildVersion: f.buildVersion ?? null, deviceName: f.deviceName ?? null });
  }
}
