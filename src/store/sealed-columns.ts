// Secrets the store keeps but must not hold in the clear (issue 17, finding 8): push tokens and
// PushMagic (needed to push), unlock and bootstrap tokens (handed back to the device), webhook
// secrets (needed to sign), federations' OIDC client secrets (needed to redeem a code). Each is sealed with AES-256-GCM under the data dir's secrets key
// (src/secrets-key.ts) by the one sealing function, crypto/random.ts sealSecret, when written,
// and opened only when a caller reads it: rows come back with lazy properties, so listing or
// queueing for 10,000 channels opens nothing, and a push opens just the token and magic it sends.
import { isSealed, openSealed, sealSecret } from '../crypto/random.js';
import type { Db } from './db.js';

export class ColumnSealer {
  constructor(private readonly key: Buffer) {}
  seal(value: string | Buffer): string {
    return sealSecret(value, this.key);
  }
  sealOpt(value: string | Buffer | null | undefined): string | null {
    return value === null || value === undefined ? null : this.seal(value);
  }
  text(sealed: string): string {
    return openSealed(sealed, this.key).toString('utf8');
  }
  bytes(sealed: string): Buffer {
    return openSealed(sealed, this.key);
  }
}

/**
 * Defines `key` on `target` as an enumerable property computed on first read and then kept
 * (so deep equality and spreading still see the value).
 */
export function lazyProperty<T extends object, K extends string, V>(target: T, key: K, compute: () => V): T & Record<K, V> {
  let done = false;
  let value: V;
  return Object.defineProperty(target, key, {
    enumerable: true, configurable: true,
    get: () => {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    },
  }) as T & Record<K, V>;
}

/**
 * Seals every secret a previous Orchard stored in the clear, in one transaction, at open. Rows
 * already sealed are left alone, so this is idempotent and cheap once done (one indexed-free
 * scan of enrollments, webhooks and federations, which stay small next to events).
 */
export function sealPlaintextSecrets(db: Db, sealer: ColumnSealer): number {
  const enrollments = db.prepare(`SELECT id, push_token, push_magic, unlock_token, bootstrap_token FROM enrollments
    WHERE (push_token IS NOT NULL AND push_token NOT LIKE 'v1:%') OR (push_magic IS NOT NULL AND push_magic NOT LIKE 'v1:%')
      OR typeof(unlock_token) = 'blob' OR typeof(bootstrap_token) = 'blob'`);
  const updateEnrollment = db.prepare(`UPDATE enrollments SET push_token = @pushToken, push_magic = @pushMagic,
    unlock_token = @unlockToken, bootstrap_token = @bootstrapToken WHERE id = @id`);
  // Tables with one secret column, a text never null: webhooks' signing secrets, federations' client secrets.
  const single = ([['webhooks', 'secret'], ['federations', 'client_secret']] as const).map(([table, column]) => ({
    select: db.prepare(`SELECT id, ${column} AS secret FROM ${table} WHERE ${column} NOT LIKE 'v1:%'`),
    update: db.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`),
  }));
  const keep = (v: unknown) => (v === null || isSealed(v) ? v : sealer.seal(v as string | Buffer));
  return db.transaction(() => {
    let n = 0;
    for (const r of enrollments.all() as Array<Record<string, any>>) {
      updateEnrollment.run({ id: r.id, pushToken: keep(r.push_token), pushMagic: keep(r.push_magic), unlockToken: keep(r.unlock_token), bootstrapToken: keep(r.bootstrap_token) });
      n++;
    }
    for (const { select, update } of single) {
      for (const r of select.all() as Array<{ id: string; secret: string }>) {
        update.run(sealer.seal(r.secret), r.id);
        n++;
      }
    }
    return n;
  }).immediate();
}
