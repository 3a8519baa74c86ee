// One licence operation's plan: the store's reads (inside the change's transaction) seen
// through the changes planned so far, so that a request naming an asset, device or user twice is
// decided as if each step had been written. The rules (licence-rules.ts) decide; the plan records.
import type { AssetRef, AssignmentKey, Decision, Holder, LicenceChanges, LicenceReads, NewVppUser } from '../../store/content-licences.js';
import type { VppUserStatus } from '../../store/content-library.js';

export const holderOf = (k: AssignmentKey): Holder => (k.serialNumber !== undefined ? { serialNumber: k.serialNumber } : { clientUserId: k.clientUserId! });
const assetKey = (a: AssetRef) => `${a.adamId}\u0000${a.pricingParam}`;
const key = (a: AssetRef, to: Holder) => `${assetKey(a)}\u0000${to.serialNumber !== undefined ? `d:${to.serialNumber}` : `u:${to.clientUserId}`}`;

export class Plan {
  readonly changes: LicenceChanges = { unassign: [], assign: [], register: [], update: [], retire: [], associate: [], events: [] };
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly inUseDelta = new Map<string, number>();
  private readonly status = new Map<string, VppUserStatus>();

  constructor(private readonly reads: LicenceReads) {}

  isAssigned(a: AssetRef, to: Holder): boolean {
    const k = key(a, to);
    if (this.added.has(k)) return true;
    if (this.removed.has(k)) return false;
    return this.reads.isAssigned(a, to);
  }

  /** Licences of the asset not in use. */
  available(a: AssetRef): number {
    return this.reads.total(a) - this.reads.assignedCount(a) - (this.inUseDelta.get(assetKey(a)) ?? 0);
  }

  assign(a: AssetRef, to: Holder): AssignmentKey {
    const k = key(a, to);
    if (!this.removed.delete(k)) this.added.add(k);
    this.inUseDelta.set(assetKey(a), (this.inUseDelta.get(assetKey(a)) ?? 0) + 1);
    const row: AssignmentKey = { ...a, ...to };
    this.changes.assign.push(row);
    return row;
  }

  unassign(k: AssignmentKey): void {
    const to = holderOf(k);
    const id = key(k, to);
    if (!this.added.delete(id)) this.removed.add(id);
    this.inUseDelta.set(assetKey(k), (this.inUseDelta.get(assetKey(k)) ?? 0) - 1);
    this.changes.unassign.push(k);
  }

  /** The holder's assignments still in place, with their product types. */
  assignmentsOf(to: Holder) {
    return this.reads.assignmentsOf(to).filter((a) => !this.removed.has(key(a, to)));
  }

  /** The user's status, or undefined when the location has no such user. */
  userStatus(id: string): VppUserStatus | undefined {
    return this.status.get(id) ?? this.reads.user(id)?.status;
  }

  /** A user who can hold licences and be updated or retired: known and not Retired. */
  isActiveUser(id: string): boolean {
    const s = this.userStatus(id);
    return s !== undefined && s !== 'Retired';
  }

  register(u: NewVppUser, inviteCode: string): void {
    this.status.set(u.clientUserId, 'Registered');
    this.changes.register.push({ ...u, inviteCode });
  }

  retire(id: string): void {
    this.status.set(id, 'Retired');
    this.changes.retire.push(id);
  }

  event(type: string, payload: unknown): void {
    this.changes.events.push({ type, payload });
  }

  decided<T>(result: T): Decision<T> {
    return { changes: this.changes, result };
  }
}
