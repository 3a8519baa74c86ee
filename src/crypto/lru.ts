// A bounded map that forgets the least recently used entry first: the parsed-certificate and
// public-key caches (cert-cache.ts, spki.ts) are keyed by exact DER bytes and share this.
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key); // a Map iterates in insertion order: re-insert at the recent end
      this.entries.set(key, value);
    }
    return value;
  }

  /** Stores the value as the most recently used, dropping the oldest entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
