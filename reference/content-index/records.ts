// Growable arrays of fixed-size records and of int32, kept in typed-array chunks of 2^16 elements: an
// append never copies what is already there (only the first chunk grows, by doubling, so that a small
// index stays small), memory is the elements plus at most one chunk, and no V8 Map or Array is involved,
// so nothing caps the count below the machine's memory (a Map holds at most 2^24 entries).

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const FIRST = 64;

/** Records of `width` bytes, read and written field by field through a DataView per chunk. */
export class Records {
  private readonly chunks: Uint8Array<ArrayBuffer>[] = [];
  private readonly views: DataView[] = [];

  constructor(readonly width: number) {}

  /** How many records are addressable now. */
  private capacity = 0;

  /** Makes records 0..count-1 addressable; new records are all zero bytes. */
  reserve(count: number): void {
    if (count <= this.capacity) return;
    // The first chunk grows by doubling up to a full chunk; after it, whole chunks are added.
    const first = count <= CHUNK ? Math.min(CHUNK, Math.max(FIRST, count, 2 * this.capacity)) : CHUNK;
    if (this.capacity < first) {
      const grown = new Uint8Array(first * this.width);
      if (this.chunks.length > 0) grown.set(this.chunks[0]!);
      this.chunks[0] = grown;
      this.views[0] = new DataView(grown.buffer);
      this.capacity = first;
    }
    while (this.capacity < count) {
      const chunk = new Uint8Array(CHUNK * this.width);
      this.chunks.push(chunk);
      this.views.push(new DataView(chunk.buffer));
      this.capacity += CHUNK;
    }
  }

  u8(i: number, field: number): number {
    return this.chunks[i >>> CHUNK_BITS]![(i & MASK) * this.width + field]!;
  }

  setU8(i: number, field: number, v: number): void {
    this.chunks[i >>> CHUNK_BITS]![(i & MASK) * this.width + field] = v;
  }

  u32(i: number, field: number): number {
    return this.views[i >>> CHUNK_BITS]!.getUint32((i & MASK) * this.width + field, true);
  }

  setU32(i: number, field: number, v: number): void {
    this.views[i >>> CHUNK_BITS]!.setUint32((i & MASK) * this.width + field, v, true);
  }

  u64(i: number, field: number): bigint {
    return this.views[i >>> CHUNK_BITS]!.getBigUint64((i & MASK) * this.width + field, true);
  }

  setU64(i: number, field: number, v: bigint): void {
    this.views[i >>> CHUNK_BITS]!.setBigUint64((i & MASK) * this.width + field, v, true);
  }

  /** The bytes of record i, shared (not a copy). */
  bytes(i: number): Uint8Array {
    const at = (i & MASK) * this.width;
    return this.chunks[i >>> CHUNK_BITS]!.subarray(at, at + this.width);
  }

  /** Writes `src` (width bytes from srcAt) into record i. */
  setBytes(i: number, src: Uint8Array, srcAt = 0): void {
    // A loop, not set(subarray): the subarray is an allocation per record, a put's garbage.
    const chunk = this.chunks[i >>> CHUNK_BITS]!;
    const at = (i & MASK) * this.width;
    for (let j = 0; j < this.width; j++) chunk[at + j] = src[srcAt + j]!;
  }

  /** The chunk holding record i and the byte offset of the record in it, for loops that compare bytes. */
  chunkOf(i: number): Uint8Array {
    return this.chunks[i >>> CHUNK_BITS]!;
  }

  offsetOf(i: number): number {
    return (i & MASK) * this.width;
  }

  /** A copy holding records 0..count-1 (zero beyond what this one has). */
  copy(count: number): Records {
    const out = new Records(this.width);
    out.reserve(count);
    for (let c = 0; c < this.chunks.length && c < out.chunks.length; c++) {
      const src = this.chunks[c]!;
      const dst = out.chunks[c]!;
      dst.set(src.length <= dst.length ? src : src.subarray(0, dst.length));
    }
    return out;
  }
}

/** A growable int32 array whose elements read `fill` until set. */
export class Int32s {
  private readonly chunks: Int32Array<ArrayBuffer>[] = [];
  private capacity = 0;

  constructor(private readonly fill: number) {}

  get(i: number): number {
    return i < this.capacity ? this.chunks[i >>> CHUNK_BITS]![i & MASK]! : this.fill;
  }

  set(i: number, v: number): void {
    if (i >= this.capacity) this.reserve(i + 1);
    this.chunks[i >>> CHUNK_BITS]![i & MASK] = v;
  }

  private reserve(count: number): void {
    const first = count <= CHUNK ? Math.min(CHUNK, Math.max(FIRST, count, 2 * this.capacity)) : CHUNK;
    if (this.capacity < first) {
      const grown = new Int32Array(first).fill(this.fill);
      if (this.chunks.length > 0) grown.set(this.chunks[0]!);
      this.chunks[0] = grown;
      this.capacity = first;
    }
    while (this.capacity < count) {
      this.chunks.push(new Int32Array(CHUNK).fill(this.fill));
      this.capacity += CHUNK;
    }
  }
}
