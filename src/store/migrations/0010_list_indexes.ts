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
-- GET /api/v1/commands: newest first, by request type; a command's targets (counts per status).
CREATE INDEX commands_org_type ON commands(org_id, request_type, created_at);
CREATE INDEX command_targets_command ON command_targets(command_uuid, status);
-- The audit log filtered by action or by actor, newest first.
CREATE INDEX audit_log_org_action ON audit_log(org_id, action, id);
CREATE INDEX audit_log_org_actor ON audit_log(org_id, actor, id);
`;
