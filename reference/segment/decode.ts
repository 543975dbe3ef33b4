// Decoding and verifying an ENC-ASL-TGK-INDEX segment: `decodeSegment` runs every check of DEC-027 in order
// and returns a DecodedSegment whose records stay in the buffer (lazy tables) until asked for;
// `verifySegment` answers with a result instead of throwing; `toSegment` materializes plain objects.
// The caller must not change the bytes afterwards: the tables read them in place (ATXI-INV-006).
// Rules: ATXI-DEC-001, ATXI-DEC-002, and through the passes it runs, every decode rule of the document.
import { type AslError, isAslError } from "../common/errors.ts";
import type { KnownFilter, SegmentFilter } from "../filters/filter.ts";
import type { CheckStep, ErrorStage } from "./check-order.ts";
import { stageOf } from "./check-order.ts";
import { checkFilterCompleteness, parseFilters } from "./filter-check.ts";
import { NODE_REF_SIZE } from "./layout.ts";
import type { AccelBlock, Segment, SegmentFooter, SegmentHeader } from "./model.ts";
import { checkNodeRefs, NodeRefTable } from "./projections.ts";
import { type Frame, SegmentReader } from "./reader.ts";
import { AslTable, checkRecords, checkUniqueLogseqs, TgkTable } from "./records.ts";
import { wordView } from "./words.ts";

export class DecodedSegment {
  constructor(
    readonly bytes: Uint8Array,
    readonly header: SegmentHeader,
    readonly footer: SegmentFooter,
    /** Filters in file order, unknown ones verbatim. */
    readonly filters: readonly SegmentFilter[],
    readonly filterFrames: readonly Frame[],
    readonly accelFrames: readonly Frame[],
    readonly asl: AslTable,
    readonly tgk: TgkTable,
    /** undefined when the segment carries no node projections. */
    readonly nodeRefs: NodeRefTable | undefined,
  ) {}

  get segmentId(): bigint {
    return this.header.segmentId;
  }
  get logseqMin(): bigint {
    return this.header.logseqMin;
  }
  get logseqMax(): bigint {
    return this.header.logseqMax;
  }
  get hasNodeProjections(): boolean {
    return this.nodeRefs !== undefined;
  }

  /** The first known filter of a domain, if any (the one a query consults). */
  filterFor(domain: 1 | 2 | 3): KnownFilter | undefined {
    for (const f of this.filters) if (f.kind !== "unknown" && f.domain === domain) return f;
    return undefined;
  }

  accelBlocks(): AccelBlock[] {
    return this.accelFrames.map((fr) => {
      if (this.nodeRefs !== undefined && fr.payloadOffset === this.nodeRefs.start)
        return { kind: "node-refs", refs: this.nodeRefs.toArray() };
      return {
        kind: "unknown",
        blockType: fr.type,
        version: fr.version,
        flags: fr.flags,
        payload: this.bytes.subarray(fr.payloadOffset, fr.payloadOffset + fr.sizeBytes),
      };
    });
  }

  /** Every record as plain objects (allocates; for tests, vectors, re-encoding and small segments). */
  toSegment(): Segment {
    return {
      header: { ...this.header },
      filters: [...this.filters],
      aslRecords: this.asl.toArray(),
      tgkRecords: this.tgk.toArray(),
      accelBlocks: this.accelBlocks(),
      nodeRefs: this.nodeRefs?.toArray(),
      footer: { ...this.footer },
    };
  }
}

export interface RunChecksOptions {
  /**
   * builtFilters[n] true: filter n was built by the writer from this segment's own keys, so the
   * filter-completeness step leaves it out (complete by construction; see checkFilterCompleteness).
   * Only the writer's self-check passes it; a reader checks every known filter.
   */
  builtFilters?: readonly boolean[];
}

/** Runs every step of DEC-027 on `r`; returns the decoded segment or throws the first failure. */
export function runChecks(
  r: SegmentReader,
  progress?: (s: Partial<DecodeProgress>) => void,
  opts: RunChecksOptions = {},
): DecodedSegment {
  r.readStructure();
  const h = r.header!;
  const b = r.bounds!;
  const words = wordView(r.bytes);
  const asl = new AslTable(words, r.recordAreaOffset, r.aslCount);
  const tgk = new TgkTable(words, r.tgkStart, r.tgkCount);
  const nf = r.nodeRefsFrame >= 0 ? r.accelFrames[r.nodeRefsFrame]! : undefined;
  const refs = nf ? new NodeRefTable(words, nf.payloadOffset, nf.sizeBytes / NODE_REF_SIZE) : undefined;
  progress?.({ asl, tgk, refs });
  r.step = "asl-records";
  checkRecords(asl, "asl", b);
  r.step = "tgk-records";
  checkRecords(tgk, "tgk", b);
  r.step = "logseq-unique";
  checkUniqueLogseqs(asl, tgk, h.logseqMin, h.logseqMax);
  r.step = "node-refs";
  if (refs) checkNodeRefs(refs, tgk, b);
  r.step = "filter-contents";
  const filters = parseFilters(r.bytes, r.filterFrames);
  progress?.({ filters });
  r.step = "filter-completeness";
  checkFilterCompleteness(filters, r.filterFrames, asl, tgk, refs, opts.builtFilters);
  return new DecodedSegment(r.bytes, h, r.footer!, filters, r.filterFrames, r.accelFrames, asl, tgk, refs);
}

/** What the checks had built when they stopped (for inspect). */
export interface DecodeProgress {
  asl: AslTable;
  tgk: TgkTable;
  refs: NodeRefTable | undefined;
  filters: SegmentFilter[];
}

/** Decodes and fully validates a segment; throws exactly one AslError on the first failing check. */
export function decodeSegment(bytes: Uint8Array): DecodedSegment {
  const r = new SegmentReader(bytes);
  try {
    return runChecks(r);
  } catch (e) {
    throw asAslError(e, r.step);
  }
}

/** Anything but an AslError escaping the checks is a bug in the reader; it is reported, never hidden. */
function asAslError(e: unknown, step: CheckStep): AslError {
  if (isAslError(e)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  throw new Error(`segment reader bug in step ${step}: ${msg}`, { cause: e });
}

export type VerifyResult =
  | { ok: true; segment: DecodedSegment }
  | { ok: false; error: AslError; step: CheckStep; stage: ErrorStage };

/** decodeSegment as a result: ok with the segment, or the one error with its step and stage. */
export function verifySegment(bytes: Uint8Array): VerifyResult {
  const r = new SegmentReader(bytes);
  try {
    return { ok: true, segment: runChecks(r) };
  } catch (e) {
    const error = asAslError(e, r.step);
    return { ok: false, error, step: r.step, stage: stageOf(error.code) };
  }
}

/** Decodes and materializes (decodeSegment(bytes).toSegment()). */
export function readSegment(bytes: Uint8Array): Segment {
  return decodeSegment(bytes).toSegment();
}
