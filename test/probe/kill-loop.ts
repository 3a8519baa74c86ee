// The kill -9 loop: a real `orchard serve` process on a temporary data dir, a write load of
// licence purchases and new locations from several clients, a SIGKILL at a random moment, a
// restart on the same data dir, and then every acknowledged (2xx) write must be there, the
// database must pass `PRAGMA integrity_check`, and every licence pool must equal its purchases
// plus transfers in, minus transfers out. Used by test/probe/kill-loop.test.ts (a few rounds in
// `npm test`) and by `npm run soak` (many).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { OrchardProcess } from '../../src/bench/orchard-process.js';
import { startServer } from './server-process.js';
import { tempDir } from '../support/harness.js';

const FREE_APP = '1500000077'; // Meeting Timer: free, so purchases need no credit (fixtures/app-store-catalog.json)

export interface KillLoopFigures {
  rounds: number;
  requests: number;
  acknowledged: number;
  lost: number;
  /** Requests answered 5xx (the server must never answer one to these writes). */
  faults: number;
  /** Requests in flight when the server was killed (no answer: not acknowledged). */
  cutByKill: number;
  peakRssMb: number;
}

interface Acked {
  purchases: Set<string>;
  locations: Set<string>;
}

async function post(url: string, token: string, body: unknown): Promise<{ status: number; body: any } | undefined> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  } catch {
    return undefined; // the server died under this request: not acknowledged
  }
}

async function get(url: string, token: string): Promise<any> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `GET ${url}`);
  return res.json();
}

/** Every item of a list, following next_cursor. */
async function all(url: string, token: string): Promise<any[]> {
  const items: any[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page = await get(`${url}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    items.push(...page.items);
    cursor = page.next_cursor;
  }
  return items;
}

function exited(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Integrity and the licence invariant, read straight from the file while the server is down. */
function checkDatabase(file: string): void {
  const db = new Database(file);
  try {
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const mismatched = db.prepare(`
      SELECT p.location_id, p.adam_id, p.total_count,
        (SELECT COALESCE(SUM(quantity), 0) FROM content_purchases c WHERE c.location_id = p.location_id AND c.adam_id = p.adam_id AND c.pricing_param = p.pricing_param)
        + (SELECT COALESCE(SUM(quantity), 0) FROM licence_transfers t WHERE t.to_location_id = p.location_id AND t.adam_id = p.adam_id AND t.pricing_param = p.pricing_param)
        - (SELECT COALESCE(SUM(quantity), 0) FROM licence_transfers t WHERE t.from_location_id = p.location_id AND t.adam_id = p.adam_id AND t.pricing_param = p.pricing_param) AS expected
      FROM licence_pools p`).all() as Array<{ total_count: number; expected: number }>;
    assert.deepEqual(mismatched.filter((r) => r.total_count !== r.expected), [], 'licence pools differ from purchases');
  } finally {
    db.close();
  }
}

export async function runKillLoop(rounds: number, opts: { writers?: number; maxKillDelayMs?: number; log?: (line: string) => void } = {}): Promise<KillLoopFigures> {
  const dataDir = tempDir('orchard-kill-');
  const writers = opts.writers ?? 6;
  const acked: Acked = { purchases: new Set(), locations: new Set() };
  const figures: KillLoopFigures = { rounds, requests: 0, acknowledged: 0, lost: 0, faults: 0, cutByKill: 0, peakRssMb: 0 };
  let server: OrchardProcess | undefined;
  try {
    for (let round = 1; round <= rounds; round++) {
      server = await startServer(dataDir);
      const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
      const api = `${server.url}/api/v1`;
      // Every write acknowledged before the last kill is still there after the restart.
      const purchases = new Set<string>((await all(`${api}/purchases`, token)).map((p: { id: string }) => p.id));
      const locations = await all(`${api}/locations`, token);
      const locationIds = new Set<string>(locations.map((l: { id: string }) => l.id));
      const lost = [...acked.purchases].filter((id) => !purchases.has(id)).length + [...acked.locations].filter((id) => !locationIds.has(id)).length;
      figures.lost += lost;
      assert.equal(lost, 0, `round ${round}: ${lost} acknowledged writes lost`);
      const target = locations[0].id as string;

      let stop = false;
      const pid = server.pid;
      const load = Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          figures.requests++;
          const write = (w + i) % 4 === 0
            ? post(`${api}/locations`, token, { name: `kill-${round}-${w}-${i}-${Math.random().toString(36).slice(2, 8)}` })
            : post(`${api}/purchases`, token, { location_id: target, adam_id: FREE_APP, quantity: 1 + (i % 3) });
          const res = await write;
          if (!res) {
            // Only the kill ends a connection: wait for the process to be gone, then stop.
            figures.cutByKill++;
            for (let k = 0; k < 200 && !exited(pid); k++) await new Promise((r) => setTimeout(r, 25));
            assert.ok(exited(pid), 'a write failed at the socket while the server was running');
            return;
          }
          if (res.status >= 500) {
            figures.faults++;
            continue;
          }
          assert.ok(res.status === 201, `write answered ${res.status} ${JSON.stringify(res.body)}`);
          figures.acknowledged++;
          if (res.body?.id && (w + i) % 4 === 0) acked.locations.add(res.body.id);
          else if (res.body?.id) acked.purchases.add(res.body.id);
        }
      });
      // The kill comes at a random moment of the load: from 0.3 s to maxKillDelayMs in.
      await new Promise((r) => setTimeout(r, 300 + Math.random() * ((opts.maxKillDelayMs ?? 1500) - 300)));
      figures.peakRssMb = Math.max(figures.peakRssMb, server.rss()?.peakMB ?? 0);
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 200 && !exited(pid); i++) await new Promise((r) => setTimeout(r, 25));
      stop = true;
      await Promise.all(load);
      server = undefined;
      checkDatabase(path.join(dataDir, 'orchard.sqlite'));
      opts.log?.(`round ${round}: ${figures.acknowledged} acknowledged so far, 0 lost, integrity ok`);
    }
    // The last round's writes, checked after one more restart.
    server = await startServer(dataDir);
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const purchases = new Set<string>((await all(`${server.url}/api/v1/purchases`, token)).map((p: { id: string }) => p.id));
    const locationIds = new Set<string>((await all(`${server.url}/api/v1/locations`, token)).map((l: { id: string }) => l.id));
    const lost = [...acked.purchases].filter((id) => !purchases.has(id)).length + [...acked.locations].filter((id) => !locationIds.has(id)).length;
    figures.lost += lost;
    assert.equal(lost, 0, `${lost} acknowledged writes lost after the last kill`);
    return figures;
  } finally {
    await server?.stop();
  }
}
