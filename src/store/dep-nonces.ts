// OAuth nonces seen at the DEP /session endpoint, kept until their timestamp leaves the accepted
// window, so that a replayed request is refused even across a restart (RFC 5849 §3.3).
import type { Db } from './db.js';
import { toDb } from './db.js';

export interface DepNonceRepository {
  /** Records a nonce; false when this consumer already used it with this timestamp. */
  use(consumerKey: string, nonce: string, timestamp: number, keepUntil: Date): Promise<boolean>;
  /** Drops nonces whose window has passed. */
  prune(now: Date): Promise<number>;
}

export class SqliteDepNonceRepository implements DepNonceRepository {
  private readonly stmts;
  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(`INSERT OR IGNORE INTO dep_oauth_nonces (consumer_key, nonce, timestamp, keep_until)
        VALUES (?, ?, ?, ?)`),
      prune: db.prepare('DELETE FROM dep_oauth_nonces WHERE keep_until < ?'),
    };
  }
  async use(consumerKey: string, nonce: string, timestamp: number, keepUntil: Date) {
    return this.stmts.insert.run(consumerKey, nonce, timestamp, toDb(keepUntil)).changes === 1;
  }
  async prune(now: Date) {
    return this.stmts.prune.run(toDb(now)).changes;
  }
}
