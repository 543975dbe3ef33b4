// The cases of the golden segment vectors of ENC-ASL-TGK-INDEX, made deterministically with the reference
// codec: valid segments (each re-encoded to prove its bytes) with the queries to ask of them, segment sets
// with queries at many snapshots (the visibility edge cases of section 10) and the QRY_* errors, and
// malformed segments derived from valid ones by recorded mutations, each with the one error the reader
// reports (code, stage, step, offset, field, rule). Cases are named, and a case's name is its id: adding
// one renames no other. Answers are not computed here: authoring/generate asks the reference adapter,
// so the vectors hold the protocol's wire form only. Every flag is explained once in `notes`.
// Rules: ATXI-DEC-001, ATXI-INV-006, ATXI-INV-008 and those each case lists.
import type { ErrorCode } from "../../../reference/common/errors.ts";
import type { IncidenceRole } from "../../../reference/query/segment-set.ts";
import type { ErrorStage } from "../../../reference/segment/check-order.ts";
import { decodeSegment, verifySegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, segmentInput } from "../../../reference/segment/encode.ts";
import { adequacySets } from "../adequacy/query.ts";
import { adequacySegmentDrafts, adequacySegmentInputs } from "../adequacy/segment.ts";
import type { CheckRef, InvalidDraft, Mutation } from "./edits.ts";
import { invalidDrafts } from "./invalid.ts";
import { NOTES, type VectorNote } from "./notes.ts";
import { EID, orderSets, type SetInput, type ValidInput, validInputs, visibilitySet } from "./valid.ts";

export type { CheckRef, Mutation } from "./edits.ts";
export type { VectorNote } from "./notes.ts";
export { NOTES } from "./notes.ts";

/** A single-segment or set query, before its answer is computed (by the reference adapter, in generate). */
export interface QueryCase {
  op: "artifact" | "edge" | "incident";
  s: string;
  key: string;
  role?: IncidenceRole;
}

export interface ValidSegmentCase {
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  bytes: Uint8Array;
  /** Queries over this segment alone. */
  queries: QueryCase[];
  /** Checks this segment passes exactly at their limit (authoring only; not written to the vectors). */
  inside: CheckRef[];
}

export interface InvalidSegmentCase {
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  derivedFrom: string;
  mutations: Mutation[];
  bytes: Uint8Array;
  expected: { code: ErrorCode; stage: ErrorStage; step: string; offset: number; field: string; rule: string };
  /** The check the case was written for (authoring only; not written to the vectors). */
  target?: CheckRef;
  /**
   * A two-defect case: the error of its other defect alone, which a reader that ran the two checks in the
   * other order would report instead (authoring only).
   */
  other?: { target: CheckRef; code: ErrorCode; step: string; offset: number };
}

export interface SegmentSetCase {
  name: string;
  rules: string[];
  flags: string[];
  comment: string;
  /** Names of valid segment cases, in the order the set is opened. */
  members: string[];
  queries: QueryCase[];
}

export interface SegmentVectorSuite {
  notes: Record<string, VectorNote>;
  segments: ValidSegmentCase[];
  malformed: InvalidSegmentCase[];
  sets: SegmentSetCase[];
}

const ROLES: IncidenceRole[] = ["from", "to", "any"];

/** Queries at every probe snapshot: each probed artifact, edge, and node in every role. */
function queries(probe: ValidInput["probe"]): QueryCase[] {
  const out: QueryCase[] = [];
  for (const s of probe.snapshots) {
    for (const k of probe.artifacts) out.push({ op: "artifact", s: s.toString(), key: k.toString() });
    for (const k of probe.edges) out.push({ op: "edge", s: s.toString(), key: k.toString() });
    for (const n of probe.nodes)
      for (const role of ROLES) out.push({ op: "incident", s: s.toString(), key: n.toString(), role });
  }
  return out;
}

/** Cases a test adds to the generated ones (to show that adding a case renames no other). */
export interface ExtraCases {
  valid?: ValidInput[];
  malformed?: (valid: ReadonlyMap<string, Uint8Array>) => InvalidDraft[];
}

export function generateSegmentVectors(added: ExtraCases = {}): SegmentVectorSuite {
  const segments: ValidSegmentCase[] = [];
  const bytesByName = new Map<string, Uint8Array>();
  const addValid = (v: ValidInput, withQueries: boolean) => {
    const bytes = encodeSegment(v.input);
    const again = encodeSegment(segmentInput(decodeSegment(bytes).toSegment()));
    if (again.length !== bytes.length || again.some((x, i) => x !== bytes[i]))
      throw new Error(`vectors: ${v.name} does not re-encode to its bytes`);
    bytesByName.set(v.name, bytes);
    segments.push({
      name: v.name,
      rules: [...new Set(v.rules)].sort(),
      flags: v.flags,
      comment: v.comment,
      bytes,
      queries: withQueries ? queries(v.probe) : [],
      inside: v.inside ?? [],
    });
  };
  for (const v of [...validInputs(), ...adequacySegmentInputs(), ...(added.valid ?? [])]) addValid(v, true);
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
    for (const m of members)
      if (!bytesByName.has(m)) throw new Error(`vectors: set ${name} names unknown segment ${m}`);
    sets.push({ name, rules, flags, comment, members, queries: queries(probe) });
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
  // A duplicate logseq between members that are not next to each other in logseq_min order: A [1, 10]
  // holds 9, B [2, 3] lies inside A's range, C [4, 12] holds 9 again. A reader comparing each member with
  // its predecessor only (B ends at 3 < C's 4) misses it; the whole set must be refused.
  for (const [name, min, max, logseq, id] of [
    ["set-dup-far-a", 1n, 10n, 9n, 0x61n],
    ["set-dup-far-b", 2n, 3n, 2n, 0x62n],
    ["set-dup-far-c", 4n, 12n, 9n, 0x63n],
  ] as const)
    addValid(
      extra(
        name,
        `a member of duplicate-logseq-not-adjacent (logseqs ${min}..${max}, a record at ${logseq})`,
        {
          segmentId: 300n + id,
          logseqMin: min,
          logseqMax: max,
          aslRecords: [{ logseq, artifactId: id, tombstone: false }],
        },
      ),
      false,
    );
  addSet(
    "duplicate-logseq-not-adjacent",
    ["ATXI-VIS-005"],
    ["DuplicateLogseq"],
    "logseq 9 is used in the first and the last member, and the member between them does not overlap the last",
    ["set-dup-far-a", "set-dup-far-b", "set-dup-far-c"],
    { artifacts: [0x61n], edges: [], nodes: [], snapshots: [9n] },
  );
  addSet(
    "no-projections",
    ["ATXI-NPR-005", "ATXI-VIS-001"],
    ["NoProjections", "SegmentSkipped"],
    "incidence fails from S = 32 (a TGK record of the member without projections is visible) and answers below it",
    [...visNames, "set-no-projections"],
    { ...vis.probe, snapshots: [30n, 31n, 32n, 40n] },
  );
  // Sets opened in every order of their members (four members or more: the given order and its reverse):
  // answers depend on logseqs, never on the order the segments are given in (DEC-029).
  for (const set of orderSets()) {
    for (const m of set.members) addValid(m, false);
    const letters = set.members.map((m) => m.name.slice(set.name.length + 1));
    const orders = letters.length <= 3 ? permutations(letters) : [letters, [...letters].reverse()];
    for (const order of orders)
      addSet(
        `${set.name}-given-${order.join("-")}`,
        set.rules,
        set.flags,
        `${set.comment}; opened in the order ${order.join(", ")}`,
        order.map((l) => `${set.name}-${l}`),
        set.probe,
      );
  }

  for (const set of adequacySets()) {
    for (const m of set.members) addValid(m, false);
    addSet(
      set.name,
      set.rules,
      set.flags,
      set.comment,
      set.members.map((m) => m.name),
      set.probe,
    );
  }

  const drafts = [
    ...invalidDrafts(bytesByName),
    ...adequacySegmentDrafts(bytesByName),
    ...(added.malformed?.(bytesByName) ?? []),
  ];
  const malformed: InvalidSegmentCase[] = drafts.map((d: InvalidDraft) => {
    const v = verifySegment(d.bytes);
    if (v.ok) throw new Error(`vectors: malformed case ${d.name} decodes`);
    const e = v.error;
    if (e.code !== d.code)
      throw new Error(`vectors: malformed case ${d.name} gives ${e.code}, written for ${d.code}`);
    if (d.target && d.target.step !== v.step)
      throw new Error(
        `vectors: malformed case ${d.name} fails in step ${v.step}, written for ${d.target.step}`,
      );
    const other = d.second ? otherDefect(d, e.code, e.offset!) : undefined;
    const rules = [
      ...new Set([
        e.rule!,
        "ATXI-DEC-001",
        ...(d.flags.includes("HugeCount") || d.flags.includes("Truncated") ? ["ATXI-DEC-002"] : []),
        ...(d.flags.includes("Atomicity") ? ["ATXI-FTR-003"] : []),
      ]),
    ].sort();
    return {
      name: d.name,
      rules,
      flags: d.flags,
      comment: d.comment,
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
      ...(d.target ? { target: d.target } : {}),
      ...(other ? { other } : {}),
    };
  });
  return { notes: NOTES, segments, malformed, sets };
}

/**
 * A two-defect case must hold two defects: the first alone gives the case's error, the second alone gives
 * another (another code or another offset), in the step it was written for.
 */
function otherDefect(d: InvalidDraft, code: ErrorCode, offset: number): InvalidSegmentCase["other"] {
  const second = d.second!;
  const first = verifySegment(d.firstBytes!);
  if (first.ok || first.error.code !== code || first.error.offset !== offset)
    throw new Error(`vectors: the first defect of ${d.name} alone does not give the case's error`);
  const v = verifySegment(second.bytes);
  if (v.ok) throw new Error(`vectors: the second defect of ${d.name} alone decodes`);
  if (v.error.code !== second.code || v.step !== second.target.step)
    throw new Error(
      `vectors: the second defect of ${d.name} alone gives ${v.error.code} in ${v.step}, written for ${second.code} in ${second.target.step}`,
    );
  if (v.error.code === code && v.error.offset === offset)
    throw new Error(`vectors: the two defects of ${d.name} give the same error`);
  return { target: second.target, code: v.error.code, step: v.step, offset: v.error.offset! };
}

/** Every order of `items` (for the small sets: 2 or 3 members). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}
