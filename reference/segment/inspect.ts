// `inspectSegment`: the byte map of a segment for people (the CLI's `asl-conform inspect`): every header
// field, filter, record, block, node-edge ref and footer field with its offset, size and value, as far as
// the reader got, then the one error of DEC-027 (code, step, stage, offset, field, rule) if there is one.
// Rules: ATXI-DEC-001 (the error shown is the reader's), ATXI-LAY-001 (the offsets shown are DEC-002's).
import { isAslError } from "../common/errors.ts";
import type { CheckStep, ErrorStage } from "./check-order.ts";
import { READER_CHECK_ORDER, stageOf } from "./check-order.ts";
import { type DecodeProgress, runChecks } from "./decode.ts";
import { AR, F, FOOTER_SIZE, FR, H, HEADER_SIZE, NR, TR } from "./layout.ts";
import { type Frame, SegmentReader } from "./reader.ts";

export interface InspectField {
  name: string;
  offset: number;
  size: number;
  /** u64 values as decimal strings (DEC-032), smaller integers as numbers, bytes as hex. */
  value: string | number;
}

export interface InspectItem {
  kind: "header" | "filter" | "asl-record" | "tgk-record" | "accel-block" | "node-ref" | "footer";
  index?: number;
  offset: number;
  size: number;
  fields: InspectField[];
}

export interface InspectError {
  code: string;
  message: string;
  step: CheckStep;
  stage: ErrorStage;
  offset: number | undefined;
  field: string | undefined;
  rule: string | undefined;
}

export interface InspectReport {
  size: number;
  ok: boolean;
  /** The checks of DEC-027 that passed, in order. */
  passed: CheckStep[];
  items: InspectItem[];
  /** How many records/refs were left out by `maxRecords`. */
  omitted: number;
  error?: InspectError;
}

export interface InspectOptions {
  /** At most this many records of each kind are listed (default: all). */
  maxRecords?: number;
}

type Spec = readonly [name: string, offset: number, size: 1 | 2 | 4 | 8];

const HEADER_FIELDS: Spec[] = [
  ["magic", H.magic, 4],
  ["version", H.version, 2],
  ["flags", H.flags, 2],
  ["segment_id", H.segmentId, 8],
  ["logseq_min", H.logseqMin, 8],
  ["logseq_max", H.logseqMax, 8],
  ["asl_record_count", H.aslRecordCount, 8],
  ["tgk_record_count", H.tgkRecordCount, 8],
  ["record_area_offset", H.recordAreaOffset, 8],
  ["footer_offset", H.footerOffset, 8],
];
const FOOTER_FIELDS: Spec[] = [
  ["checksum", F.checksum, 8],
  ["asl_record_bytes", F.aslRecordBytes, 8],
  ["tgk_record_bytes", F.tgkRecordBytes, 8],
  ["filter_bytes", F.filterBytes, 8],
];
const FRAME_FIELDS: Spec[] = [
  ["type", FR.type, 2],
  ["version", FR.version, 2],
  ["flags", FR.flags, 4],
  ["size_bytes", FR.sizeBytes, 8],
];
const ASL_FIELDS: Spec[] = [
  ["logseq", AR.logseq, 8],
  ["artifact_id", AR.artifactId, 8],
  ["type_tag", AR.typeTag, 4],
  ["has_type_tag", AR.hasTypeTag, 1],
  ["reserved", AR.reserved, 1],
  ["flags", AR.flags, 2],
];
const TGK_FIELDS: Spec[] = [
  ["logseq", TR.logseq, 8],
  ["tgk_edge_id", TR.tgkEdgeId, 8],
  ["edge_type_key", TR.edgeTypeKey, 4],
  ["has_edge_type", TR.hasEdgeType, 1],
  ["role", TR.role, 1],
  ["flags", TR.flags, 2],
];
const REF_FIELDS: Spec[] = [
  ["logseq", NR.logseq, 8],
  ["node_id", NR.nodeId, 8],
  ["tgk_edge_id", NR.tgkEdgeId, 8],
  ["position", NR.position, 1],
];

export function inspectSegment(bytes: Uint8Array, opts: InspectOptions = {}): InspectReport {
  const max = opts.maxRecords ?? Number.POSITIVE_INFINITY;
  const r = new SegmentReader(bytes);
  const progress: Partial<DecodeProgress> = {};
  let error: InspectError | undefined;
  try {
    runChecks(r, (p) => Object.assign(progress, p));
  } catch (e) {
    if (!isAslError(e)) throw e;
    error = {
      code: e.code,
      message: e.message,
      step: r.step,
      stage: stageOf(e.code),
      offset: e.offset,
      field: e.field,
      rule: e.rule,
    };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (specs: Spec[], base: number): InspectField[] =>
    specs.map(([name, off, size]) => {
      const o = base + off;
      let value: string | number;
      if (name === "magic")
        value = Array.from(bytes.subarray(o, o + 4), (c) => String.fromCharCode(c)).join("");
      else if (size === 8) value = dv.getBigUint64(o, true).toString();
      else if (size === 4) value = dv.getUint32(o, true);
      else if (size === 2) value = dv.getUint16(o, true);
      else value = bytes[o]!;
      return { name, offset: o, size, value };
    });
  const items: InspectItem[] = [];
  let omitted = 0;
  // Records at or past the failing one are not listed when a record pass failed.
  const limit = error?.offset ?? Number.POSITIVE_INFINITY;
  const recordStep =
    error !== undefined && ["asl-records", "tgk-records", "logseq-unique", "node-refs"].includes(error.step);
  const listTable = (
    kind: InspectItem["kind"],
    start: number,
    count: number,
    stride: number,
    specs: Spec[],
  ) => {
    for (let i = 0; i < count; i++) {
      const off = start + stride * i;
      if (recordStep && off > limit) break;
      if (i >= max) {
        omitted += count - i;
        break;
      }
      items.push({ kind, index: i, offset: off, size: stride, fields: read(specs, off) });
    }
  };
  const frameItem = (kind: InspectItem["kind"], fr: Frame, i: number): InspectItem => ({
    kind,
    index: i,
    offset: fr.offset,
    size: fr.end - fr.offset,
    fields: [
      ...read(FRAME_FIELDS, fr.offset),
      { name: "payload", offset: fr.payloadOffset, size: fr.sizeBytes, value: `${fr.sizeBytes} bytes` },
    ],
  });
  if (bytes.length >= HEADER_SIZE)
    items.push({ kind: "header", offset: 0, size: HEADER_SIZE, fields: read(HEADER_FIELDS, 0) });
  r.filterFrames.forEach((fr, i) => {
    items.push(frameItem("filter", fr, i));
  });
  if (progress.asl) listTable("asl-record", progress.asl.start, progress.asl.count, 24, ASL_FIELDS);
  if (progress.tgk) listTable("tgk-record", progress.tgk.start, progress.tgk.count, 24, TGK_FIELDS);
  r.accelFrames.forEach((fr, i) => {
    items.push(frameItem("accel-block", fr, i));
    if (progress.refs && fr.payloadOffset === progress.refs.start) {
      listTable("node-ref", progress.refs.start, progress.refs.count, 32, REF_FIELDS);
    }
  });
  if (r.footerOffset > 0)
    items.push({
      kind: "footer",
      offset: r.footerOffset,
      size: FOOTER_SIZE,
      fields: read(FOOTER_FIELDS, r.footerOffset),
    });
  const passed =
    error === undefined
      ? [...READER_CHECK_ORDER]
      : READER_CHECK_ORDER.slice(0, READER_CHECK_ORDER.indexOf(error.step));
  const report: InspectReport = { size: bytes.length, ok: error === undefined, passed, items, omitted };
  if (error) report.error = error;
  return report;
}
