// The key table of the content index: every distinct ArtifactKey it has seen, numbered 0, 1, 2, ... in
// order of first appearance (its keyId). Everything else in the index is indexed by keyId, so this is the
// only place a key's 32 bytes live.
//
// It is an open-addressing hash table over typed arrays, not a Map of hex strings: a V8 Map holds at most
// 2^24 entries, and a 64-character string plus its Map entry cost about 150 bytes where the key itself
// is 32. Here a key costs its 32 bytes plus one slot of 8 bytes (keyId + 1, and the key's 32-bit hash, so
// that a probe rarely touches another key's bytes and growing never reads a key) at a load of at most
// 3/4: about 43 bytes at 1e8 keys. Probing is linear. The hash mixes all 32 bytes, since test keys (and
// hostile ones) need not look like SHA-256 output. Slot order is never observable: nothing iterates it.
import { keyBytesInto, parseKeyInto } from "./digest.ts";
import { Records } from "./records.ts";

const EMPTY = 0;

export class KeyTable {
  private count = 0;
  private readonly keys = new Records(32);
  /** Pairs (keyId + 1, hash); keyId + 1 = EMPTY marks a free slot. Length 2 * capacity, a power of 2. */
  private slots = new Int32Array(2 * 64);
  private mask = 63;
  /** The key being looked up, as bytes and as 8 little-endian words. */
  private readonly scratch = new Uint8Array(32);
  private readonly words = new Int32Array(this.scratch.buffer);

  /** How many distinct keys the table holds. */
  get size(): number {
    return this.count;
  }

  /** The keyId of a key (64 lowercase hex digits, already checked), or -1 when it is not in the table. */
  find(key: string): number {
    keyBytesInto(key, this.scratch, 0);
    return this.findLoaded();
  }

  /**
   * Checks and loads a key for findLoaded or internLoaded: false (and nothing loaded) when it is not 64
   * lowercase hex digits. One pass over the text, where a check and then find would make two.
   */
  load(key: unknown): boolean {
    return parseKeyInto(key, this.scratch, 0);
  }

  /** The keyId of the loaded key, or -1 when it is not in the table. */
  findLoaded(): number {
    const h = this.hash();
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const id = this.slots[2 * s]! - 1;
      if (id < 0) return -1;
      if (this.slots[2 * s + 1] === h && this.sameKey(id)) return id;
    }
  }

  /** The keyId of the loaded key, adding it (as the next keyId) when it is new. */
  internLoaded(): number {
    const found = this.findLoaded();
    if (found >= 0) return found;
    const id = this.count;
    this.keys.reserve(id + 1);
    this.keys.setBytes(id, this.scratch);
    this.count = id + 1;
    if (4 * this.count > 3 * (this.mask + 1)) this.grow();
    this.place(id, this.hash());
    return id;
  }

  /** The 32 bytes of a keyId's key (a view into the table: copy it to keep it). */
  keyBytes(id: number): Uint8Array {
    return this.keys.bytes(id);
  }

  /** A 32-bit mix of the 8 words of the scratch key (a multiply-xorshift per word, then a finalizer). */
  private hash(): number {
    const w = this.words;
    let h = 0x9e3779b9;
    for (let i = 0; i < 8; i++) h = Math.imul(h ^ w[i]!, 0x85ebca6b) ^ (h >>> 15);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    return h ^ (h >>> 16);
  }

  private sameKey(id: number): boolean {
    const chunk = this.keys.chunkOf(id);
    const at = this.keys.offsetOf(id);
    for (let i = 0; i < 32; i++) if (chunk[at + i] !== this.scratch[i]) return false;
    return true;
  }

  private place(id: number, h: number): void {
    let s = h & this.mask;
    while (this.slots[2 * s] !== EMPTY) s = (s + 1) & this.mask;
    this.slots[2 * s] = id + 1;
    this.slots[2 * s + 1] = h;
  }

  /** Doubles the slots, re-placing every key by its stored hash (no key is read). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    this.mask = old.length - 1;
    for (let s = 0; s < old.length; s += 2) if (old[s] !== EMPTY) this.place(old[s]! - 1, old[s + 1]!);
  }
}
