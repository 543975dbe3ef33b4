// Mutants of the segment codec and the filters (ENC-ASL-TGK-INDEX sections 3 to 11, DEC-006, DEC-009,
// DEC-010, DEC-027): a reader that trusts what it should check or reports the wrong code, a writer whose
// bytes decode but are not the reference's, and filters built with other parameters.
import { xxh64 } from "../../reference/common/hash.ts";
import {
  BLOOM_NUM_HASHES,
  BLOOM_SEED,
  type BloomFilter,
  bloomNumBits,
  bloomProbePositions,
  encodeBloomPayload,
} from "../../reference/filters/bloom.ts";
import type { FilterDomain } from "../../reference/filters/domain.ts";
import { decodeSegment } from "../../reference/segment/decode.ts";
import { sealChecksum } from "../../reference/segment/encode.ts";
import { F, FOOTER_SIZE, H, MIN_SEGMENT_SIZE } from "../../reference/segment/layout.ts";
import type { DecodedSegment as WireSegment } from "../interface.ts";
import { defineMutant, type Handlers, type Mutant, refuse } from "./mutant.ts";

function codeOf(e: unknown): string | undefined {
  return e && typeof e === "object" ? (e as { code?: string }).code : undefined;
}

/** The footer checksum stored in a segment whose size is plausible, else undefined. */
function storedChecksum(b: Uint8Array): bigint | undefined {
  if (b.length < MIN_SEGMENT_SIZE) return undefined;
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(
    b.length - FOOTER_SIZE + F.checksum,
    true,
  );
}

/** Decodes a copy resealed with the right checksum, and shows the checksum the file really holds. */
function decodeResealed(ref: Handlers, bytes: Uint8Array): { segment: WireSegment } {
  const copy = bytes.slice();
  const stored = storedChecksum(copy);
  if (stored !== undefined) sealChecksum(copy);
  const r = ref["seg.decode"]({ bytes: copy });
  if (stored !== undefined) r.segment.footer.checksum = stored.toString();
  return r;
}

/** The steps DEC-027 runs before the checksum: their errors come first whatever the checksum holds. */
const BEFORE_CHECKSUM = new Set([
  "SEG_TRUNCATED",
  "SEG_BAD_MAGIC",
  "SEG_UNSUPPORTED_VERSION",
  "SEG_BAD_FOOTER_OFFSET",
]);

function preChecksumError(ref: Handlers, bytes: Uint8Array): void {
  try {
    ref["seg.decode"]({ bytes });
  } catch (e) {
    if (BEFORE_CHECKSUM.has(codeOf(e) ?? "")) throw e;
  }
}

const checksumNotVerified = defineMutant(
  {
    id: "seg-checksum-not-verified",
    description: "the reader never verifies the footer checksum",
    rules: ["ATXI-FTR-002", "ATXI-FTR-003"],
    capabilities: ["segment-decode", "segment-query"],
  },
  ({ ref }) => ({
    "seg.decode": (a) => {
      preChecksumError(ref, a.bytes);
      return decodeResealed(ref, a.bytes);
    },
    "seg.query": (a) => {
      const segments = Array.isArray(a.segments)
        ? a.segments.map((b) => {
            const c = b.slice();
            if (storedChecksum(c) !== undefined) sealChecksum(c);
            return c;
          })
        : a.segments;
      return ref["seg.query"]({ ...a, segments });
    },
  }),
);

/** XXH64 over [0, footer_offset) only: the footer's own byte counts are left out (DEC-006 covers them). */
const checksumWrongRange = defineMutant(
  {
    id: "seg-checksum-wrong-range",
    description:
      "the checksum is computed over the bytes before the footer only, leaving out the footer's counts",
    rules: ["ATXI-FTR-002"],
    capabilities: ["segment-decode", "segment-encode"],
  },
  ({ ref }) => {
    const mySum = (b: Uint8Array) => xxh64([b.subarray(0, b.length - FOOTER_SIZE)]);
    return {
      "seg.decode": (a) => {
        preChecksumError(ref, a.bytes);
        const stored = storedChecksum(a.bytes);
        if (stored !== undefined && stored !== mySum(a.bytes)) {
          const at = a.bytes.length - FOOTER_SIZE + F.checksum;
          refuse("SEG_CHECKSUM_MISMATCH", "footer checksum does not match", {
            offset: at,
            field: "footer.checksum",
          });
        }
        return decodeResealed(ref, a.bytes);
      },
      "seg.encode": (a) => {
        const bytes = ref["seg.encode"](a).bytes.slice();
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        dv.setBigUint64(bytes.length - FOOTER_SIZE + F.checksum, mySum(bytes), true);
        return { bytes };
      },
    };
  },
);

const segmentIdBigEndian = defineMutant(
  {
    id: "seg-segment-id-big-endian",
    description: "the reader takes header.segment_id as big-endian",
    rules: ["ATXI-LAY-001", "ATXI-HDR-007"],
    capabilities: ["segment-decode"],
  },
  ({ ref }) => ({
    "seg.decode": (a) => {
      const r = ref["seg.decode"](a);
      const le = new DataView(new ArrayBuffer(8));
      le.setBigUint64(0, BigInt(r.segment.header.segment_id), true);
      r.segment.header.segment_id = le.getBigUint64(0, false).toString();
      return r;
    },
  }),
);

/** Padding and reserved bytes are skipped without a look: a non-zero one is read as if it were zero. */
const reservedAccepted = defineMutant(
  {
    id: "seg-reserved-bytes-accepted",
    description: "the reader accepts non-zero padding and reserved bytes",
    rules: ["ATXI-LAY-002"],
    capabilities: ["segment-decode"],
  },
  ({ ref }) => ({
    "seg.decode": (a) => {
      let bytes = a.bytes;
      for (let tries = 0; ; tries++) {
        try {
          return tries === 0 ? ref["seg.decode"]({ bytes }) : decodeResealed(ref, bytes);
        } catch (e) {
          const x = e as { code?: string; offset?: number; field?: string };
          const reserved = x.code === "SEG_RESERVED_NONZERO" && /padding|reserved/.test(x.field ?? "");
          if (!reserved || x.offset === undefined || tries > 64) throw e;
          if (tries === 0) bytes = bytes.slice();
          bytes[x.offset] = 0;
        }
      }
    },
  }),
);

const badRoleWrongCode = defineMutant(
  {
    id: "seg-bad-role-wrong-code",
    description:
      "the reader reports a TGK record's invalid role as SEG_RESERVED_NONZERO instead of SEG_BAD_ROLE",
    rules: ["ATXI-TGK-003", "ATXI-DEC-001"],
    capabilities: ["segment-decode"],
  },
  ({ ref }) => ({
    "seg.decode": (a) => {
      try {
        return ref["seg.decode"](a);
      } catch (e) {
        if (codeOf(e) !== "SEG_BAD_ROLE") throw e;
        const x = e as { message: string; offset?: number; field?: string };
        refuse("SEG_RESERVED_NONZERO", x.message, {
          ...(x.offset !== undefined ? { offset: x.offset } : {}),
          ...(x.field !== undefined ? { field: x.field } : {}),
        });
      }
    },
  }),
);

/** A "forward-compatible" reader: any version from 1 up is read with the version 1 layout. */
const anyVersionAccepted = defineMutant(
  {
    id: "seg-newer-version-accepted",
    description: "the reader accepts any header version >= 1 and reads it as version 1",
    rules: ["ATXI-HDR-002"],
    capabilities: ["segment-decode"],
  },
  ({ ref }) => ({
    "seg.decode": (a) => {
      try {
        return ref["seg.decode"](a);
      } catch (e) {
        if (codeOf(e) !== "SEG_UNSUPPORTED_VERSION") throw e;
        const dv = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
        const version = dv.getUint16(H.version, true);
        if (version < 1) throw e;
        const copy = a.bytes.slice();
        new DataView(copy.buffer).setUint16(H.version, 1, true);
        const r = decodeResealed(ref, copy);
        r.segment.header.version = version;
        const stored = storedChecksum(a.bytes);
        if (stored !== undefined) r.segment.footer.checksum = stored.toString();
        return r;
      }
    },
  }),
);

/** A bloom filter as DEC-009 builds it, but with the seed and number of probes given. */
function bloomWith(
  domain: FilterDomain,
  keys: readonly bigint[],
  seed: bigint,
  numHashes: number,
): BloomFilter {
  const numBits = bloomNumBits(new Set(keys).size);
  const f: BloomFilter = {
    kind: "bloom",
    domain,
    numBits,
    numHashes,
    seed,
    bits: new Uint8Array(Math.ceil(numBits / 8)),
  };
  for (const k of keys) for (const p of bloomProbePositions(f, k)) f.bits[p >>> 3]! |= 1 << (p & 7);
  return f;
}

/** The writer seeds its bloom filters with 0 instead of DEC-009's seed: they decode and work, other bytes. */
const encoderBloomSeed = defineMutant(
  {
    id: "seg-encode-bloom-seed",
    description:
      "the writer builds bloom filters with seed 0 instead of the DEC-009 seed: valid, but other bytes",
    rules: ["ATXI-INV-008", "ATXI-FLT-007"],
    capabilities: ["segment-encode"],
  },
  ({ ref }) => ({
    "seg.encode": (a) => {
      const bytes = ref["seg.encode"](a).bytes.slice();
      const seg = decodeSegment(bytes);
      const plain = seg.toSegment();
      let changed = false;
      seg.filters.forEach((f, i) => {
        if (f.kind !== "bloom") return;
        const keys =
          f.domain === 1
            ? plain.aslRecords.map((r) => r.artifactId)
            : f.domain === 2
              ? plain.tgkRecords.map((r) => r.tgkEdgeId)
              : (plain.nodeRefs ?? []).map((r) => r.nodeId);
        bytes.set(
          encodeBloomPayload(bloomWith(f.domain, keys, 0n, f.numHashes)),
          seg.filterFrames[i]!.payloadOffset,
        );
        changed = true;
      });
      if (changed) sealChecksum(bytes);
      return { bytes };
    },
  }),
);

/** Filters are written sorted by kind and domain instead of in the order asked for. */
const encoderFilterOrder = defineMutant(
  {
    id: "seg-encode-filters-sorted",
    description: "the writer sorts the filters by kind and domain instead of keeping the order asked for",
    rules: ["ATXI-INV-008"],
    capabilities: ["segment-encode"],
  },
  ({ ref }) => ({
    "seg.encode": (a) => {
      const filters = a.input?.filters;
      if (!Array.isArray(filters)) return ref["seg.encode"](a);
      const rank = (f: { kind: string; domain: string }) => `${f.kind}/${f.domain}`;
      const sorted = [...filters].sort((x, y) => (rank(x) < rank(y) ? -1 : rank(x) > rank(y) ? 1 : 0));
      return ref["seg.encode"]({ input: { ...a.input, filters: sorted } });
    },
  }),
);

const bloomFewerProbes = defineMutant(
  {
    id: "bloom-k-minus-one",
    description: "the bloom writer sets k - 1 = 6 probes per key instead of DEC-009's 7",
    rules: ["ATXI-FLT-007"],
    capabilities: ["filter-bloom"],
  },
  ({ ref }) => ({
    "filter.build": (a) => {
      if (a.kind !== "bloom" || !Array.isArray(a.keys)) return ref["filter.build"](a);
      ref["filter.build"](a); // argument checks, as the reference makes them
      const keys = a.keys.map((k) => BigInt(k));
      return { payload: encodeBloomPayload(bloomWith(1, keys, BLOOM_SEED, BLOOM_NUM_HASHES - 1)) };
    },
  }),
);

/**
 * The xor8 fingerprint is salted with a constant, (h ^ h >> 32 ^ 0xa5) mod 256. Build and probe agree with
 * each other (each key's first index is in block 0, so flipping block 0 by the salt is exactly that filter),
 * but neither agrees with DEC-010.
 */
const XOR8_SALT = 0xa5;
function saltBlock0(payload: Uint8Array): Uint8Array {
  const out = payload.slice();
  if (out.length < 16) return out;
  const bl = new DataView(out.buffer).getUint32(8, true);
  for (let i = 16; i < 16 + bl && i < out.length; i++) out[i]! ^= XOR8_SALT;
  return out;
}
const xor8Fingerprint = defineMutant(
  {
    id: "xor8-salted-fingerprint",
    description:
      "xor8 fingerprints are (h ^ h >> 32 ^ 0xa5) mod 256 instead of DEC-010's (h ^ h >> 32) mod 256",
    rules: ["ATXI-FLT-008"],
    capabilities: ["filter-xor"],
  },
  ({ ref }) => ({
    "filter.build": (a) => {
      const r = ref["filter.build"](a);
      return a.kind === "xor8" ? { payload: saltBlock0(r.payload) } : r;
    },
    "filter.probe": (a) =>
      a.kind === "xor8" && a.payload instanceof Uint8Array
        ? ref["filter.probe"]({ ...a, payload: saltBlock0(a.payload) })
        : ref["filter.probe"](a),
  }),
);

export const segmentCodecMutants: Mutant[] = [
  checksumNotVerified,
  checksumWrongRange,
  segmentIdBigEndian,
  reservedAccepted,
  badRoleWrongCode,
  anyVersionAccepted,
  encoderBloomSeed,
  encoderFilterOrder,
  bloomFewerProbes,
  xor8Fingerprint,
];
