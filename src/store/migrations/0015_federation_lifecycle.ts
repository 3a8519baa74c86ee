// Issue 16 (federated sign-in's lifecycle): an administrator can turn a federation's sign-in off
// (accounts stay; enabling again turns it back on). Its client_secret is sealed at rest like the
// store's other secrets (src/store/sealed-columns.ts), which needs no schema change.
export const sql = `
ALTER TABLE federations ADD COLUMN disabled_at TEXT;
ALTER TABLE federations ADD COLUMN updated_at TEXT;
`;
