// Indexes for the admin API's device lists (src/store/devices.ts list, src/store/keyset.ts): each
// filter with each sort is an index range read in sort order, so a page of a 100,000-device
// organisation costs its own rows, not a scan of the table. Every index leads with org_id (each
// list is one organisation's) and ends with serial_number (the tie-break of every sort).
export const sql = `
CREATE INDEX devices_org_serial ON devices(org_id, serial_number);
CREATE INDEX devices_org_added ON devices(org_id, added_at, serial_number);
CREATE INDEX devices_org_model ON devices(org_id, model, serial_number);
CREATE INDEX devices_org_family_serial ON devices(org_id, family, serial_number);
CREATE INDEX devices_org_profile ON devices(org_id, profile_status, serial_number);
CREATE INDEX devices_org_server ON devices(org_id, mdm_server_id, serial_number);
CREATE INDEX devices_org_order_serial ON devices(org_id, order_number, serial_number);
`;
