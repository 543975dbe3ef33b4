// Mutants written blind, from the spec alone: helpers the blind mutants share. A seg.query handler over a
// segment reader of the mutant's own (so a reader defect shows in queries as it does in seg.decode), the
// DEC-029 answer to one query as the reference gives it, and small byte helpers.
import { AslError } from "../../../reference/common/errors.ts";
import { SegmentSet } from "../../../reference/query/segment-set.ts";
import type { DecodedSegment } from "../../../reference/segment/decode.ts";
import { sealChecksum } from "../../../reference/segment/encode.ts";
import type { Answer, Handlers, Outcome, Query, DecodedSegment as WireSegment } from "../../interface.ts";
import { bytesArg, u64 } from "../../reference/convert.ts";
import { aslHitWire, decodedWire, tgkHitWire } from "../../reference/segments.ts";

export const U64_MAX = (1n << 64n) - 1n;
const U64_TEXT = /^(0|[1-9][0-9]{0,19})$/;

/** The value of a well-formed u64 wire string, or undefined (the reference then answers the malformed one). */
export function u64Text(v: unknown): bigint | undefined {
  if (typeof v !== "string" || !U64_TEXT.test(v)) return undefined;
  const n = BigInt(v);
  return n <= U64_MAX ? n : undefined;
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function getU64(bytes: Uint8Array, at: number): bigint {
  return view(bytes).getBigUint64(at, true);
}

/** A copy of `bytes` with `change` applied and the footer checksum sealed again (DEC-006). */
export function patched(bytes: Uint8Array, change: (copy: Uint8Array) => void): Uint8Array {
  const copy = bytes.slice();
  change(copy);
  sealChecksum(copy);
  return copy;
}

/** What a mutant reader gives: the segment it read, and what it reports differently in seg.decode. */
export interface BlindRead {
  seg: DecodedSegment;
  patch?: (w: WireSegment) => void;
}

/** The reference's DEC-029 answer to one query over an opened set (adapters/reference/segments.ts). */
export function answerQuery(set: SegmentSet, q: Query, useFilters: boolean): Answer {
  const at = u64(q.at, "query.at");
  const opts = { useFilters };
  switch (q.kind) {
    case "artifact": {
      const r = set.lookupArtifact(at, u64(q.artifact_id, "query.artifact_id"), opts);
      return r === undefined ? { found: false } : { found: true, record: aslHitWire(r) };
    }
    case "edge": {
      const r = set.lookupEdge(at, u64(q.tgk_edge_id, "query.tgk_edge_id"), opts);
      return r === undefined ? { found: false } : { found: true, record: tgkHitWire(r) };
    }
    case "incident":
      if (q.role !== "from" && q.role !== "to" && q.role !== "any")
        throw new AslError("PROTO_BAD_REQUEST", "role must be from, to or any", { field: "query.role" });
      return {
        edges: set
          .incidentEdges(at, u64(q.node_id, "query.node_id"), q.role, opts)
          .map((r) => r.tgkEdgeId.toString()),
      };
    default:
      throw new AslError(
        "PROTO_BAD_REQUEST",
        `unknown query kind ${JSON.stringify((q as { kind?: unknown }).kind)}`,
        { field: "query.kind" },
      );
  }
}

/** Runs each query, an AslError becoming that query's error answer (as the reference does). */
export function answerAll<T>(queries: readonly Query[], one: (q: Query) => T): Outcome<T>[] {
  return queries.map((q) => {
    try {
      return { ok: one(q) };
    } catch (e) {
      if (!(e instanceof AslError)) throw e;
      return { error: { code: e.code, message: e.message } };
    }
  });
}

/** seg.decode and seg.query over a mutant reader: the defect shows wherever segments are read. */
export function readerHandlers(
  read: (bytes: Uint8Array) => BlindRead,
): Pick<Handlers, "seg.decode" | "seg.query"> {
  return {
    "seg.decode": (a) => {
      const r = read(bytesArg(a.bytes, "bytes"));
      const w = decodedWire(r.seg.toSegment());
      r.patch?.(w);
      return { segment: w };
    },
    "seg.query": (a) => {
      if (!Array.isArray(a.segments) || !Array.isArray(a.queries))
        throw new AslError("PROTO_BAD_REQUEST", "segments and queries must be arrays");
      const set = SegmentSet.open(a.segments.map((b, i) => read(bytesArg(b, `segments[${i}]`)).seg));
      return {
        answers: answerAll<Answer>(a.queries, (q) => answerQuery(set, q, a.use_filters !== false)),
      };
    },
  };
}
