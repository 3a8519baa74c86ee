// Check-in dispatch on MessageType, Apple's names. An unknown type is a 400.
// Apple: developer.apple.com/documentation/devicemanagement/check-in
import type { PlistDict } from '../../plist/index.js';
import { channelOf } from '../channel.js';
import { badRequest } from '../errors.js';
import type { SignerIdentity } from '../signature.js';
import { authenticate } from './authenticate.js';
import { getBootstrapToken, setBootstrapToken } from './bootstrap-token.js';
import { checkOut } from './check-out.js';
import { declarativeManagement, getToken } from './declarative-management.js';
import { tokenUpdate } from './token-update.js';
import type { CheckinHandler, MdmDeps, MdmReply } from './types.js';
import { userAuthenticate } from './user-authenticate.js';

export const CHECKIN_HANDLERS: Readonly<Record<string, CheckinHandler>> = {
  Authenticate: authenticate,
  TokenUpdate: tokenUpdate,
  CheckOut: checkOut,
  UserAuthenticate: userAuthenticate,
  SetBootstrapToken: setBootstrapToken,
  GetBootstrapToken: getBootstrapToken,
  DeclarativeManagement: declarativeManagement,
  GetToken: getToken,
};

export async function handleCheckin(msg: PlistDict, raw: Buffer, identity: SignerIdentity, deps: MdmDeps): Promise<MdmReply> {
  const messageType = msg.MessageType;
  if (typeof messageType !== 'string') throw badRequest('MessageType required');
  const handler = Object.hasOwn(CHECKIN_HANDLERS, messageType) ? CHECKIN_HANDLERS[messageType] : undefined;
  if (!handler) throw badRequest(`unknown MessageType ${messageType.slice(0, 64)}`);
  return handler({ messageType, msg, raw, channel: channelOf(msg), identity, at: deps.clock.now() }, deps);
}
