// What every check-in handler receives and returns.
// Apple: developer.apple.com/documentation/devicemanagement/check-in
import type { Clock, Ids } from '../../clock.js';
import type { PlistDict } from '../../plist/index.js';
import type { Store } from '../../store/index.js';
import type { Channel } from '../channel.js';
import type { SignerIdentity } from '../signature.js';

export interface MdmDeps {
  /** The repositories check-ins write through (enrolments, issued identities, commands). */
  store: Pick<Store, 'enrollments' | 'mdmIdentities' | 'commands'>;
  clock: Clock;
  ids: Ids;
}

export interface CheckinRequest {
  messageType: string;
  msg: PlistDict;
  /** The exact body, kept for the event's raw_payload. */
  raw: Buffer;
  channel: Channel;
  identity: SignerIdentity;
  at: Date;
}

export interface MdmReply {
  status: number;
  /** Absent: an empty body. */
  body?: string | Buffer;
  contentType?: string;
}

export const EMPTY_OK: MdmReply = { status: 200 };

export type CheckinHandler = (req: CheckinRequest, deps: MdmDeps) => Promise<MdmReply>;
