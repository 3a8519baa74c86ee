// MessageType=DeclarativeManagement and GetToken. Orchard never sends the DeclarativeManagement
// command that turns declarative management on, so a device has no reason to call these; when
// one does, it gets a clear refusal rather than a made-up answer.
// Apple: developer.apple.com/documentation/devicemanagement/declarative-management (the check-in
// endpoint), …/get-token (400 for a TokenServiceType the server does not know).
import { checkinEvent } from '../../business/mdm/events.js';
import { boundDevice } from './bound-channel.js';
import type { CheckinHandler } from './types.js';

const TEXT = 'text/plain; charset=utf-8';

export const declarativeManagement: CheckinHandler = async (req, deps) => {
  const device = await boundDevice(deps, req.channel, req.identity);
  await deps.store.enrollments.touch(device.id, req.at, checkinEvent(deps.ids, device.orgId, 'DeclarativeManagement', req.channel, req.raw, req.at));
  return { status: 501, body: 'declarative management is not supported by this server yet\n', contentType: TEXT };
};

export const getToken: CheckinHandler = async (req, deps) => {
  await boundDevice(deps, req.channel, req.identity);
  const type = typeof req.msg.TokenServiceType === 'string' ? req.msg.TokenServiceType : '(none)';
  return { status: 400, body: `unsupported TokenServiceType ${type}\n`, contentType: TEXT };
};
