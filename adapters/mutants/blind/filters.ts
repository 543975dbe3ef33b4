// Mutants written blind, from the spec alone: the routing filters, bloom (DEC-009) and xor8 (DEC-010), as
// filter.build and filter.probe expose them and as the writer builds them.
import { AslError } from "../../../reference/common/errors.ts";
import {
  BLOOM_NUM_HASHES,
  BLOOM_SEED,
  type BloomFilter,
  bloomNumBits,
  bloomProbePositions,
  encodeBloomPayload,
  parseBloomPayload,
} from "../../../reference/filters/bloom.ts";
import { DOMAIN_ASL, type FilterDomain } from "../../../reference/filters/domain.ts";
import { fmix64, splitmix64 } from "../../../reference/filters/mix.ts";
import { parseXor8Payload } from "../../../reference/filters/xor8.ts";
import { encodeSegment } from "../../../reference/segment/encode.ts";
import { deriveNodeRefs, type Edge, edgesById } from "../../../reference/tgk/edge.ts";
import type { FilterKind, Handlers } from "../../interface.ts";
import { bytesArg, u64s } from "../../reference/convert.ts";
import { encoderInput } from "../../reference/segments.ts";
import { defineMutant, type Mutant } from "../mutant.ts";
import { U64_MAX, view } from "./common.ts";

function kindArg(k: unknown): FilterKind {
  if (k !== "bloom" && k !== "xor8")
    throw new AslError("PROTO_BAD_REQUEST", `kind must be bloom or xor8, got ${JSON.stringify(k)}`, {
      field: "kind",
    });
  return k;
}

// --- bloom sized by every key given, repeats included -----------------------------------------------------

/** A bloom filter whose m counts every key given (10 bits a key), not the distinct ones. */
function bloomOverAll(domain: FilterDomain, keys: readonly bigint[]): BloomFilter {
  const m = bloomNumBits(keys.length);
  const f: BloomFilter = {
    kind: "bloom",
    domain,
    numBits: m,
    numHashes: BLOOM_NUM_HASHES,
    seed: BLOOM_SEED,
    bits: new Uint8Array(Math.ceil(m / 8)),
  };
  for (const k of keys)
    for (const p of bloomProbePositions(f, k)) f.bits[p >>> 3] = f.bits[p >>> 3]! | (1 << (p & 7));
  return f;
}

const bloomSizeCountsRepeats = defineMutant(
  {
    id: "blind-bloom-size-counts-repeated-keys",
    description:
      "The bloom writer sizes num_bits from the number of keys given, repeats included (several records of one id), instead of the number of distinct keys (DEC-009).",
    rules: ["ATXI-FLT-007", "ATXI-FLT-004"],
    capabilities: ["filter-bloom", "segment-encode"],
  },
  ({ ref }) => ({
    "filter.build": (a) => {
      if (kindArg(a.kind) !== "bloom") return ref["filter.build"](a);
      return { payload: encodeBloomPayload(bloomOverAll(DOMAIN_ASL, u64s(a.keys, "keys"))) };
    },
    "seg.encode": (a) => {
      const input = encoderInput(a.input);
      const asks = input.filters ?? [];
      if (!asks.some((f) => "build" in f && f.build === "bloom")) return ref["seg.encode"](a);
      let nodes: bigint[];
      try {
        nodes =
          input.edges === undefined
            ? []
            : deriveNodeRefs(input.tgkRecords ?? [], edgesById(input.edges as readonly Edge[])).map(
                (r) => r.nodeId,
              );
      } catch {
        return ref["seg.encode"](a); // the reference's error for an input it refuses
      }
      const keysOf = (d: FilterDomain): bigint[] =>
        d === 1
          ? (input.aslRecords ?? []).map((r) => r.artifactId)
          : d === 2
            ? (input.tgkRecords ?? []).map((r) => r.tgkEdgeId)
            : nodes;
      const filters = asks.map((f) =>
        "build" in f && f.build === "bloom" ? bloomOverAll(f.domain, keysOf(f.domain)) : f,
      );
      return { bytes: encodeSegment({ ...input, filters }) };
    },
  }),
);

// --- bloom bits numbered from the most significant bit ----------------------------------------------------

const msb = (p: number): number => 0x80 >>> (p & 7);

const bloomBitsMsbFirst = defineMutant(
  {
    id: "blind-bloom-bits-msb-first",
    description:
      "Bloom bit p is stored as bit 7 - (p mod 8) of byte floor(p / 8) (most significant first) instead of bit p mod 8, in filter.build and filter.probe alike.",
    rules: ["ATXI-FLT-007"],
    capabilities: ["filter-bloom"],
  },
  ({ ref }) => ({
    "filter.build": (a) => {
      if (kindArg(a.kind) !== "bloom") return ref["filter.build"](a);
      const keys = u64s(a.keys, "keys");
      const m = bloomNumBits(new Set(keys).size);
      const f: BloomFilter = {
        kind: "bloom",
        domain: DOMAIN_ASL,
        numBits: m,
        numHashes: BLOOM_NUM_HASHES,
        seed: BLOOM_SEED,
        bits: new Uint8Array(Math.ceil(m / 8)),
      };
      for (const k of keys)
        for (const p of bloomProbePositions(f, k)) f.bits[p >>> 3] = f.bits[p >>> 3]! | msb(p);
      return { payload: encodeBloomPayload(f) };
    },
    "filter.probe": (a) => {
      const payload = bytesArg(a.payload, "payload");
      if (kindArg(a.kind) !== "bloom") return ref["filter.probe"](a);
      const f = parseBloomPayload(payload, DOMAIN_ASL, 0, 0);
      return {
        results: u64s(a.keys, "keys").map((k) =>
          bloomProbePositions(f, k).every((p) => (f.bits[p >>> 3]! & msb(p)) !== 0),
        ),
      };
    },
  }),
);

// --- xor8 positions by modulo -----------------------------------------------------------------------------

const M32 = 0xffffffffn;
const rotl = (h: bigint, r: bigint): bigint => ((h << r) | (h >> (64n - r))) & U64_MAX;

/** The xor8 hash and the three positions, with r mod block_length instead of floor(r x bl / 2^32). */
function xorSlots(x: bigint, seed: bigint, bl: number): { f: number; idx: [number, number, number] } {
  const h = fmix64((x + seed) & U64_MAX);
  const b = BigInt(bl);
  const r = [h & M32, rotl(h, 21n) & M32, rotl(h, 42n) & M32];
  return {
    f: Number((h ^ (h >> 32n)) & 0xffn),
    idx: [Number(r[0]! % b), bl + Number(r[1]! % b), 2 * bl + Number(r[2]! % b)],
  };
}

/** DEC-010's writer (distinct keys, splitmix64 seeds, one stack of positions), positions by modulo. */
function buildXorByModulo(keys: readonly bigint[]): Uint8Array {
  const distinct = [...new Set(keys)];
  const n = distinct.length;
  const bl = Math.floor((32 + Math.ceil((123 * n) / 100)) / 3);
  const c = 3 * bl;
  const seeds = splitmix64(0n);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const seed = seeds.next().value;
    const slots = distinct.map((x) => xorSlots(x, seed, bl));
    const count = new Uint32Array(c);
    const owner = new Uint32Array(c); // xor of the indexes of the keys still at each position
    slots.forEach((s, i) => {
      for (const p of s.idx) {
        count[p] = count[p]! + 1;
        owner[p] = owner[p]! ^ i;
      }
    });
    const stack: number[] = [];
    for (let p = 0; p < c; p++) if (count[p] === 1) stack.push(p);
    const peeled: [number, number][] = [];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (count[p] !== 1) continue;
      const i = owner[p]!;
      peeled.push([i, p]);
      for (const q of slots[i]!.idx) {
        count[q] = count[q]! - 1;
        owner[q] = owner[q]! ^ i;
        if (count[q] === 1) stack.push(q);
      }
    }
    if (peeled.length !== n) continue;
    const fp = new Uint8Array(c);
    for (let j = peeled.length - 1; j >= 0; j--) {
      const [i, p] = peeled[j]!;
      const s = slots[i]!;
      fp[p] = s.f ^ s.idx.filter((q) => q !== p).reduce((acc, q) => acc ^ fp[q]!, 0);
    }
    const out = new Uint8Array(16 + c);
    const dv = view(out);
    dv.setBigUint64(0, seed, true);
    dv.setUint32(8, bl, true);
    out.set(fp, 16);
    return out;
  }
  throw new Error("xor8: no seed peels the keys");
}

const xorIndexByModulo: Mutant = defineMutant(
  {
    id: "blind-xor8-index-by-modulo",
    description:
      "The xor8 filter reduces each r_j to its block with r_j mod block_length instead of floor(r_j x block_length / 2^32), in filter.build and filter.probe alike.",
    rules: ["ATXI-FLT-008"],
    capabilities: ["filter-xor"],
  },
  ({ ref }): Partial<Handlers> => ({
    "filter.build": (a) => {
      if (kindArg(a.kind) !== "xor8") return ref["filter.build"](a);
      return { payload: buildXorByModulo(u64s(a.keys, "keys")) };
    },
    "filter.probe": (a) => {
      const payload = bytesArg(a.payload, "payload");
      if (kindArg(a.kind) !== "xor8") return ref["filter.probe"](a);
      const f = parseXor8Payload(payload, DOMAIN_ASL, 0, 0);
      return {
        results: u64s(a.keys, "keys").map((k) => {
          const s = xorSlots(k, f.seed, f.blockLength);
          const fp = f.fingerprints;
          return (fp[s.idx[0]]! ^ fp[s.idx[1]]! ^ fp[s.idx[2]]!) === s.f;
        }),
      };
    },
  }),
);

export const filterMutants: readonly Mutant[] = [bloomSizeCountsRepeats, bloomBitsMsbFirst, xorIndexByModulo];
