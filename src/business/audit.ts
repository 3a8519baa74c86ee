import type { Clock } from '../clock.js';
import type { AuditEntry } from '../store/audit.js';
import type { Store } from '../store/index.js';
import type { Principal } from './principal.js';

/** Every admin action is written here: who, what, when, outcome. */
export class AuditService {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  record(actor: Principal | undefined, action: string, outcome: AuditEntry['outcome'], target?: string, detail?: Record<string, unknown>) {
    return this.store.audit.append({
      orgId: actor?.orgId, actor: actor?.accountId ?? 'anonymous', actorEmail: actor?.email,
      action, target, outcome, detail, at: this.clock.now(),
    });
  }

  list(actor: Principal, opts: { limit?: number; beforeId?: number; q?: string; outcome?: string }) {
    return this.store.audit.list(actor.orgId, opts);
  }
}
