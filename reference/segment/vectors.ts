// The golden segment vectors of ENC-ASL-TGK-INDEX, generated deterministically by the reference engine:
// valid segments with their expected decoded content and single-segment queries, segment sets with queries
// at many snapshots (the visibility edge cases of section 10) and the QRY_* errors, and malformed segments
// derived from valid ones by recorded mutations, each with one expected error (code, stage, step, offset,
// field, rule). Plain objects: u64 as decimal strings, bytes as Uint8Array; case ids are assigned here,
// never by hand; every flag is explained once in `notes` (Wycheproof style).
// Rules: ATXI-DEC-001, ATXI-INV-006, ATXI-INV-008 and those each case lists.
import type { ErrorCode } from "../common/errors.ts";
import { type IncidenceRole, SegmentSet } from "../query/segment-set.ts";
import { type ErrorStage, stageOf } from "./check-order.ts";
import { decodeSegment, verifySegment } from "./decode.ts";
import { encodeSegment, segmentInput } from "./encode.ts";
import { aslRecordJson, type Json, segmentJson, tgkRecordJson } from "./json.ts";
import type { InvalidDraft, Mutation } from "./mutations.ts";
import { invalidDrafts } from "./vectors-invalid.ts";
import { NOTES, type VectorNote } from "./vectors-notes.ts";
import { EID, type SetInput, type ValidInput, validInputs, visibilitySet } from "./vectors-valid.ts";

export type { Mutation } from "./mutations.ts";
export type { VectorNote } from "./vectors-notes.ts";
export { NOTES } from "./vectors-notes.ts";

export interface QueryCase {
  op: "artifact" | "edge" | "incident";
  s: string;
  key: string;
  role?: IncidenceRole;
  expected: { result: Json } | { error: ErrorCode };
}

export interface ValidSegmentCase {
  tcId: number;
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  result: "valid";
  bytes: Uint8Array;
  expected: Json;
  /** Queries over this segment alone. */
  queries: QueryCase[];
}

export interface InvalidSegmentCase {
  tcId: number;
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  result: "invalid";
  derivedFrom: string;
  mutations: Mutation[];
  bytes: Uint8Array;
  expected: { code: ErrorCode; stage: ErrorStage; step: string; offset: number; field: string; rule: string };
}

export interface SegmentSetCase {
  tcId: number;
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  result: "valid" | "invalid";
  /** Names of valid segment cases, in the order the set is opened. */
  members: string[];
  /** When opening the set fails: the one error (stage query). */
  openError?: { code: ErrorCode; stage: ErrorStage };
  queries: QueryCase[];
}

export interface SegmentVectorSuite {
  notes: Record<string, VectorNote>;
  segments: ValidSegmentCase[];
  malformed: InvalidSegmentCase[];
  sets: SegmentSetCase[];
}

const ROLES: IncidenceRole[] = ["from", "to", "any"];

function answer(run: () => Json): QueryCase["expected"] {
  try {
    return { result: run() };
  } catch (e) {
    if (e instanceof Error && "code" in e) return { error: (e as { code: ErrorCode }).code };
    throw e;
  }
}

/** Queries at every probe snapshot; answers from the reference with filters off, checked equal with them on. */
function queries(set: SegmentSet, probe: ValidInput["probe"]): QueryCase[] {
  const out: QueryCase[] = [];
  const both = (run: (useFilters: boolean) => Json): QueryCase["expected"] => {
    const off = answer(() => run(false));
    const on = answer(() => run(true));
    if (JSON.stringify(off) !== JSON.stringify(on))
      throw new Error("vectors: filters changed a query answer");
    return off;
  };
  for (const s of probe.snapshots) {
    for (const k of probe.artifacts) {
      out.push({
        op: "artifact",
        s: s.toString(),
        key: k.toString(),
        expected: both((useFilters) => {
          const r = set.lookupArtifact(s, k, { useFilters });
          return r ? aslRecordJson(r) : null;
        }),
      });
    }
    for (const k of probe.edges) {
      out.push({
        op: "edge",
        s: s.toString(),
        key: k.toString(),
        expected: both((useFilters) => {
          const r = set.lookupEdge(s, k, { useFilters });
          return r ? tgkRecordJson(r) : null;
        }),
      });
    }
    for (const n of probe.nodes) {
      for (const role of ROLES) {
        out.push({
          op: "incident",
          s: s.toString(),
          key: n.toString(),
          role,
          expected: both((useFilters) => set.incidentEdges(s, n, role, { useFilters }).map(tgkRecordJson)),
        });
      }
    }
  }
  return out;
}

export function generateSegmentVectors(): SegmentVectorSuite {
  let tcId = 0;
  const segments: ValidSegmentCase[] = [];
  const bytesByName = new Map<string, Uint8Array>();
  const addValid = (v: ValidInput, withQueries: boolean) => {
    const bytes = encodeSegment(v.input);
    const seg = decodeSegment(bytes).toSegment();
    const again = encodeSegment(segmentInput(seg));
    if (again.length !== bytes.length || again.some((x, i) => x !== bytes[i]))
      throw new Error(`vectors: ${v.name} does not re-encode to its bytes`);
    bytesByName.set(v.name, bytes);
    const qs = withQueries ? queries(SegmentSet.fromBytes([bytes]), v.probe) : [];
    segments.push({
      tcId: ++tcId,
      name: v.name,
      rules: [...new Set(v.rules)].sort(),
      flags: v.flags,
      comment: v.comment,
      result: "valid",
      bytes,
      expected: segmentJson(seg),
      queries: qs,
    });
  };
  for (const v of validInputs()) addValid(v, true);
  const vis: SetInput = visibilitySet();
  for (const m of vis.members) addValid(m, false);
  const extra = (name: string, comment: string, input: ValidInput["input"]): ValidInput => ({
    name,
    rules: ["ATXI-LAY-001", "ATXI-INV-006"],
    flags: ["SetMember"],
    comment,
    input,
    probe: { artifacts: [], edges: [], nodes: [], snapshots: [] },
  });
  addValid(
    extra("set-twin-segment-id", "shares segment_id 101 with visibility-seg1", {
      segmentId: 101n,
      logseqMin: 40n,
      logseqMax: 50n,
      aslRecords: [{ logseq: 40n, artifactId: 1n, tombstone: false }],
    }),
    false,
  );
  addValid(
    extra("set-twin-logseq", "uses logseq 3, which visibility-seg1 uses too", {
      segmentId: 200n,
      logseqMin: 1n,
      logseqMax: 10n,
      aslRecords: [{ logseq: 3n, artifactId: 0xeen, tombstone: false }],
    }),
    false,
  );
  addValid(
    extra("set-no-projections", "TGK records at 31.. and no node projections", {
      segmentId: 201n,
      logseqMin: 31n,
      logseqMax: 40n,
      tgkRecords: [{ logseq: 32n, tgkEdgeId: EID["e1"]!, role: 1, tombstone: false }],
      aslRecords: [{ logseq: 31n, artifactId: 0xaan, tombstone: false }],
    }),
    false,
  );

  const sets: SegmentSetCase[] = [];
  const addSet = (
    name: string,
    rules: string[],
    flags: string[],
    comment: string,
    members: string[],
    probe: ValidInput["probe"],
  ) => {
    let set: SegmentSet | undefined;
    let openError: SegmentSetCase["openError"];
    try {
      set = SegmentSet.fromBytes(members.map((m) => bytesByName.get(m)!));
    } catch (e) {
      const code = (e as { code: ErrorCode }).code;
      openError = { code, stage: stageOf(code) };
    }
    const c: SegmentSetCase = {
      tcId: ++tcId,
      name,
      rules,
      flags,
      comment,
      result: openError ? "invalid" : "valid",
      members,
      queries: set ? queries(set, probe) : [],
    };
    if (openError) c.openError = openError;
    sets.push(c);
  };
  const visNames = vis.members.map((m) => m.name);
  addSet(vis.name, vis.rules, vis.flags, vis.comment, visNames, vis.probe);
  addSet(
    "visibility-reversed",
    vis.rules,
    vis.flags,
    "the visibility set opened in reverse order: the answers must not change",
    [...visNames].reverse(),
    vis.probe,
  );
  addSet(
    "duplicate-segment-id",
    ["ATXI-HDR-007"],
    ["DuplicateSegmentId"],
    "two members share segment_id 101",
    [visNames[0]!, "set-twin-segment-id"],
    vis.probe,
  );
  addSet(
    "duplicate-logseq-across-segments",
    ["ATXI-VIS-005"],
    ["DuplicateLogseq"],
    "logseq 3 is used in two members",
    [visNames[0]!, "set-twin-logseq"],
    vis.probe,
  );
  addSet(
    "no-projections",
    ["ATXI-NPR-005", "ATXI-VIS-001"],
    ["NoProjections", "SegmentSkipped"],
    "incidence fails from S = 32 (a TGK record of the member without projections is visible) and answers below it",
    [...visNames, "set-no-projections"],
    { ...vis.probe, snapshots: [30n, 31n, 32n, 40n] },
  );

  const malformed: InvalidSegmentCase[] = invalidDrafts(bytesByName).map((d: InvalidDraft) => {
    const v = verifySegment(d.bytes);
    if (v.ok) throw new Error(`vectors: malformed case ${d.name} decodes`);
    const e = v.error;
    if (e.code !== d.code)
      throw new Error(`vectors: malformed case ${d.name} gives ${e.code}, written for ${d.code}`);
    const rules = [
      ...new Set([
        e.rule!,
        "ATXI-DEC-001",
        ...(d.flags.includes("HugeCount") || d.flags.includes("Truncated") ? ["ATXI-DEC-002"] : []),
        ...(d.flags.includes("Atomicity") ? ["ATXI-FTR-003"] : []),
      ]),
    ].sort();
    return {
      tcId: ++tcId,
      name: d.name,
      rules,
      flags: d.flags,
      comment: d.comment,
      result: "invalid",
      derivedFrom: d.base,
      mutations: d.mutations,
      bytes: d.bytes,
      expected: {
        code: e.code,
        stage: v.stage,
        step: v.step,
        offset: e.offset!,
        field: e.field!,
        rule: e.rule!,
      },
    };
  });
  return { notes: NOTES, segments, malformed, sets };
}
