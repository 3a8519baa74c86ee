// The licence and Apps and Books user rules, as pure decisions over the store's reads: each
// planner reads what it needs (LicenceReads, inside the change's transaction) and answers the
// rows to write and its result; the store applies them atomically. Sources:
// developer.apple.com/documentation/devicemanagement/managing-assets (associate, disassociate,
// revoke), …/managing-users (create, update, retire), …/handling-error-responses.
import type {
  AssetRef, AssignmentKey, AssociateMode, Decision, EventDecision, Holder, LicenceFailure, LicenceReads, NewVppUser, Targets, VppEvent,
} from '../../store/content-licences.js';
import type { VppUser } from '../../store/content-library.js';
import { holderOf, Plan } from './licence-plan.js';

export interface ApplyResult {
  numCompleted: number;
  failures: LicenceFailure[];
  /** Assignments this call created (not those that already existed). */
  added: AssignmentKey[];
  removed: AssignmentKey[];
}

export type MoveOutcome = 'moved' | 'not_assigned' | 'device_already_assigned';

const emptyResult = (): ApplyResult => ({ numCompleted: 0, failures: [], added: [], removed: [] });

/**
 * Associate: a licence is counted once per device or user, so existing assignments complete
 * without using one; a retired or unknown user fails. 'partial' uses licences in request order
 * (devices, then users) until none is left; 'all-or-nothing' assigns all of an asset's new ones
 * or none (Apple's asynchronous associate).
 */
function associate(plan: Plan, location: string, assets: AssetRef[], t: Targets, mode: AssociateMode): ApplyResult {
  const out = emptyResult();
  const unknownUsers = t.clientUserIds.filter((u) => !plan.isActiveUser(u));
  if (unknownUsers.length) out.failures.push({ code: 'user_not_found', clientUserIds: unknownUsers });
  const users = t.clientUserIds.filter((u) => !unknownUsers.includes(u));
  for (const a of assets) {
    let available = plan.available(a);
    // A name given twice takes one licence (the faces refuse duplicates; this keeps the plan writable).
    const newSerials = [...new Set(t.serialNumbers)].filter((s) => !plan.isAssigned(a, { serialNumber: s }));
    const newUsers = [...new Set(users)].filter((u) => !plan.isAssigned(a, { clientUserId: u }));
    out.numCompleted += t.serialNumbers.length - newSerials.length + users.length - newUsers.length;
    if (mode === 'all-or-nothing' && newSerials.length + newUsers.length > available) {
      out.failures.push({ code: 'not_enough_licences', assets: [a], serialNumbers: newSerials, clientUserIds: newUsers });
      continue;
    }
    const short: Targets = { serialNumbers: [], clientUserIds: [] };
    for (const s of newSerials) {
      if (available <= 0) { short.serialNumbers.push(s); continue; }
      out.added.push(plan.assign(a, { serialNumber: s }));
      available--; out.numCompleted++;
    }
    for (const u of newUsers) {
      if (available <= 0) { short.clientUserIds.push(u); continue; }
      out.added.push(plan.assign(a, { clientUserId: u }));
      available--; out.numCompleted++;
    }
    if (short.serialNumbers.length || short.clientUserIds.length) out.failures.push({ code: 'not_enough_licences', assets: [a], ...short });
  }
  if (out.added.length) plan.event('content.licences_assigned', { location_id: location, assignments: out.added });
  return out;
}

/** Frees the pairs that are assigned (others are already free) and says which were. */
function remove(plan: Plan, location: string, pairs: AssignmentKey[], out: ApplyResult): void {
  for (const p of pairs) {
    if (!plan.isAssigned(p, holderOf(p))) continue;
    plan.unassign(p);
    out.removed.push(p);
  }
  if (out.removed.length) plan.event('content.licences_unassigned', { location_id: location, assignments: out.removed });
}

/** Disassociate: removing what is not assigned is already done, so every pair completes. */
function disassociate(plan: Plan, location: string, assets: AssetRef[], t: Targets): ApplyResult {
  const out = emptyResult();
  const pairs: AssignmentKey[] = [];
  for (const a of assets) {
    for (const s of t.serialNumbers) pairs.push({ ...a, serialNumber: s });
    for (const u of t.clientUserIds) pairs.push({ ...a, clientUserId: u });
  }
  remove(plan, location, pairs, out);
  out.numCompleted = pairs.length;
  return out;
}

/** Revoke: every revocable licence of the targets; apps are revocable, books stay their user's. */
function revoke(plan: Plan, location: string, t: Targets): ApplyResult {
  const out = emptyResult();
  const pairs: AssignmentKey[] = [];
  const revocable = (to: Holder) => plan.assignmentsOf(to).filter((a) => a.productType === 'App');
  for (const s of t.serialNumbers) for (const a of revocable({ serialNumber: s })) pairs.push({ adamId: a.adamId, pricingParam: a.pricingParam, serialNumber: s });
  for (const u of t.clientUserIds) for (const a of revocable({ clientUserId: u })) pairs.push({ adamId: a.adamId, pricingParam: a.pricingParam, clientUserId: u });
  remove(plan, location, pairs, out);
  out.numCompleted = t.serialNumbers.length + t.clientUserIds.length;
  return out;
}

/**
 * Create: a new user, or a retired one registered again, is Registered with a new invite code
 * (the outbox event carries it for the email or push); a user already active fails.
 */
function createUsers(plan: Plan, location: string, users: NewVppUser[], newInviteCode: () => string): ApplyResult {
  const out = emptyResult();
  const exists: string[] = [];
  const invited: Array<{ client_user_id: string; email: string | null; invite_code: string }> = [];
  for (const u of users) {
    if (plan.isActiveUser(u.clientUserId)) { exists.push(u.clientUserId); continue; }
    const invite = newInviteCode();
    plan.register(u, invite);
    invited.push({ client_user_id: u.clientUserId, email: u.email ?? null, invite_code: invite });
    out.numCompleted++;
  }
  if (exists.length) out.failures.push({ code: 'user_exists', clientUserIds: exists });
  if (invited.length) plan.event('content.users_invited', { location_id: location, users: invited });
  return out;
}

/** Update: only active users; a retired or unknown one fails. */
function updateUsers(plan: Plan, users: NewVppUser[]): ApplyResult {
  const out = emptyResult();
  const missing: string[] = [];
  for (const u of users) {
    if (!plan.isActiveUser(u.clientUserId)) { missing.push(u.clientUserId); continue; }
    plan.changes.update.push(u);
    out.numCompleted++;
  }
  if (missing.length) out.failures.push({ code: 'user_not_found', clientUserIds: missing });
  return out;
}

/** Retire: an active user becomes Retired and keeps no app licence (books are not revocable). */
function retireUsers(plan: Plan, location: string, ids: string[]): ApplyResult {
  const out = emptyResult();
  const missing: string[] = [];
  const retiring: string[] = [];
  for (const id of ids) {
    if (!plan.isActiveUser(id)) { missing.push(id); continue; }
    plan.retire(id);
    retiring.push(id);
    out.numCompleted++;
  }
  out.removed = revoke(plan, location, { serialNumbers: [], clientUserIds: retiring }).removed;
  if (missing.length) out.failures.push({ code: 'user_not_found', clientUserIds: missing });
  return out;
}

/** The rules as decisions over a location's reads, for the store's `change` and `processEvent`. */
export const licenceDecisions = {
  associate: (location: string, assets: AssetRef[], t: Targets, mode: AssociateMode) => (reads: LicenceReads) => {
    const plan = new Plan(reads);
    return plan.decided(associate(plan, location, assets, t, mode));
  },
  disassociate: (location: string, assets: AssetRef[], t: Targets) => (reads: LicenceReads) => {
    const plan = new Plan(reads);
    return plan.decided(disassociate(plan, location, assets, t));
  },
  revoke: (location: string, t: Targets) => (reads: LicenceReads) => {
    const plan = new Plan(reads);
    return plan.decided(revoke(plan, location, t));
  },
  createUsers: (location: string, users: NewVppUser[], newInviteCode: () => string) => (reads: LicenceReads) => {
    const plan = new Plan(reads);
    return plan.decided(createUsers(plan, location, users, newInviteCode));
  },
  updateUsers: (users: NewVppUser[]) => (reads: LicenceReads) => {
    const plan = new Plan(reads);
    return plan.decided(updateUsers(plan, users));
  },
  retireUsers: (location: string, ids: string[]) => (reads: LicenceReads) => {
    const plan = new Plan(reads);
    return plan.decided(retireUsers(plan, location, ids));
  },

  /** User-to-device migration: the user's licence becomes the device's, keeping the count. */
  moveUserToDevice: (location: string, a: AssetRef, clientUserId: string, serialNumber: string) => (reads: LicenceReads): Decision<MoveOutcome> => {
    const plan = new Plan(reads);
    if (!plan.isAssigned(a, { clientUserId })) return plan.decided('not_assigned');
    if (plan.isAssigned(a, { serialNumber })) return plan.decided('device_already_assigned');
    plan.unassign({ ...a, clientUserId });
    plan.assign(a, { serialNumber });
    plan.event('content.licence_migrated', { location_id: location, adam_id: a.adamId, from_client_user_id: clientUserId, to_serial_number: serialNumber });
    return plan.decided('moved');
  },

  /**
   * Accepting an invitation: only a Registered user's code is accepted; the user becomes
   * Associated with the personal account's hash. Answers the user's client id when accepted.
   */
  acceptInvitation: (idHash: string) => (user: VppUser | undefined, reads: LicenceReads | undefined): Decision<VppUser | undefined> => {
    const plan = new Plan(reads!);
    if (!user || user.status !== 'Registered') return plan.decided(undefined);
    plan.changes.associate.push({ clientUserId: user.clientUserId, idHash });
    return plan.decided(user);
  },

  /**
   * A PENDING Apps and Books event: applied as its request says (an asynchronous associate is
   * all-or-nothing per asset), COMPLETE when nothing failed, FAILED otherwise.
   */
  event: (newInviteCode: () => string) => (e: VppEvent, reads: LicenceReads): EventDecision => {
    const plan = new Plan(reads);
    const loc = e.locationId;
    const req = e.request as { assets?: AssetRef[]; serialNumbers?: string[]; clientUserIds?: string[]; users?: NewVppUser[] };
    const t: Targets = { serialNumbers: req.serialNumbers ?? [], clientUserIds: req.clientUserIds ?? [] };
    const result =
      e.eventType === 'ASSOCIATE' ? associate(plan, loc, req.assets!, t, 'all-or-nothing')
      : e.eventType === 'DISASSOCIATE' ? disassociate(plan, loc, req.assets!, t)
      : e.eventType === 'REVOKE' ? revoke(plan, loc, t)
      : e.eventType === 'CREATE' ? createUsers(plan, loc, req.users!, newInviteCode)
      : e.eventType === 'UPDATE' ? updateUsers(plan, req.users!)
      : retireUsers(plan, loc, req.users!.map((u) => u.clientUserId));
    return {
      changes: plan.changes,
      outcome: { status: result.failures.length ? 'FAILED' : 'COMPLETE', numCompleted: result.numCompleted, failures: result.failures },
    };
  },
};
