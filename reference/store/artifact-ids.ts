// The store's DEC-015 table: artifact_id (u64) -> the key that holds it, so that a second key with the
// same artifact_id is refused (STORE_ARTIFACT_ID_COLLISION, ATXI-INV-001). One entry per stored artifact,
// so it has to scale like the content index (issue 15): an open-addressing table over typed arrays, 40
// bytes an entry (the id and the key's 32 bytes) plus an 8-byte slot at a load of at most 3/4, where a
// Map of bigint to hex string held about 200 bytes an entry and stopped at 2^24 of them.
import { toHex } from "../common/hash.ts";
import { keyBytesInto } from "../content-index/digest.ts";
import { Records } from "../content-index/records.ts";

const ID = 0; // u64 LE
const KEY = 8; // 32 bytes
const EMPTY = 0;

export class ArtifactIds {
  private count = 0;
  private readonly entries = new Records(40);
  /** Pairs (entry + 1, hash of the id); 0 marks a free slot. Length 2 * capacity, a power of 2. */
  private slots = new Int32Array(2 * 64);
  private mask = 63;

  /** The key holding artifact_id `id`, or undefined. */
  get(id: bigint): string | undefined {
    const e = this.find(id, idHash(id));
    return e < 0 ? undefined : toHex(this.entries.bytes(e).subarray(KEY, KEY + 32));
  }

  /** Records that `key` (64 lowercase hex digits) holds `id`; an id already present keeps its key. */
  set(id: bigint, key: string): void {
    const h = idHash(id);
    if (this.find(id, h) >= 0) return;
    const e = this.count;
    this.entries.reserve(e + 1);
    this.entries.setU64(e, ID, id);
    keyBytesInto(key, this.entries.chunkOf(e), this.entries.offsetOf(e) + KEY);
    this.count = e + 1;
    if (4 * this.count > 3 * (this.mask + 1)) this.grow();
    this.place(e, h);
  }

  private find(id: bigint, h: number): number {
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const e = this.slots[2 * s]! - 1;
      if (e < 0) return -1;
      if (this.slots[2 * s + 1] === h && this.entries.u64(e, ID) === id) return e;
    }
  }

  private place(e: number, h: number): void {
    let s = h & this.mask;
    while (this.slots[2 * s] !== EMPTY) s = (s + 1) & this.mask;
    this.slots[2 * s] = e + 1;
    this.slots[2 * s + 1] = h;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    this.mask = old.length - 1;
    for (let s = 0; s < old.length; s += 2) if (old[s] !== EMPTY) this.place(old[s]! - 1, old[s + 1]!);
  }
}

/** A 32-bit mix of the id's two halves (test ids are small numbers, so the low bits alone would cluster). */
function idHash(id: bigint): number {
  const lo = Number(id & 0xffffffffn) | 0;
  const hi = Number((id >> 32n) & 0xffffffffn) | 0;
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ hi ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return h ^ (h >>> 15);
}
