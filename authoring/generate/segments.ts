// vectors/segments and vectors/sets: every valid segment with its decoded form, encoder input and
// single-segment queries; every malformed segment with its one expected error; every set of segments with
// its queries (or the error opening it gives). Answers come from the reference adapter's handlers, the
// code an implementation's answers are compared against, in the protocol's wire form.
import type { Capability, Query } from "../../adapters/interface.ts";
import { decodedWire, encoderInputWire, segmentHandlers } from "../../adapters/reference/segments.ts";
import type { IndexEntry, QueryCase } from "../../harness/vectors/read.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { decodeSegment } from "../../reference/segment/decode.ts";
import type { SegmentInput as RefInput } from "../../reference/segment/encode.ts";
import {
  type ExtraCases,
  generateSegmentVectors,
  type QueryCase as QuerySpec,
} from "../cases/segments/index.ts";
import { setMemberInputs, validInputs } from "../cases/segments/valid.ts";
import { answerOf, canonicalJsonText, type GeneratedPart, jsonFile, manifestHeader } from "./canonical.ts";

const DECODE_RULES = ["ATXI-LAY-001", "ATXI-DEC-001"];
const KIND_CAPABILITY: Record<number, Capability> = { 1: "filter-bloom", 2: "filter-xor" };

/**
 * The filter kind whose contents a reader must look into to find a defect at `offset` (DEC-011: a reader
 * checks the contents and completeness of the kinds it implements, and treats the others as unknown), or
 * undefined when the defect is not inside a known filter. Framing is sound here (a later step failed).
 */
function filterKindAt(bytes: Uint8Array, offset: number): Capability | undefined {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = Number(v.getBigUint64(48, true));
  for (let r = 64; r + 16 <= end; ) {
    const size = Number(v.getBigUint64(r + 8, true));
    const next = r + 16 + Math.ceil(size / 8) * 8;
    if (offset >= r && offset < next && v.getUint16(r + 2, true) === 1)
      return KIND_CAPABILITY[v.getUint16(r, true)];
    r = next;
  }
  return undefined;
}

function wireQuery(q: QuerySpec): Query {
  if (q.op === "artifact") return { kind: "artifact", artifact_id: q.key, at: q.s };
  if (q.op === "edge") return { kind: "edge", tgk_edge_id: q.key, at: q.s };
  return { kind: "incident", node_id: q.key, role: q.role ?? "any", at: q.s };
}

/** Expected answers, by the reference handlers, with filters used; checked equal with filters ignored. */
function expectedAnswers(
  segments: Uint8Array[],
  queries: Query[],
): { open_error?: { code: string; stage: "query" }; answers: QueryCase["expect"][] } {
  const run = (use_filters: boolean) =>
    segmentHandlers["seg.query"]({ segments, use_filters, queries }).answers;
  const on = answerOf(() => run(true));
  if ("error" in on) return { open_error: { code: on.error, stage: "query" }, answers: [] };
  if (canonicalJsonText(on) !== canonicalJsonText(answerOf(() => run(false))))
    throw new Error("vectors: filters changed an answer");
  const answers = (on.ok as ({ ok: unknown } | { error: { code: string } })[]).map((a) =>
    "ok" in a ? { ok: a.ok } : { error: a.error.code },
  );
  return { answers };
}

export function segmentFiles(extra: ExtraCases = {}): GeneratedPart {
  const suite = generateSegmentVectors(extra);
  const inputs = new Map<string, RefInput>(
    [...validInputs(), ...(extra.valid ?? []), ...setMemberInputs()].map((v) => [v.name, v.input]),
  );
  const entries: IndexEntry[] = [];
  const files: GeneratedPart["files"] = [];
  const fileOf = new Map<string, string>();
  const segCases: unknown[] = [];
  const add = (name: string, aspect: string, rules: string[], capabilities: Capability[]): string => {
    const id = `vec/seg/${name}/${aspect}`;
    entries.push({
      id,
      file: "segments/manifest.json",
      case: name,
      rules: [...new Set(rules)].sort(),
      capabilities,
    });
    return id;
  };
  for (const c of suite.segments) {
    const file = `segments/${c.name}.atxi`;
    fileOf.set(c.name, file);
    files.push({ path: file, bytes: c.bytes });
    const encode = inputs.has(c.name) ? encoderInputWire(inputs.get(c.name)!) : undefined;
    const queries = c.queries.map(wireQuery);
    const expected = queries.length ? expectedAnswers([c.bytes], queries) : { answers: [] };
    const checks = [add(c.name, "decode", [...c.rules, ...DECODE_RULES], ["segment-decode"])];
    if (encode) {
      // Writing a filter needs its kind (DEC-011): the encode check needs the capability of each kind asked for.
      const kinds = [
        ...new Set((encode.filters ?? []).map((f) => KIND_CAPABILITY[f.kind === "bloom" ? 1 : 2]!)),
      ];
      checks.push(
        add(
          c.name,
          "encode",
          [...c.rules, "ATXI-ENC-001", "ATXI-INV-008", "ATXI-FLT-004"].filter(
            (r) => !r.startsWith("ATXI-DEC"),
          ),
          ["segment-encode", ...kinds.sort()],
        ),
      );
    }
    if (queries.length)
      checks.push(
        add(
          c.name,
          "query",
          [
            ...c.rules.filter((r) => /VIS|FLT-003|INV-00[13]|NPR-005|HDR-007/.test(r)),
            "ATXI-VIS-002",
            "ATXI-FLT-003",
          ],
          ["segment-query"],
        ),
      );
    segCases.push({
      id: c.name,
      comment: c.comment,
      rules: c.rules,
      flags: c.flags,
      result: "valid",
      file,
      size: c.bytes.length,
      sha256: toHex(sha256(c.bytes)),
      decoded: decodedWire(decodeSegment(c.bytes).toSegment()),
      encode: encode ?? null,
      queries: queries.map((q, i) => ({ query: q, expect: expected.answers[i] })),
      checks,
    });
  }
  for (const c of suite.malformed) {
    const file = `segments/malformed/${c.name}.atxi`;
    files.push({ path: file, bytes: c.bytes });
    segCases.push({
      id: c.name,
      comment: c.comment,
      rules: c.rules,
      flags: c.flags,
      result: "invalid",
      file,
      size: c.bytes.length,
      sha256: toHex(sha256(c.bytes)),
      derived_from: c.derivedFrom,
      mutations: c.mutations,
      expected_error: c.expected,
      checks: [
        add(
          c.name,
          "reject",
          [...c.rules, "ATXI-DEC-001"],
          [
            "segment-decode",
            ...(["filter-contents", "filter-completeness"].includes(c.expected.step)
              ? [filterKindAt(c.bytes, c.expected.offset)].filter((k): k is Capability => k !== undefined)
              : []),
          ],
        ),
      ],
    });
  }
  const notes = Object.fromEntries(
    Object.entries(suite.notes).map(([k, v]) => [k, { bug_type: v.bugType, description: v.description }]),
  );
  files.push(
    jsonFile("segments/manifest.json", {
      ...manifestHeader(
        "asl-conformance/segment-vectors/2",
        "spec/schemas/vectors.schema.json",
        segCases.length,
      ),
      notes,
      cases: segCases,
    }),
  );

  const bytesOf = new Map(suite.segments.map((s) => [s.name, s.bytes]));
  const setCases = suite.sets.map((c) => {
    const members = c.members.map((m) => fileOf.get(m)!);
    const queries = c.queries.map(wireQuery);
    const exp = expectedAnswers(
      c.members.map((m) => bytesOf.get(m)!),
      queries,
    );
    const id = `vec/set/${c.name}/query`;
    entries.push({
      id,
      file: "sets/manifest.json",
      case: c.name,
      rules: [...new Set(c.rules)].sort(),
      capabilities: ["segment-query"],
    });
    return {
      id: c.name,
      comment: c.comment,
      rules: c.rules,
      flags: c.flags,
      members,
      ...(exp.open_error ? { open_error: exp.open_error } : {}),
      queries: queries.map((q, i) => (exp.open_error ? { query: q } : { query: q, expect: exp.answers[i] })),
      checks: [id],
    };
  });
  files.push(
    jsonFile("sets/manifest.json", {
      ...manifestHeader("asl-conformance/set-vectors/2", "spec/schemas/vectors.schema.json", setCases.length),
      cases: setCases,
    }),
  );
  return { files, entries };
}
