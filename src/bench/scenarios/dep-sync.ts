// Scenario 1, DEP sync: N devices assigned to one MDM server, fetched through
// /dep/server/devices in pages of 1,000 (on the DEP port, as Apple's host serves it); then
// 1,000 changes (devices newly assigned to the server) and a sync that must return them.
import path from 'node:path';
import { generateRsaKeyPair } from '../../crypto/keys.js';
import { issueCertificate } from '../../crypto/certificates.js';
import { DepClient, type DepPage } from '../dep-client.js';
import { startOrchardProcess } from '../orchard-process.js';
import { msSince, percentile, round, type BenchContext, type Scenario } from '../scenario.js';
import { addAssignedDevices, createDepServer, openDataDir, reopenDataDir } from '../seed.js';

export const depSizes = (quick: boolean) => (quick ? { devices: 3_000, changes: 100, page: 1_000 } : { devices: 100_000, changes: 1_000, page: 1_000 });

export const depSync: Scenario = {
  name: 'dep',
  title: 'DEP sync',
  async run(ctx: BenchContext) {
    const z = depSizes(ctx.quick);
    const dataDir = path.join(ctx.workDir, 'dep-data');
    const seeded = await openDataDir(dataDir, path.join(ctx.cacheDir, 'pki'));
    const k = await generateRsaKeyPair(2048);
    const now = new Date();
    const vendorCert = await issueCertificate({ subject: { CN: 'bench MDM vendor' }, publicKey: k.publicKey, signingKey: k.privateKey, notBefore: new Date(now.getTime() - 3600_000), notAfter: new Date(now.getTime() + 86400_000) });
    const server = await createDepServer(seeded, 'Bench MDM', { cert: vendorCert, key: k.privateKey });
    const t0 = process.hrtime.bigint();
    await addAssignedDevices(seeded, server.id, z.devices, 'DP');
    // The devices the changes will assign, in the organisation but on no server yet.
    const later = await addAssignedDevices(seeded, undefined, z.changes, 'DQ');
    ctx.log(`  seeded ${z.devices + z.changes} devices in ${(msSince(t0) / 1000).toFixed(1)} s`);
    seeded.close();

    const orchard = await startOrchardProcess(dataDir, { cpuProfDir: ctx.cpuProfDir });
    try {
      const rssIdle = orchard.rss();
      const dep = new DepClient(orchard.depUrl, server.secrets);
      await dep.open();
      const perPage: number[] = [];
      let fetched = 0;
      let cursor: string | undefined;
      const f0 = process.hrtime.bigint();
      for (;;) {
        const p0 = process.hrtime.bigint();
        const page = await dep.post<DepPage>('/server/devices', cursor ? { limit: z.page, cursor } : { limit: z.page });
        perPage.push(msSince(p0));
        fetched += page.devices.length;
        cursor = page.cursor;
        if (!page.more_to_follow) break;
      }
      const fetchMs = msSince(f0);
      if (fetched !== z.devices) throw new Error(`fetched ${fetched} devices, expected ${z.devices}`);

      // The changes: through the admin store on the live data dir (SQLite WAL), as the portal's
      // assignment would write them; then one sync from the fetch's cursor.
      const live = await reopenDataDir(dataDir);
      await live.store.devices.assign(live.orgId, server.id, later, new Date(), 'bench@orchard.test');
      live.close();
      const s0 = process.hrtime.bigint();
      let synced = 0;
      const syncPages: number[] = [];
      for (;;) {
        const p0 = process.hrtime.bigint();
        const page: DepPage = await dep.post<DepPage>('/devices/sync', { cursor, limit: z.page });
        syncPages.push(msSince(p0));
        synced += page.devices.length;
        cursor = page.cursor;
        if (!page.more_to_follow) break;
      }
      const syncMs = msSince(s0);
      if (synced < z.changes) throw new Error(`sync returned ${synced} changes, expected ${z.changes}`);
      const sorted = [...perPage].sort((a, b) => a - b);
      const rss = orchard.rss();
      return {
        scenario: 'dep',
        params: { devices: z.devices, page_size: z.page, changes: z.changes },
        metrics: {
          fetch_total_s: round(fetchMs / 1000, 2), fetch_pages: perPage.length, pages_per_s: round(perPage.length / (fetchMs / 1000), 1),
          page_p50_ms: round(percentile(sorted, 50), 1), page_p99_ms: round(percentile(sorted, 99), 1),
          sync_changes: synced, sync_total_ms: round(syncMs, 1), sync_pages: syncPages.length,
          server_rss_stored_mb: rssIdle?.currentMB ?? null, server_peak_rss_mb: rss?.peakMB ?? null,
        },
        goals: [{ goal: '100,000-device DEP fetch ≤ 2 s', metric: 'fetch_total_s', target: 2, kind: 'max' }],
        notes: [`${z.devices + z.changes} devices written into the data dir through Orchard's device repository before the server started; the changes are assignments written through it on the live data dir.`],
      };
    } finally {
      await orchard.stop();
    }
  },
};
