// The documented operations the portal's pages read (src/portal/api/routes/portal-reads.ts):
// the dashboard's aggregates and one device's page.
import type { Operation } from '../operation.js';
import { closed, ref, s } from '../schemas.js';

const { str, int, nstr, ntime, nullable } = s;
const counts = (what: string) => ({ type: 'object', additionalProperties: int, description: what });
const nullableCounts = (what: string) => ({ type: ['object', 'null'], additionalProperties: int, description: `${what}; null when the caller's roles do not cover devices` });

export const PORTAL_OPERATIONS: Operation[] = [
  {
    method: 'get', path: '/dashboard', operationId: 'getDashboard', tag: 'Portal', access: { permission: 'org.read' }, status: 200,
    summary: "The dashboard's aggregates in one read",
    description: "Devices by family and by MDM server, device channels by enrolment state, command targets of the last 24 hours by outcome, licences bought and in use per location, and what expires next (current server tokens, content tokens, the push certificate), soonest first. A section the caller's roles do not cover (devices.read, content.read; the push certificate needs push.manage) is null or left out.",
    response: closed({
      devices: nullable(closed({
        total: int, by_family: counts('device count per family'),
        by_mdm_server: { type: 'array', items: closed({ mdm_server_id: nstr, name: nstr, count: int }), description: 'null id: not assigned' },
      })),
      enrolments: nullableCounts('device channels per state (authenticated, enrolled, unenrolled)'),
      commands_last_day: nullableCounts('command targets queued in the last 24 hours, per status'),
      licences: { type: ['array', 'null'], items: closed({ location_id: str, name: str, bought: int, in_use: int }) },
      expiring: { type: 'array', items: closed({ kind: { type: 'string', enum: ['server_token', 'content_token', 'push_certificate'] }, id: str, name: str, expires_at: s.time }) },
    }),
    example: {
      response: {
        devices: { total: 3, by_family: { iPhone: 2, Mac: 1 }, by_mdm_server: [{ mdm_server_id: '6f1c…', name: 'Orchard MDM', count: 2 }, { mdm_server_id: null, name: null, count: 1 }] },
        enrolments: { enrolled: 2 }, commands_last_day: { acknowledged: 5, queued: 1 },
        licences: [{ location_id: '0b0e…', name: 'Head office', bought: 10, in_use: 2 }],
        expiring: [{ kind: 'server_token', id: '6f1c…', name: 'Orchard MDM', expires_at: '2027-12-05T05:00:00.000Z' }],
      },
    },
  },
  {
    method: 'get', path: '/devices/{serial}/mdm', operationId: 'getDeviceMdm', tag: 'Portal', access: { permission: 'devices.read' }, status: 200,
    path_params: { serial: { schema: str, description: 'a serial number of the organisation' } },
    summary: "A device's assignment history, MDM channel, commands and installed apps",
    description: 'The newest device channel enrolled with this serial (null if it never enrolled), its active queue and its last 100 commands, active ones included (each with the whole response), and the apps of its latest acknowledged InstalledApplicationList.',
    response: closed({
      serial_number: str,
      assignments: { type: 'array', items: closed({ at: s.time, op: { type: 'string', enum: ['added', 'modified', 'deleted'] }, mdm_server_id: str, mdm_server_name: nstr }), description: 'newest first' },
      enrollment: nullable(closed({ enrollment_id: str, udid: nstr, state: str, enrolled_at: ntime, last_seen_at: ntime, os_version: nstr, model_name: nstr, device_name: nstr })),
      queue: { type: 'array', items: ref('CommandTarget') },
      history: { type: 'array', items: ref('CommandTarget') },
      installed_apps: nullable(closed({ at: ntime, items: { type: 'array', items: closed({ identifier: nstr, name: nstr, version: nstr }) } })),
    }),
  },
];
