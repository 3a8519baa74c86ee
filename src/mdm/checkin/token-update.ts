// MessageType=TokenUpdate: the device (or a user on it) gives its APNs token and PushMagic; the
// channel is enrolled from now on and may be pushed. It repeats whenever the token changes:
// each one overwrites. AwaitingConfiguration=true means the device waits in Setup Assistant for
// DeviceConfigured. Reply: 200 with an empty body.
// Apple: developer.apple.com/documentation/devicemanagement/token-update
import { dataOf } from '../../plist/index.js';
import { badRequest, forbidden } from '../errors.js';
import { checkinEvent } from '../../business/mdm/events.js';
import { boundDevice } from './bound-channel.js';
import { EMPTY_OK, type CheckinHandler } from './types.js';

const s = (v: unknown) => (typeof v === 'string' && v.length <= 1024 ? v : undefined);

export const tokenUpdate: CheckinHandler = async (req, deps) => {
  const device = await boundDevice(deps, req.channel, req.identity);
  const token = dataOf(req.msg.Token);
  const pushMagic = s(req.msg.PushMagic);
  if (!token || token.length === 0 || token.length > 256) throw badRequest('TokenUpdate needs Token (data)');
  if (!pushMagic) throw badRequest('TokenUpdate needs PushMagic');
  if (req.channel.userId && device.state !== 'enrolled') throw forbidden('the device channel must be enrolled before a user channel');
  await deps.store.enrollments.tokenUpdate({
    id: req.channel.id,
    parentId: req.channel.userId ? device.id : undefined,
    userId: req.channel.userId,
    userShortName: s(req.msg.UserShortName),
    userLongName: s(req.msg.UserLongName),
    topic: s(req.msg.Topic),
    pushToken: token.toString('hex'),
    pushMagic,
    unlockToken: dataOf(req.msg.UnlockToken),
    awaitingConfiguration: req.msg.AwaitingConfiguration === true,
  }, req.at, checkinEvent(deps.ids, device.orgId, 'TokenUpdate', req.channel, req.raw, req.at));
  return EMPTY_OK;
};
