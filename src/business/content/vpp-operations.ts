// Apps and Books API mutations: each is checked synchronously (what Apple refuses at once),
// recorded as a PENDING event and answered with its eventId; the event worker applies it.
// Sources: developer.apple.com/documentation/devicemanagement/managing-assets, …/managing-users,
// …/handling-error-responses.
import type { Clock, Ids } from '../../clock.js';
import type { AssetRef, NewVppUser, VppEvent, VppEventType } from '../../store/content-licences.js';
import type { Store } from '../../store/index.js';
import { DomainError } from '../errors.js';
import type { VppEventWorker } from './events.js';
import type { LibraryService } from './library.js';
import type { VppContext } from './tokens.js';

export interface AssetsRequest {
  assets: AssetRef[];
  serialNumbers: string[];
  clientUserIds: string[];
}

const refused = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('invalid', code, message, details);

export class VppOperations {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly libraries: LibraryService,
    private readonly worker: VppEventWorker,
  ) {}

  private async record(ctx: VppContext, eventType: VppEventType, request: VppEvent['request'], numRequested: number): Promise<string> {
    const id = this.ids.uuid().toLowerCase();
    await this.store.content.licences.createEvent({
      id, locationId: ctx.location.id, eventType, status: 'PENDING', request, numRequested, numCompleted: 0, failures: [], createdAt: this.clock.now(),
    });
    this.worker.kick();
    return id;
  }

  /** ASSOCIATE or DISASSOCIATE: assets must belong to the location; books go to users only and are never taken back. */
  async submitAssets(ctx: VppContext, type: 'ASSOCIATE' | 'DISASSOCIATE', req: AssetsRequest): Promise<string> {
    const summaries = await this.libraries.assetSummaries(ctx.location.id);
    const find = (a: AssetRef) => summaries.find((s) => s.adamId === a.adamId && s.pricingParam === a.pricingParam);
    const unknown = req.assets.filter((a) => !find(a));
    // Apple's v2 has no "asset not found" number; an asset the location does not own is an invalid argument.
    if (unknown.length) throw refused('vpp_invalid_argument', 'the location owns no such asset', { assets: unknown });
    if (type === 'ASSOCIATE' && req.serialNumbers.length) {
      const notAssignable = req.assets.filter((a) => !find(a)!.deviceAssignable);
      if (notAssignable.length) throw refused('vpp_not_device_assignable', 'asset is not device-assignable', { assets: notAssignable });
    }
    if (type === 'DISASSOCIATE') {
      const notRevocable = req.assets.filter((a) => !find(a)!.revocable);
      if (notRevocable.length) throw refused('vpp_not_revocable', 'asset is not revocable', { assets: notRevocable });
    }
    const n = req.assets.length * (req.serialNumbers.length + req.clientUserIds.length);
    return this.record(ctx, type, { assets: req.assets, serialNumbers: req.serialNumbers, clientUserIds: req.clientUserIds }, n);
  }

  /** REVOKE: every revocable licence of these devices and users. */
  submitRevoke(ctx: VppContext, req: { serialNumbers: string[]; clientUserIds: string[] }): Promise<string> {
    return this.record(ctx, 'REVOKE', req, req.serialNumbers.length + req.clientUserIds.length);
  }

  submitUsers(ctx: VppContext, type: 'CREATE' | 'UPDATE' | 'RETIRE', users: NewVppUser[]): Promise<string> {
    return this.record(ctx, type, { users }, users.length);
  }

  async status(ctx: VppContext, eventId: string): Promise<VppEvent> {
    const e = eventId ? await this.store.content.licences.getEvent(ctx.location.id, eventId) : undefined;
    if (!e) throw refused('vpp_event_not_found', 'eventId could not be found');
    return e;
  }
}
