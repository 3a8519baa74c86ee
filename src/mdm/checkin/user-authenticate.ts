// MessageType=UserAuthenticate (macOS, a network user logs in). Orchard does not offer per-user
// digest authentication: Apple documents that a server which does not support the user's
// channel answers the first request with 410 Gone, and the device then creates no user channel.
// Apple: developer.apple.com/documentation/devicemanagement/user-authenticate
import { checkinEvent } from '../../business/mdm/events.js';
import { boundDevice } from './bound-channel.js';
import type { CheckinHandler } from './types.js';

export const userAuthenticate: CheckinHandler = async (req, deps) => {
  const device = await boundDevice(deps, req.channel, req.identity);
  await deps.store.enrollments.touch(device.id, req.at, checkinEvent(deps.ids, device.orgId, 'UserAuthenticate', req.channel, req.raw, req.at));
  return { status: 410, body: 'user channels through UserAuthenticate are not supported by this server\n', contentType: 'text/plain; charset=utf-8' };
};
