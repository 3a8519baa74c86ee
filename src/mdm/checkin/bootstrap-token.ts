// MessageType=SetBootstrapToken / GetBootstrapToken (macOS 10.15+): the server escrows the
// bootstrap token a Mac gives it (an empty one deletes it) and hands it back when asked.
// Apple: developer.apple.com/documentation/devicemanagement/set-bootstrap-token,
// …/get-bootstrap-token (response: {BootstrapToken: data}).
import { buildPlist, dataOf } from '../../plist/index.js';
import { checkinEvent } from '../../business/mdm/events.js';
import { boundDevice } from './bound-channel.js';
import { EMPTY_OK, type CheckinHandler } from './types.js';

export const setBootstrapToken: CheckinHandler = async (req, deps) => {
  const device = await boundDevice(deps, req.channel, req.identity);
  const token = dataOf(req.msg.BootstrapToken);
  const awaiting = typeof req.msg.AwaitingConfiguration === 'boolean' ? req.msg.AwaitingConfiguration : undefined;
  await deps.store.enrollments.setBootstrapToken(device.id, token && token.length ? token : undefined, awaiting, req.at,
    checkinEvent(deps.ids, device.orgId, 'SetBootstrapToken', req.channel, req.raw, req.at));
  return EMPTY_OK;
};

export const getBootstrapToken: CheckinHandler = async (req, deps) => {
  const device = await boundDevice(deps, req.channel, req.identity);
  await deps.store.enrollments.touch(device.id, req.at, checkinEvent(deps.ids, device.orgId, 'GetBootstrapToken', req.channel, req.raw, req.at));
  // No escrowed token: a dictionary without BootstrapToken (the device then has none to use).
  const body = buildPlist(device.bootstrapToken ? { BootstrapToken: device.bootstrapToken } : {});
  return { status: 200, body, contentType: 'application/xml; charset=utf-8' };
};
