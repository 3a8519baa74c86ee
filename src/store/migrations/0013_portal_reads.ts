// The portal's reads (issue 15): a device's assignment history by serial number, and a device's
// MDM channel by serial number within its organisation, without scanning every row.
export const sql = `
CREATE INDEX device_ops_serial ON device_ops(serial_number, seq);
CREATE INDEX enrollments_org_serial ON enrollments(org_id, serial_number);
`;
