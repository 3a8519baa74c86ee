// Outbox events for check-ins and command results, in the JSON shape MicroMDM's webhook users
// consume: {topic, event_id, created_at, checkin_event | acknowledge_event} with the device's
// raw plist in base64. Orchard adds `org_id` and `enrollment_id`; consumers ignore unknown keys.
import type { Ids } from '../../clock.js';
import type { NewEvent } from '../../store/events.js';

/** The enrolment channel an event speaks for (the MDM face's Channel has this shape). */
export interface Channel {
  id: string;
  deviceId: string;
  userId?: string;
}

export function checkinEvent(ids: Ids, orgId: string, messageType: string, ch: Channel, raw: Buffer, at: Date): NewEvent {
  const type = `mdm.${messageType}`;
  const payload = {
    topic: type, event_id: ids.uuid(), created_at: at.toISOString(), org_id: orgId,
    checkin_event: { udid: ch.deviceId, enrollment_id: ch.id, user_id: ch.userId ?? null, url_params: {}, raw_payload: raw.toString('base64') },
  };
  return { orgId, type, payload: JSON.stringify(payload) };
}

export function acknowledgeEvent(ids: Ids, orgId: string, ch: Channel, status: string, commandUuid: string, raw: Buffer, at: Date): NewEvent {
  const payload = {
    topic: 'mdm.Connect', event_id: ids.uuid(), created_at: at.toISOString(), org_id: orgId,
    acknowledge_event: {
      udid: ch.deviceId, enrollment_id: ch.id, user_id: ch.userId ?? null, status, command_uuid: commandUuid, url_params: {},
      raw_payload: raw.toString('base64'),
    },
  };
  return { orgId, type: 'mdm.Connect', payload: JSON.stringify(payload) };
}

export function commandQueuedEvent(ids: Ids, orgId: string, commandUuid: string, requestType: string, enrollmentIds: string[], at: Date): NewEvent {
  const payload = {
    topic: 'mdm.CommandQueued', event_id: ids.uuid(), created_at: at.toISOString(), org_id: orgId,
    command_event: { command_uuid: commandUuid, request_type: requestType, enrollment_ids: enrollmentIds },
  };
  return { orgId, type: 'mdm.CommandQueued', payload: JSON.stringify(payload) };
}
