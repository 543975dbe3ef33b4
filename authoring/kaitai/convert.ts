// Kaitai's parse of a segment in the protocol's decoded form (spec/protocol.md section 6), as the
// cross-check of the golden vectors (crosscheck.ts) compares it: every 64-bit field an exact decimal
// string built from the .ksy's lo/hi u4 halves (never through a JS number), payloads as base64, known
// filter payloads rebuilt from the fields Kaitai parsed. Also the reference decoder's form of the same
// bytes, and the field-by-field comparison of two forms that names each differing path.
// Rules: ATXI-LAY-001 and the layout rules the .ksy cites; ATXI-INV-001 (exact 64-bit values).
import type { DecodedSegment } from "../../adapters/interface.ts";
import { decodedWire } from "../../adapters/reference/segments.ts";
import { toWire } from "../../adapters/wire.ts";
import { decodeSegment } from "../../reference/segment/decode.ts";
import {
  type KAccelBlock,
  type KaitaiSegment,
  type KBloomPayload,
  type KFilter,
  type KNodeEdgeRef,
  type KU64,
  type KXor8Payload,
  u64,
} from "./compile.ts";

/** The protocol's decoded form as JSON: DecodedSegment with payloads as base64 (spec/protocol.md 6). */
export type DecodedSegmentJson = Omit<DecodedSegment, "filters" | "accel_blocks"> & {
  filters: (Omit<DecodedSegment["filters"][number], "payload"> & { payload: string })[];
  accel_blocks: (Omit<DecodedSegment["accel_blocks"][number], "payload"> & { payload: string })[];
};

const dec = (x: KU64): string => u64(x).toString();
const base64 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");

/** Little-endian u32 words then raw bytes, as the payload types of the .ksy lay them out. */
function words(ws: readonly number[], tail: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 * ws.length + tail.length);
  const dv = new DataView(out.buffer);
  for (const [i, w] of ws.entries()) dv.setUint32(4 * i, w, true);
  out.set(tail, 4 * ws.length);
  return out;
}

/**
 * A filter's payload bytes. A known filter's payload is rebuilt from the fields Kaitai parsed (not taken
 * from the raw slice), so the comparison checks what Kaitai understood m, k, seed, block_length to be.
 */
function filterPayload(f: KFilter): Uint8Array {
  if (f.payload instanceof Uint8Array) return f.payload;
  if (f.header.knownKind === 1) {
    const p = f.payload as KBloomPayload;
    return words([p.numBits, p.numHashes, p.seed.lo, p.seed.hi], p.bits);
  }
  const p = f.payload as KXor8Payload;
  return words([p.seed.lo, p.seed.hi, p.blockLength, p.reserved], p.fingerprints);
}

type NodeRefsBlock = KAccelBlock & { payload: { refs: KNodeEdgeRef[] } };

/** Block type 1 version 1 (the only known kind): its payload was parsed as node_edge_refs. */
function isNodeRefsBlock(b: KAccelBlock): b is NodeRefsBlock {
  return b.header.isKnown && !(b.payload instanceof Uint8Array);
}

/** The decoded form (spec/protocol.md section 6) of a Kaitai parse, every u64 exact from its halves. */
export function kaitaiDecoded(k: KaitaiSegment): DecodedSegmentJson {
  const h = k.header;
  const f = k.footer;
  const blocks = k.accelArea.blocks;
  const refBlocks = blocks.filter(isNodeRefsBlock);
  return {
    header: {
      version: h.version,
      flags: h.flags,
      segment_id: dec(h.segmentId),
      logseq_min: dec(h.logseqMin),
      logseq_max: dec(h.logseqMax),
      asl_record_count: dec(h.aslRecordCount),
      tgk_record_count: dec(h.tgkRecordCount),
      record_area_offset: dec(h.recordAreaOffset),
      footer_offset: dec(h.footerOffset),
    },
    filters: k.filterArea.filters.map((x) => ({
      filter_type: x.header.filterType,
      version: x.header.version,
      flags: x.header.flags,
      payload: base64(filterPayload(x)),
    })),
    asl_records: k.aslRecords.map((r) => ({
      logseq: dec(r.logseq),
      artifact_id: dec(r.artifactId),
      type_tag: r.typeTag,
      has_type_tag: r.hasTypeTag,
      flags: r.flags,
    })),
    tgk_records: k.tgkRecords.map((r) => ({
      logseq: dec(r.logseq),
      tgk_edge_id: dec(r.tgkEdgeId),
      edge_type_key: r.edgeTypeKey,
      has_edge_type: r.hasEdgeType,
      role: r.role,
      flags: r.flags,
    })),
    node_refs:
      refBlocks.length === 0
        ? null
        : refBlocks.flatMap((b) =>
            b.payload.refs.map((r) => ({
              logseq: dec(r.logseq),
              node_id: dec(r.nodeId),
              tgk_edge_id: dec(r.tgkEdgeId),
              position: r.position as 1 | 2,
            })),
          ),
    accel_blocks: blocks
      .filter((b) => !isNodeRefsBlock(b))
      .map((b) => ({
        block_type: b.header.blockType,
        version: b.header.version,
        flags: b.header.flags,
        payload: base64(b.payload as Uint8Array),
      })),
    footer: {
      checksum: dec(f.checksum),
      asl_record_bytes: dec(f.aslRecordBytes),
      tgk_record_bytes: dec(f.tgkRecordBytes),
      filter_bytes: dec(f.filterBytes),
    },
  };
}

/** The reference decoder's form of `bytes` as JSON (u64 strings, base64 payloads). */
export function referenceDecoded(bytes: Uint8Array): DecodedSegmentJson {
  return toWire(decodedWire(decodeSegment(bytes).toSegment())) as DecodedSegmentJson;
}

// ---------------------------------------------------------------------------------------------------
// Field-by-field comparison.

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function firstPayloadDifference(a: string, b: string): string {
  const x = Buffer.from(a, "base64");
  const y = Buffer.from(b, "base64");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return `payload bytes differ from byte ${i} (${x.length} bytes from Kaitai, ${y.length} expected)`;
}

function diff(path: string, a: unknown, b: unknown, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} entries from Kaitai, ${b.length} expected`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  const isObj = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in a)) out.push(`${p}: missing from Kaitai's form, expected ${show(b[key])}`);
      else if (!(key in b)) out.push(`${p}: Kaitai gives ${show(a[key])}, not in the expected form`);
      else diff(p, a[key], b[key], out);
    }
    return;
  }
  // Leaves are numbers and strings (u64 as decimal strings, payloads as base64): === is exact.
  if (a === b) return;
  if (path.endsWith(".payload") && typeof a === "string" && typeof b === "string")
    out.push(`${path}: ${firstPayloadDifference(a, b)}`);
  else out.push(`${path}: Kaitai ${show(a)}, expected ${show(b)}`);
}

/** Every field where Kaitai's decoded form differs from `expected`, as "path: Kaitai x, expected y". */
export function compareDecoded(kaitai: DecodedSegmentJson, expected: DecodedSegmentJson): string[] {
  const out: string[] = [];
  diff("", kaitai, expected, out);
  return out;
}
