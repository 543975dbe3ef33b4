// A map with no 2^24 cap: a V8 Map holds at most 2^24 entries (a RangeError past it), so the entries are
// spread over several Maps by a shard function of the key. Used where the reference engine keeps one
// entry per key or per snapshot and must go past 2^24 of them (issue 15).

export class ShardedMap<K, V> {
  private readonly shards: Array<Map<K, V> | undefined> = [];
  private count = 0;

  /** shardOf: a small non-negative integer; each shard must stay under 2^24 keys. */
  constructor(private readonly shardOf: (key: K) => number) {}

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    return this.shards[this.shardOf(key)]?.get(key);
  }

  set(key: K, value: V): void {
    const s = this.shardOf(key);
    let shard = this.shards[s];
    if (shard === undefined) {
      shard = new Map();
      this.shards[s] = shard;
    }
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
  }

  *values(): IterableIterator<V> {
    for (const shard of this.shards) if (shard !== undefined) yield* shard.values();
  }
}

/** Shards for non-negative integer keys below 2^31: 2^20 keys a shard at most. */
export const byHighBits = (k: number): number => k >>> 20;

/** Shards for hex strings (keys, ids): by the first two hex digits, 256 shards. */
export const byHexPrefix = (k: string): number =>
  (hexDigit(k.charCodeAt(0)) << 4) | hexDigit(k.charCodeAt(1));

/** The value of a hex digit's char code ("a"-"f" or "A"-"F" after "0"-"9"). */
const hexDigit = (c: number): number => (c <= 57 ? c - 48 : (c | 32) - 87);
