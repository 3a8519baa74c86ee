// First start on an empty store: the demo organisation from fixtures/, its Administrator
// (whose API token is written to <data dir>/admin-token, mode 0600) and sample accounts.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FixtureOrder } from './business/orders.js';
import type { Role } from './business/permissions.js';
import { readFixture } from './fixtures.js';
import { writeSecretFile } from './secret-file.js';
import type { Services } from './business/services.js';
import type { Store } from './store/index.js';

interface DemoFixture {
  name: string;
  duns: string;
  email: string;
  phone: string;
  consent_text: string;
  administrator: { email: string; given_name: string; family_name: string };
  accounts: Array<{ email: string; given_name: string; middle_name?: string; family_name: string; roles: Role[] }>;
  /** Domains seeded as verified (the demo has no DNS to publish in): its Managed Apple IDs live there. */
  domains: string[];
  locations: Array<{ name: string; address: string; country: string; currency: string }>;
}

export interface BootstrapResult {
  created: boolean;
  orgId?: string;
  adminEmail?: string;
  adminPassword?: string;
  adminTokenFile?: string;
  /** `<reseller ID>:<secret>` of the demo reseller, for HTTP Basic on /reseller (curl -u). */
  resellerCredentialFile?: string;
  demoDevices?: number;
}

interface DemoOrders {
  customer_numbers: string[];
  reseller_ids: string[];
  reseller: { reseller_id: string; name: string };
  orders: FixtureOrder[];
}

export async function bootstrapDemo(store: Store, services: Services, dataDir: string): Promise<BootstrapResult> {
  if ((await store.organisations.count()) > 0) return { created: false };
  const demo = readFixture<DemoFixture>('demo-organisation.json');
  const password = randomBytes(12).toString('base64url');
  const { org, account, token } = await services.signUp(
    { name: demo.name, duns: demo.duns, email: demo.email, phone: demo.phone },
    { email: demo.administrator.email, givenName: demo.administrator.given_name, familyName: demo.administrator.family_name, password, roles: ['Administrator'] },
    { consentText: demo.consent_text },
  );
  const admin = { accountId: account.id, orgId: org.id, email: account.email, roles: account.roles, via: 'api-token' as const };
  await services.organisations.acceptTerms(admin);
  // The demo starts with every term accepted and billing set, so its flows work at once (issue 16).
  await services.organisations.acceptContentTerms(admin);
  await services.organisations.setBilling(admin, { name: demo.name, email: demo.email, address: org.address });
  for (const name of demo.domains) await services.domains.seedVerified(org.id, name);
  for (const a of demo.accounts) {
    await services.accounts.create(admin, org.id, { email: a.email, givenName: a.given_name, middleName: a.middle_name, familyName: a.family_name, roles: a.roles, password });
  }
  for (const l of demo.locations) await services.organisations.createLocation(org.id, l);
  await services.content.credit.importCodes(readFixture('vpp-credit-codes.json'));
  const tokenFile = path.join(dataDir, 'admin-token');
  writeSecretFile(tokenFile, token + '\n');
  // Purchases: the demo organisation's settings, its reseller, and the orders it starts with.
  const purchases = readFixture<DemoOrders>('demo-orders.json');
  await services.orders.setPurchaseSettings(admin, { customerNumbers: purchases.customer_numbers, resellerIds: purchases.reseller_ids });
  const reseller = await services.resellers.create(purchases.reseller.reseller_id, purchases.reseller.name);
  const resellerFile = path.join(dataDir, 'reseller-credential');
  writeSecretFile(resellerFile, `${reseller.reseller.resellerId}:${reseller.secret}\n`);
  const demoDevices = await services.orders.loadFixtureOrders(org.id, purchases.orders);
  return {
    created: true, orgId: org.id, adminEmail: account.email, adminPassword: password, adminTokenFile: tokenFile,
    resellerCredentialFile: resellerFile, demoDevices,
  };
}
