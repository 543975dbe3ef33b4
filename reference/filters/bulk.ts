// Bulk filter kernels in WebAssembly: the filter-completeness check of DEC-027 (every key of a domain
// answers "possibly present", ATXI-FLT-002) over many keys at once, for the bloom filter of DEC-009 and the
// xor8 filter of DEC-010, both hashing with fmix64 (DEC-008); and the bloom writer's bit setting (DEC-009).
//
// Why WebAssembly: each probe needs fmix64, two 64-bit multiplications. JavaScript has no 64-bit integer
// but BigInt (which allocates), so the per-key probers of bloom.ts and xor8.ts emulate them on 32-bit
// halves (mix.ts), and the bloom's `p mod m` on values up to 2^32 is a double modulus. Measured on Node 20
// (2 shared x86-64 cores, CPU time per key, 7e5 keys, bloom of 10 bits per key, .tmp scratch loops): the
// per-key bloom prober 120-175 ns, the best pure-JS bulk loop we wrote (fmix64 inlined on 16-bit limbs,
// modulus by a rounded reciprocal) 51-54 ns, this module 17-21 ns (xor8: 50-64 ns per key, 8-10 ns here).
// The module is assembled below, opcode by opcode (WebAssembly core spec 1.0, chapter 5 "binary format"),
// so no binary blob is checked in and every instruction can be read next to the comment saying what it does.
//
// Exactness: the kernels evaluate, key by key, exactly the probe of DEC-009 / DEC-010 (the same hash, the
// same positions, the same comparison), in native integer arithmetic; nothing is approximated or skipped,
// and a check stops at the first key that fails, in file order, as the per-key loop does. The per-key
// probers (bloomProber, xor8Prober, setProbes) stay the readable definition and the fallback for a filter
// too big for a WebAssembly memory; the tests compare both ways on random and damaged filters.

/** Unsigned LEB128 of a non-negative integer. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 64-bit value given as a BigInt in [-2^63, 2^64) (read as two's complement). */
function sleb64(v: bigint): number[] {
  let x = BigInt.asIntN(64, v);
  const out: number[] = [];
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    const done = (x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

function sleb32(v: number): number[] {
  return sleb64(BigInt(v | 0));
}

/** A section: id, then its byte length and contents. */
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}
function name(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

// Opcodes (core spec 5.4) and value types (5.3.1).
const I32 = 0x7f;
const I64 = 0x7e;
const EMPTY = 0x40;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  brIf: 0x0d,
  return: 0x0f,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i64Load: 0x29,
  i32Load8u: 0x2d,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32RemU: 0x70,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32Xor: 0x73,
  i32ShrU: 0x76,
  i64Add: 0x7c,
  i64Mul: 0x7e,
  i64Xor: 0x85,
  i64ShrU: 0x88,
  i64Rotl: 0x89,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
} as const;

/** x = fmix64(x) on local `x` (DEC-008): x ^= x >> 33; x *= C1; x ^= x >> 33; x *= C2; x ^= x >> 33. */
function fmix64(x: number): number[] {
  const xorShift = [op.get, x, op.get, x, op.i64Const, 33, op.i64ShrU, op.i64Xor, op.set, x];
  const mul = (c: bigint) => [op.get, x, op.i64Const, ...sleb64(c), op.i64Mul, op.set, x];
  return [...xorShift, ...mul(0xff51afd7ed558ccdn), ...xorShift, ...mul(0xc4ceb9fe1a85ec53n), ...xorShift];
}

// bloomFirstMiss(keys, n, stride, bits, m, k, seed) -> i32. Key i is the u64 little-endian at keys + i*stride;
// returns the index of the first key one of whose k probed bits is clear, or n. Per key x (DEC-009):
// h = fmix64(x ^ seed), p = low word, h2 = high word; probe i tests bit (p mod m), then p += h2 mod 2^32.
// Parameters are locals 0..6; then i (7, i32), x (8, i64), p, h2, j, b, acc (9..13, i32).
const B = {
  keys: 0,
  n: 1,
  stride: 2,
  bits: 3,
  m: 4,
  k: 5,
  seed: 6,
  i: 7,
  x: 8,
  p: 9,
  h2: 10,
  j: 11,
  b: 12,
  acc: 13,
};
// bloomSetAll(keys, n, stride, bits, m, k, seed) -> n: the writer's side, the same positions, each bit set.
// biome-ignore format: one line per step, as the comments read
const bloomBody = (set: boolean): number[] => [
  ...vec([[...uleb(1), I32], [...uleb(1), I64], [...uleb(5), I32]]),
  op.i32Const, 1, op.set, B.acc,                                          // acc = 1
  op.block, EMPTY,
  op.get, B.n, op.i32Eqz, op.brIf, 0,                                     // no keys: done
  op.loop, EMPTY,                                                         // for each key i
  op.get, B.keys, op.i64Load, 3, 0, op.get, B.seed, op.i64Xor, op.set, B.x, //   x = key ^ seed
  op.get, B.keys, op.get, B.stride, op.i32Add, op.set, B.keys,            //   keys += stride
  ...fmix64(B.x),                                                         //   x = fmix64(x)
  op.get, B.x, op.i32WrapI64, op.set, B.p,                                //   p = low word
  op.get, B.x, op.i64Const, 32, op.i64ShrU, op.i32WrapI64, op.set, B.h2,  //   h2 = high word
  op.get, B.k, op.set, B.j,                                               //   j = k
  op.loop, EMPTY,                                                         //   k times:
  op.get, B.p, op.get, B.m, op.i32RemU, op.set, B.b,                      //     b = p mod m
  ...(set
    ? [
  op.get, B.bits, op.get, B.b, op.i32Const, 3, op.i32ShrU, op.i32Add, op.tee, B.acc, // set bit b
  op.get, B.acc, op.i32Load8u, 0, 0,
  op.i32Const, 1, op.get, B.b, op.i32Const, 7, op.i32And, op.i32Shl, op.i32Or, op.i32Store8, 0, 0,
    ]
    : [
  op.get, B.acc,                                                          //     acc &= bit b
  op.get, B.bits, op.get, B.b, op.i32Const, 3, op.i32ShrU, op.i32Add, op.i32Load8u, 0, 0,
  op.get, B.b, op.i32Const, 7, op.i32And, op.i32ShrU, op.i32And, op.set, B.acc,
    ]),
  op.get, B.p, op.get, B.h2, op.i32Add, op.set, B.p,                      //     p += h2
  op.get, B.j, op.i32Const, 1, op.i32Sub, op.tee, B.j, op.brIf, 0,
  op.end,
  ...(set
    ? []
    : [
  op.get, B.acc, op.i32Const, 1, op.i32And, op.i32Eqz,                    //   a bit was clear:
  op.if, EMPTY, op.get, B.i, op.return, op.end,                           //     return i
    ]),
  op.get, B.i, op.i32Const, 1, op.i32Add, op.tee, B.i, op.get, B.n, op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  op.get, B.n,                                                            // every key held: n
  op.end,
];

// xor8FirstMiss(keys, n, stride, fp, bl, seed) -> i32: the index of the first key whose three fingerprints
// do not XOR to its own, or n. Per key x (DEC-010): h = fmix64(x + seed); r0, r1, r2 = the low words of h,
// rotl(h, 21), rotl(h, 42); index_j = j*bl + (r_j * bl >> 32); f = (h ^ h >> 32) mod 256.
// Parameters are locals 0..5; then i, fp1, fp2 (6..8, i32), x, blL (9, 10, i64).
const X = { keys: 0, n: 1, stride: 2, fp: 3, bl: 4, seed: 5, i: 6, fp1: 7, fp2: 8, x: 9, blL: 10 };
/** The byte F[base + (low word of rotl(x, by)) * bl >> 32], left on the stack. */
// biome-ignore format: one line per step
const fingerprint = (base: number, by: number) => [
  op.get, base,
  op.get, X.x, ...(by === 0 ? [] : [op.i64Const, by, op.i64Rotl]),
  op.i32WrapI64, op.i64ExtendI32U, op.get, X.blL, op.i64Mul, op.i64Const, 32, op.i64ShrU, op.i32WrapI64,
  op.i32Add, op.i32Load8u, 0, 0,
];
// biome-ignore format: one line per step, as the comments read
const xor8Body: number[] = [
  ...vec([[...uleb(3), I32], [...uleb(2), I64]]),
  op.get, X.fp, op.get, X.bl, op.i32Add, op.set, X.fp1,                   // fp1 = fp + bl
  op.get, X.fp1, op.get, X.bl, op.i32Add, op.set, X.fp2,                  // fp2 = fp + 2 bl
  op.get, X.bl, op.i64ExtendI32U, op.set, X.blL,                          // blL = bl as u64
  op.block, EMPTY,
  op.get, X.n, op.i32Eqz, op.brIf, 0,                                     // no keys: done
  op.loop, EMPTY,                                                         // for each key i
  op.get, X.keys, op.i64Load, 3, 0, op.get, X.seed, op.i64Add, op.set, X.x, //   x = key + seed
  op.get, X.keys, op.get, X.stride, op.i32Add, op.set, X.keys,            //   keys += stride
  ...fmix64(X.x),                                                         //   x = fmix64(x)
  ...fingerprint(X.fp, 0),                                                //   F[index_0]
  ...fingerprint(X.fp1, 21), op.i32Xor,                                   //   ^ F[index_1]
  ...fingerprint(X.fp2, 42), op.i32Xor,                                   //   ^ F[index_2]
  op.get, X.x, op.get, X.x, op.i64Const, 32, op.i64ShrU, op.i64Xor, op.i32WrapI64,
  op.i32Const, ...sleb32(0xff), op.i32And,                                //   f = (x ^ x >> 32) & 0xff
  op.i32Ne,                                                               //   differ:
  op.if, EMPTY, op.get, X.i, op.return, op.end,                           //     return i
  op.get, X.i, op.i32Const, 1, op.i32Add, op.tee, X.i, op.get, X.n, op.i32LtU, op.brIf, 0,
  op.end,
  op.end,
  op.get, X.n,                                                            // every key held: n
  op.end,
];

/** The module: one memory (exported as "mem") and the two kernels. */
function assemble(): Uint8Array {
  const funcType = (params: number[]) => [0x60, ...vec(params.map((t) => [t])), ...vec([[I32]])];
  const types = section(
    1,
    vec([funcType([I32, I32, I32, I32, I32, I32, I64]), funcType([I32, I32, I32, I32, I32, I64])]),
  );
  const funcs = section(3, vec([[0], [1], [0]]));
  const memory = section(5, vec([[0x00, ...uleb(1)]]));
  const exports = section(
    7,
    vec([
      [...name("mem"), 0x02, 0],
      [...name("bloom"), 0x00, 0],
      [...name("xor8"), 0x00, 1],
      [...name("bloomSet"), 0x00, 2],
    ]),
  );
  const code = section(
    10,
    vec([bloomBody(false), xor8Body, bloomBody(true)].map((b) => [...uleb(b.length), ...b])),
  );
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...funcs,
    ...memory,
    ...exports,
    ...code,
  ]);
}

/** The part of the WebAssembly JS API used here (this project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Kernels {
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  bloom(keys: number, n: number, stride: number, bits: number, m: number, k: number, seed: bigint): number;
  xor8(keys: number, n: number, stride: number, fp: number, bl: number, seed: bigint): number;
  bloomSet(keys: number, n: number, stride: number, bits: number, m: number, k: number, seed: bigint): number;
}

let module: object | undefined;
function kernels(): Kernels {
  module ??= new wasm.Module(assemble());
  return new wasm.Instance(module).exports as Kernels;
}
export const _kernelsForTest = kernels;
let withoutWasm = false;
/**
 * Forgets the compiled module and its instance (the next call assembles them again), and with
 * `webAssembly` false makes the kernels unavailable, as on a host without WebAssembly, until the next
 * call: for `npm run adequacy` (test/adequacy/plan.ts), whose mutants switch on and off in one process,
 * so a module compiled under one mutant must not serve the next, and whose checks also run the per-key
 * paths the callers fall back to.
 */
export function _resetKernelsForTest(webAssembly = true): void {
  module = undefined;
  cached = undefined;
  withoutWasm = !webAssembly;
}

/** Keys per call: the key bytes are copied into the module's memory this many structures at a time. */
const CHUNK = 1 << 16;
/** Past this much memory the instance is dropped after a call, so a big filter's copy is not kept. */
const KEEP_BYTES = 32 << 20;
const PAGE = 65536;

let cached: Kernels | undefined;

/** The instance with at least `bytes` of memory, or undefined when the memory cannot grow that far. */
function instance(bytes: number): Kernels | undefined {
  if (cached === undefined) {
    // No WebAssembly (node --jitless, a host without it): the callers fall back to the per-key loops.
    if (typeof wasm?.Module !== "function" || withoutWasm) return undefined;
    cached = kernels();
  }
  const have = cached.mem.buffer.byteLength;
  if (have < bytes) {
    try {
      cached.mem.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      cached = undefined;
      return undefined;
    }
  }
  return cached;
}

/** What the kernels read of a bloom filter (DEC-009) and of an xor8 filter (DEC-010). */
export interface BloomParams {
  bits: Uint8Array;
  numBits: number;
  numHashes: number;
  seed: bigint;
}
export interface Xor8Params {
  fingerprints: Uint8Array;
  blockLength: number;
  seed: bigint;
}

/**
 * Where the keys are: `count` u64 little-endian keys in `bytes`, the first at byte `first`, one every
 * `stride` bytes (the id of each 24-byte record, or the node_id of each 32-byte node-edge ref).
 */
export interface KeyColumn {
  bytes: Uint8Array;
  first: number;
  count: number;
  stride: number;
}

/**
 * Runs `kernel` over the column chunk by chunk after copying `filter` to the start of the memory; returns
 * the index of the first key the kernel rejects, -1 when none does, or undefined when the filter does
 * not fit in a WebAssembly memory (the caller then probes key by key).
 */
function scan(
  filter: Uint8Array,
  col: KeyColumn,
  kernel: (k: Kernels, keys: number, n: number) => number,
  after?: (mem: Uint8Array) => void,
): number | undefined {
  const keysAt = Math.ceil(filter.length / 8) * 8;
  const chunk = Math.min(col.count, CHUNK);
  const k = instance(keysAt + chunk * col.stride);
  if (k === undefined) return undefined;
  try {
    const mem = new Uint8Array(k.mem.buffer);
    mem.set(filter, 0);
    for (let done = 0; done < col.count; done += chunk) {
      const n = Math.min(chunk, col.count - done);
      const from = col.first + col.stride * done;
      mem.set(col.bytes.subarray(from, from + col.stride * (n - 1) + 8), keysAt);
      const miss = kernel(k, keysAt, n);
      if (miss < n) return done + miss;
    }
    after?.(mem);
    return -1;
  } finally {
    if (k.mem.buffer.byteLength > KEEP_BYTES) cached = undefined;
  }
}

/** The index of the first key of `col` the bloom filter rejects (DEC-009), -1 if none, undefined if too big. */
export function bloomFirstMiss(f: BloomParams, col: KeyColumn): number | undefined {
  return scan(f.bits, col, (k, keys, n) => k.bloom(keys, n, col.stride, 0, f.numBits, f.numHashes, f.seed));
}

/** The index of the first key of `col` the xor8 filter rejects (DEC-010), -1 if none, undefined if too big. */
export function xor8FirstMiss(f: Xor8Params, col: KeyColumn): number | undefined {
  return scan(f.fingerprints, col, (k, keys, n) => k.xor8(keys, n, col.stride, 0, f.blockLength, f.seed));
}

/**
 * Sets the bloom bits of every key of `col` (DEC-009) in `bits` (m = numBits, k = numHashes, seed): what
 * bloom.ts's setProbes does key by key, in the module. False, and `bits` untouched, when the filter does
 * not fit in a WebAssembly memory (the caller then sets the bits itself).
 */
export function bloomSetAll(f: BloomParams, col: KeyColumn): boolean {
  const done = scan(
    f.bits,
    col,
    (k, keys, n) => k.bloomSet(keys, n, col.stride, 0, f.numBits, f.numHashes, f.seed),
    (mem) => f.bits.set(mem.subarray(0, f.bits.length)),
  );
  return done !== undefined;
}
