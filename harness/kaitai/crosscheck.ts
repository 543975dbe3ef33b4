// The Kaitai Struct description of a segment (spec/formats/asl_tgk_index_segment.ksy) as an independent
// second reader of the golden vectors (issue 4): the .ksy was written from DEC-001..DEC-014 without the
// reference codec, so where the two agree on every vector, neither has misread the layout in the same way.
//
// - Every valid vector: the Kaitai parse (every lazy instance read) is turned into the protocol's decoded
//   form (spec/protocol.md section 6) and compared field by field, 64-bit fields as exact decimal strings
//   built from the lo/hi halves (never through a JS number), with the reference decoder's form of the same
//   bytes and with the manifest's committed `decoded`.
// - Every invalid vector: EXPRESSIBILITY below says, from the manifest's expected error (step, code and,
//   where that is not enough, the field or the header flag), whether the defect is one of the .ksy's
//   `valid`/`contents`/framing constraints. Kaitai must reject those; the others are listed, not judged.
// Rules: ATXI-LAY-001 and the layout rules the .ksy cites; ATXI-INV-001 (exact 64-bit values).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DecodedSegment } from "../../adapters/interface.ts";
import { decodedWire } from "../../adapters/reference/segments.ts";
import { toWire } from "../../adapters/wire.ts";
import type { CheckStep } from "../../reference/segment/check-order.ts";
import { decodeSegment } from "../../reference/segment/decode.ts";
import { VECTORS_DIR } from "../vectors/files.ts";
import {
  type KAccelBlock,
  type KaitaiParse,
  type KaitaiParseError,
  type KaitaiSegment,
  type KBloomPayload,
  type KFilter,
  type KNodeEdgeRef,
  type KU64,
  type KXor8Payload,
  loadKaitaiParser,
  u64,
} from "./compile.ts";

// ---------------------------------------------------------------------------------------------------
// Which reader checks the .ksy can express.

/** A condition on the file that some rows need, when the step and code do not settle it. */
export type RowCondition = "projection-flag-clear" | "projection-flag-set";

export interface ExpressibilityRow {
  step: CheckStep;
  code: string;
  /** Only when the manifest's `field` is exactly this. */
  field?: string;
  /** Only when the file satisfies this. */
  when?: RowCondition;
  expressible: boolean;
  /** The .ksy clause that rejects the defect, or why no clause can. */
  because: string;
}

/**
 * The expressibility table: the first row matching an invalid vector's expected error decides. Derived
 * from spec/errors.yaml `reader_check_order` (its checks) and the .ksy's doc ("What Kaitai cannot
 * express"). A (step, code) pair no row names is a problem of the cross-check, so a new kind of invalid
 * vector cannot slip through unjudged. Paths are the .ksy's (the srcPath a Kaitai validation error names).
 */
export const EXPRESSIBILITY: readonly ExpressibilityRow[] = [
  {
    step: "size",
    code: "SEG_TRUNCATED",
    expressible: true,
    because: "the header reads past the end (EOF), or footer_offset + 32 != _io.size (/types/header/seq/9)",
  },
  {
    step: "magic",
    code: "SEG_BAD_MAGIC",
    expressible: true,
    because: "contents: ATXI (/types/header/seq/0)",
  },
  {
    step: "version",
    code: "SEG_UNSUPPORTED_VERSION",
    expressible: true,
    because: "valid: 1 (/types/header/seq/1)",
  },
  {
    step: "footer",
    code: "SEG_BAD_FOOTER_OFFSET",
    expressible: true,
    because: "footer_offset a multiple of 8 with footer_offset + 32 = _io.size (/types/header/seq/9)",
  },
  {
    step: "checksum",
    code: "SEG_CHECKSUM_MISMATCH",
    expressible: false,
    because: "XXH64 (DEC-006): Kaitai expressions have no hash functions",
  },
  {
    step: "header-flags",
    code: "SEG_RESERVED_NONZERO",
    expressible: true,
    because: "header flag bits 1..15 zero (/types/header/seq/2)",
  },
  {
    step: "section-bounds",
    code: "SEG_BAD_SECTION_BOUNDS",
    expressible: true,
    because: "record_area_offset (/types/header/seq/8, seq/9) and footer.filter_bytes (/types/footer/seq/3)",
  },
  {
    step: "record-counts",
    code: "SEG_BAD_RECORD_COUNT",
    expressible: true,
    because:
      "records end at or before footer_offset (/types/header/seq/9), footer byte counts (/types/footer/seq/1, seq/2)",
  },
  {
    step: "filter-framing",
    code: "SEG_BAD_FILTER_HEADER",
    expressible: true,
    because: "filter_area is exactly `repeat: eos` frames: an overrun is an end-of-stream error",
  },
  {
    step: "filter-framing",
    code: "SEG_RESERVED_NONZERO",
    expressible: true,
    because: "filter padding valid: 0 (/types/filter/seq/2)",
  },
  {
    step: "accel-framing",
    code: "SEG_BAD_ACCEL_BLOCK",
    expressible: true,
    because:
      "accel_area is exactly `repeat: eos` frames (EOF on overrun); node-edge-ref size a multiple of 32 (/types/accel_block_header/seq/3)",
  },
  {
    step: "accel-framing",
    code: "SEG_RESERVED_NONZERO",
    expressible: true,
    because:
      "known block flags zero (/types/accel_block_header/seq/2), padding valid: 0 (/types/accel_block/seq/2)",
  },
  {
    step: "projection-flag",
    code: "SEG_BAD_NODE_REF",
    when: "projection-flag-clear",
    expressible: true,
    because: "a node-edge-ref block needs HAS_NODE_PROJECTIONS (/types/accel_block_header/seq/3)",
  },
  {
    step: "projection-flag",
    code: "SEG_BAD_NODE_REF",
    when: "projection-flag-set",
    expressible: false,
    because: "flag set with no node-edge-ref block, or two blocks: an aggregate over the block list",
  },
  {
    step: "logseq-bounds",
    code: "SEG_LOGSEQ_RANGE",
    expressible: true,
    because: "1 <= logseq_min <= logseq_max on the halves (/types/header/seq/4, seq/5)",
  },
  ...(["asl", "tgk"] as const).flatMap((kind): ExpressibilityRow[] => {
    const step = kind === "asl" ? "asl-records" : "tgk-records";
    const t = `/types/${kind}_record`;
    return [
      {
        step,
        code: "SEG_RESERVED_NONZERO",
        expressible: true,
        because: `${kind === "asl" ? `reserved byte (${t}/seq/4), ` : ""}flag bits 1..15 (${t}/seq/5)`,
      },
      { step, code: "SEG_BAD_BOOLEAN", expressible: true, because: `has_* <= 1 (${t}/seq/3)` },
      {
        step,
        code: "SEG_ABSENT_FIELD_NONZERO",
        expressible: true,
        because: `absent value zero (${t}/seq/3)`,
      },
      {
        step,
        code: "SEG_TOMBSTONE_WITH_PAYLOAD",
        expressible: true,
        because: `tombstone flags (${t}/seq/5)`,
      },
      {
        step,
        code: "SEG_LOGSEQ_RANGE",
        expressible: true,
        because: `logseq in the header's range (${t}/seq/0)`,
      },
      { step, code: "SEG_RECORD_ORDER", expressible: true, because: `strictly after prev (${t}/seq/1)` },
    ];
  }),
  {
    step: "tgk-records",
    code: "SEG_BAD_ROLE",
    expressible: true,
    because: "role in-enum (/types/tgk_record/seq/4)",
  },
  {
    step: "logseq-unique",
    code: "SEG_DUPLICATE_LOGSEQ",
    expressible: false,
    because: "no logseq shared by two records (ATXI-VIS-005): a search over both record lists",
  },
  {
    step: "node-refs",
    code: "SEG_RESERVED_NONZERO",
    expressible: true,
    because: "reserved contents: [0 x 7] (/types/node_edge_ref/seq/4)",
  },
  {
    step: "node-refs",
    code: "SEG_BAD_NODE_REF",
    field: "node_edge_ref.tgk_edge_id",
    expressible: false,
    because: "a ref matching a live TGK record (ATXI-NPR-002): a search over the TGK records",
  },
  {
    step: "node-refs",
    code: "SEG_BAD_NODE_REF",
    expressible: true,
    because: "logseq bounds (/types/node_edge_ref/seq/0), position and order (/types/node_edge_ref/seq/3)",
  },
  {
    step: "filter-contents",
    code: "SEG_BAD_FILTER_PARAMS",
    expressible: true,
    because:
      "domain (/types/filter_header/seq/2), bloom m, k and size (/types/bloom_payload/seq/0, seq/1), xor8 size (/types/xor8_payload/seq/1)",
  },
  {
    step: "filter-contents",
    code: "SEG_RESERVED_NONZERO",
    expressible: true,
    because:
      "filter flag bits 2..31 (/types/filter_header/seq/2), unused bloom bits (/types/bloom_payload/seq/3), xor8 reserved (/types/xor8_payload/seq/2)",
  },
  {
    step: "filter-completeness",
    code: "SEG_FILTER_FALSE_NEGATIVE",
    expressible: false,
    because: "filter contents (ATXI-FLT-002): probing every key needs the hash functions of DEC-009/DEC-010",
  },
];

function conditionHolds(when: RowCondition, bytes: Uint8Array): boolean {
  // Header flags, u16 at offset 6, bit 0 HAS_NODE_PROJECTIONS (DEC-002, DEC-012).
  const set = bytes.length >= 8 && (bytes[6]! & 1) === 1;
  return when === "projection-flag-set" ? set : !set;
}

/** The row that decides an invalid vector, or undefined when the table has none. */
export function expressibilityOf(expected: ExpectedError, bytes: Uint8Array): ExpressibilityRow | undefined {
  return EXPRESSIBILITY.find(
    (r) =>
      r.step === expected.step &&
      r.code === expected.code &&
      (r.field === undefined || r.field === expected.field) &&
      (r.when === undefined || conditionHolds(r.when, bytes)),
  );
}

// ---------------------------------------------------------------------------------------------------
// The manifest, as much of it as the cross-check reads.

export interface ExpectedError {
  code: string;
  stage: string;
  step: string;
  offset: number;
  field: string;
  rule: string;
}

/** The protocol's decoded form as JSON: DecodedSegment with payloads as base64 (spec/protocol.md 6). */
export type DecodedSegmentJson = Omit<DecodedSegment, "filters" | "accel_blocks"> & {
  filters: (Omit<DecodedSegment["filters"][number], "payload"> & { payload: string })[];
  accel_blocks: (Omit<DecodedSegment["accel_blocks"][number], "payload"> & { payload: string })[];
};

export interface SegmentCase {
  id: string;
  file: string;
  result: "valid" | "invalid";
  decoded?: DecodedSegmentJson;
  expected_error?: ExpectedError;
  mutations?: { offset: number; before: string; after: string; reseal?: boolean }[];
}

/** Reads vectors/segments/manifest.json (or the one under `vectorsDir`), failing loudly on a bad shape. */
export function readSegmentManifest(vectorsDir: string = VECTORS_DIR): SegmentCase[] {
  const path = join(vectorsDir, "segments", "manifest.json");
  const m = JSON.parse(readFileSync(path, "utf8")) as { cases?: unknown };
  if (!Array.isArray(m.cases)) throw new Error(`${path}: no "cases" array`);
  return m.cases.map((c: SegmentCase, i: number) => {
    const where = `${path}: cases[${i}]`;
    if (typeof c.file !== "string") throw new Error(`${where} has no "file"`);
    if (c.result === "valid" && typeof c.decoded !== "object") throw new Error(`${where} has no "decoded"`);
    if (c.result === "invalid" && typeof c.expected_error?.code !== "string")
      throw new Error(`${where} has no "expected_error"`);
    if (c.result !== "valid" && c.result !== "invalid")
      throw new Error(`${where}: result ${String(c.result)}`);
    return c;
  });
}

// ---------------------------------------------------------------------------------------------------
// Kaitai's parse in the protocol's decoded form.

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

// ---------------------------------------------------------------------------------------------------
// The cross-check.

export interface CrossCheckProblem {
  file: string;
  message: string;
}

export interface CrossCheckResult {
  problems: CrossCheckProblem[];
  /** Valid vectors Kaitai parsed and that were compared field by field. */
  checkedValid: number;
  /** Invalid vectors with an expressible defect that Kaitai rejected. */
  rejectedInvalid: number;
  /** Invalid vectors whose defect the .ksy cannot express; `kaitai` says what it did anyway. */
  notExpressible: { file: string; code: string; because: string; kaitai: string }[];
  /** Invalid vectors the table calls expressible (rejectedInvalid equals this when there are no problems). */
  expressibleInvalid: number;
  /** For each rejected invalid vector, the Kaitai error (name and .ksy path). */
  rejections: { file: string; code: string; kaitai: string }[];
}

/** A Kaitai validation or end-of-stream error; anything else thrown by the parser is a crash. */
function isKaitaiError(e: unknown): e is KaitaiParseError {
  return e instanceof Error && /^(EOFError|UnexpectedDataError|Validation\w+Error)$/.test(e.name);
}

const describeError = (e: KaitaiParseError): string =>
  e.srcPath === undefined ? e.name : `${e.name} at ${e.srcPath}`;

type Parsed = { ok: true; segment: KaitaiSegment } | { ok: false; error: unknown };

function tryParse(parse: KaitaiParse, bytes: Uint8Array): Parsed {
  try {
    return { ok: true, segment: parse(bytes) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The reference decoder's form of `bytes` as JSON (u64 strings, base64 payloads). */
export function referenceDecoded(bytes: Uint8Array): DecodedSegmentJson {
  return toWire(decodedWire(decodeSegment(bytes).toSegment())) as DecodedSegmentJson;
}

/**
 * Runs the Kaitai parser over every segment vector under `vectorsDir` (default vectors/): valid ones
 * compared field by field with the reference decoder and the manifest, invalid ones judged by
 * EXPRESSIBILITY. Returns every disagreement as a problem naming the file and the field path.
 */
export async function kaitaiCrossCheck(vectorsDir: string = VECTORS_DIR): Promise<CrossCheckResult> {
  const parse = await loadKaitaiParser();
  const result: CrossCheckResult = {
    problems: [],
    checkedValid: 0,
    rejectedInvalid: 0,
    notExpressible: [],
    expressibleInvalid: 0,
    rejections: [],
  };
  const problem = (file: string, message: string) => result.problems.push({ file, message });

  for (const c of readSegmentManifest(vectorsDir)) {
    const file = c.file;
    const bytes = new Uint8Array(readFileSync(join(vectorsDir, file)));
    const parsed = tryParse(parse, bytes);

    if (c.result === "valid") {
      if (!parsed.ok) {
        const e = parsed.error;
        problem(file, `Kaitai rejects a valid vector: ${isKaitaiError(e) ? e.message : String(e)}`);
        continue;
      }
      const mine = kaitaiDecoded(parsed.segment);
      let reference: DecodedSegmentJson;
      try {
        reference = referenceDecoded(bytes);
      } catch (e) {
        problem(file, `the reference decoder rejects a valid vector: ${String(e)}`);
        continue;
      }
      for (const d of compareDecoded(mine, reference)) problem(file, `${d} (reference decoder)`);
      for (const d of compareDecoded(mine, c.decoded!)) problem(file, `${d} (manifest "decoded" of ${c.id})`);
      result.checkedValid++;
      continue;
    }

    const expected = c.expected_error!;
    const row = expressibilityOf(expected, bytes);
    const defect = `${expected.code} (${expected.step}: ${expected.field} at offset ${expected.offset})`;
    if (row === undefined) {
      problem(
        file,
        `no row of EXPRESSIBILITY (harness/kaitai/crosscheck.ts) covers step ${expected.step} code ${expected.code}: add one`,
      );
      continue;
    }
    const outcome = parsed.ok
      ? "parsed"
      : isKaitaiError(parsed.error)
        ? `rejected: ${describeError(parsed.error)}`
        : `crashed: ${String(parsed.error)}`;
    if (!parsed.ok && !isKaitaiError(parsed.error)) {
      // A TypeError or RangeError is the generated parser (or the .ksy) failing, not a rejection.
      problem(file, `the Kaitai parser crashed instead of rejecting ${defect}: ${String(parsed.error)}`);
      continue;
    }
    if (!row.expressible) {
      result.notExpressible.push({ file, code: expected.code, because: row.because, kaitai: outcome });
      continue;
    }
    result.expressibleInvalid++;
    if (parsed.ok) {
      problem(
        file,
        `Kaitai parses it cleanly, but its defect ${defect} is one the .ksy expresses: ${row.because}`,
      );
      continue;
    }
    result.rejectedInvalid++;
    result.rejections.push({
      file,
      code: expected.code,
      kaitai: describeError(parsed.error as KaitaiParseError),
    });
  }
  return result;
}
