// The command channel: PUT <ServerURL>. The device reports Idle or the result of the last
// command; Orchard records it and answers with the next command plist, or 200 with an empty
// body when nothing is left. Apple: developer.apple.com/documentation/devicemanagement/
// sending-mdm-commands-to-a-device and …/handling-notnow-status-responses.
// Hot path: an Idle poll with nothing queued costs one SELECT (the enrolment with its certificate
// binding, and whether a command is due); last_seen_at is written at most once a minute.
import type { PlistDict } from '../plist/index.js';
import type { ReportStatus } from '../store/commands.js';
import { channelOf } from './channel.js';
import type { MdmDeps, MdmReply } from './checkin/types.js';
import { badRequest, forbidden, MdmError } from './errors.js';
import { acknowledgeEvent } from '../business/mdm/events.js';
import type { SignerIdentity } from './signature.js';

/** Apple's Status values of a command report, and what each records (sending-mdm-commands-to-a-device). */
const REPORTS = new Map<string, ReportStatus>([
  ['Acknowledged', 'acknowledged'], ['Error', 'error'], ['CommandFormatError', 'command_format_error'], ['NotNow', 'not_now'],
]);
const SEEN_EVERY_MS = 60_000;
const COMMAND_TYPE = 'application/xml; charset=utf-8';
export const EMPTY_OK: MdmReply = { status: 200 };

export async function handleConnect(msg: PlistDict, raw: Buffer, identity: SignerIdentity, deps: MdmDeps): Promise<MdmReply> {
  const status = msg.Status;
  if (typeof status !== 'string') throw badRequest('Status required');
  if (status !== 'Idle' && !REPORTS.has(status)) throw badRequest(`unknown Status ${status.slice(0, 64)}`);
  const channel = channelOf(msg);
  const { enrollments, commands } = deps.store;
  const at = deps.clock.now();
  // An Idle poll reads the enrolment and the queue peek in one statement (idleView).
  const idle = status === 'Idle' ? enrollments.idleView(channel.id, at) : undefined;
  const view = idle ?? (status === 'Idle' ? undefined : enrollments.connectView(channel.id));
  if (!view || view.state !== 'enrolled') throw forbidden(`${channel.id} is not enrolled`);
  if (view.certSha256 !== identity.certSha256) throw forbidden('the signing identity does not belong to this device');

  if (idle) {
    if (!idle.commandDue) {
      if (!view.lastSeenAt || at.getTime() - Date.parse(view.lastSeenAt) >= SEEN_EVERY_MS) await enrollments.touch(channel.id, at);
      return EMPTY_OK;
    }
    const next = commands.nextForIdle(channel.id, at); // also records last_seen_at, in its transaction
    return next ? { status: 200, body: next.body, contentType: COMMAND_TYPE } : EMPTY_OK;
  }

  const commandUuid = msg.CommandUUID;
  if (typeof commandUuid !== 'string' || !commandUuid) throw badRequest(`Status ${status} needs CommandUUID`);
  if (status === 'Error' && msg.ErrorChain !== undefined && !Array.isArray(msg.ErrorChain)) throw badRequest('ErrorChain must be an array');
  // One transaction: the report, its outbox event, the next command marked sent, last_seen_at.
  const r = commands.reportAndNext({
    enrollmentId: channel.id, commandUuid, status: REPORTS.get(status)!, result: raw.toString('utf8'), at,
    event: acknowledgeEvent(deps.ids, view.orgId, channel, status, commandUuid, raw, at),
  });
  if (r.outcome === 'unknown-command') throw badRequest(`unknown CommandUUID ${commandUuid.slice(0, 64)} for ${channel.id}`);
  if (r.outcome === 'not-sent') throw new MdmError(409, `command ${commandUuid.slice(0, 64)} was not sent to ${channel.id}`);
  // DeviceConfigured acknowledged: the device leaves Setup Assistant (Apple: device-configured-command).
  if (r.outcome === 'recorded' && status === 'Acknowledged' && r.requestType === 'DeviceConfigured') {
    await enrollments.setAwaitingConfiguration(channel.id, false);
  }
  // DeviceInformation tells the OS after an update: app assignment checks Apple's minimum versions against it.
  if (r.outcome === 'recorded' && status === 'Acknowledged' && r.requestType === 'DeviceInformation' && !channel.userId) {
    const q = msg.QueryResponses as Record<string, unknown> | undefined;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    if (q && (str(q.OSVersion) || str(q.BuildVersion) || str(q.DeviceName))) {
      await enrollments.updateFacts(channel.id, { osVersion: str(q.OSVersion), buildVersion: str(q.BuildVersion), deviceName: str(q.DeviceName) });
    }
  }
  return r.next ? { status: 200, body: r.next.body, contentType: COMMAND_TYPE } : EMPTY_OK;
}
