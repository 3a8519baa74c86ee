// The sorts each list of the admin API allows, declared once (src/portal/api/list.ts reads them).
// Specs read the JSON views (snake_case), so a sort is named as the field it sorts by. Lists that
// grow (devices, orders, audit, events, enrolments) page in SQL by their keyset order and allow only
// that sort; the small lists page in memory.
import type { ListSpec, SortKey } from './list.js';

type Row = Record<string, unknown>;
const field = (name: string) => (row: Row): SortKey => {
  const v = row[name];
  return typeof v === 'string' || typeof v === 'number' ? v : null;
};
const by = (...names: string[]) => Object.fromEntries(names.map((n) => [n, field(n)]));
/** `tie`: the field (or fields, joined) that is unique per row, breaking ties of the sort. */
const spec = (sorts: string[], defaultSort: string, ...tie: string[]): ListSpec<Row> => ({
  sorts: by(...sorts), defaultSort,
  tieBreak: (row) => { const v = row[tie[0]!]; return tie.length === 1 && typeof v === 'number' ? v : tie.map((t) => String(row[t])).join('\u0000'); },
});

export const LIST_SPECS = {
  locations: spec(['name', 'created_at', 'country'], 'name', 'id'),
  accounts: spec(['email', 'family_name', 'given_name', 'created_at', 'updated_at'], 'email', 'id'),
  apiTokens: spec(['created_at', 'name', 'expires_at', 'last_used_at'], 'created_at', 'id'),
  cards: spec(['label', 'created_at'], 'created_at', 'id'),
  purchases: spec(['purchased_at', 'name', 'adam_id'], '-purchased_at', 'id'),
  purchaseSummary: spec(['name', 'adam_id'], 'name', 'adam_id'),
  licenceTransfers: spec(['transferred_at', 'adam_id'], '-transferred_at', 'id'),
  licences: spec(['name', 'adam_id', 'available'], 'name', 'adam_id', 'pricing_param'),
  catalog: spec(['name', 'adam_id'], 'name', 'adam_id'),
  customApps: spec(['name', 'adam_id'], 'name', 'adam_id'),
  mdmServers: spec(['name', 'created_at', 'device_count'], 'name', 'id'),
  webhooks: spec(['created_at', 'url'], 'created_at', 'id'),
  pushes: spec(['pushed_at'], '-pushed_at', 'id'),
  // Paged in SQL, in the order of their keyset:
  orders: spec(['order_number', 'order_date', 'received_at'], '-order_date', 'order_number'), // src/store/orders.ts ORDER_SORT_COLUMNS
  devices: spec(['serial_number', 'created_at', 'model', 'family'], 'serial_number', 'serial_number'), // src/store/devices.ts DEVICE_SORT_COLUMNS
  audit: spec(['created_at'], '-created_at', 'id'),
  events: spec(['created_at'], 'created_at', 'id'),
  commands: spec(['created_at'], '-created_at', 'command_uuid'),
  enrollments: spec(['enrollment_id'], 'enrollment_id', 'enrollment_id'),
} satisfies Record<string, ListSpec<Row>>;
