// The boundary cases of the golden segment vectors (authoring/cases/segments): every check of the pinned
// reader order (spec/errors.yaml `reader_check_order`, DEC-027) is tested on both sides of its limit, every
// pair of adjacent steps by a segment with a defect in each, offsets and sizes that are aligned and in range
// but wrong, 64-bit values a double cannot tell apart, sets opened in every order, and filters at their
// extreme parameters. What is asserted is read from the generated suite (generateSegmentVectors), so a case
// removed or changed so that it no longer tests its boundary fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Query } from "../../adapters/interface.ts";
import { segmentHandlers } from "../../adapters/reference/segments.ts";
import {
  type CheckRef,
  generateSegmentVectors,
  type InvalidSegmentCase,
  type QueryCase,
  type ValidSegmentCase,
} from "../../authoring/cases/segments/index.ts";
import { canonicalJsonText } from "../../authoring/generate/canonical.ts";
import type { BloomFilter, Xor8Filter } from "../../reference/filters/filter.ts";
import { READER_CHECK_ORDER } from "../../reference/segment/check-order.ts";
import { decodeSegment, verifySegment } from "../../reference/segment/decode.ts";
import { BLOCK_TYPE_NODE_REFS } from "../../reference/segment/layout.ts";

interface SubCheck {
  code: string;
  offset: string;
  what: string;
}
interface Step {
  step: string;
  code: string;
  offset: string;
  what: string;
  checks?: SubCheck[];
}
const errorsYaml = parse(readFileSync(new URL("../../spec/errors.yaml", import.meta.url), "utf8")) as {
  reader_check_order: Step[];
};
const ORDER = errorsYaml.reader_check_order;
/** Every (step, sub-check) of the order, with the code it reports; a step without sub-checks is one. */
const SUB_CHECKS: { ref: CheckRef; code: string; what: string }[] = ORDER.flatMap((s) =>
  (s.checks ?? [{ code: s.code, offset: s.offset, what: s.what }]).map((c, check) => ({
    ref: { step: s.step as CheckRef["step"], check },
    code: c.code,
    what: c.what,
  })),
);
const key = (r: CheckRef) => `${r.step}/${r.check}`;
const codeOf = (r: CheckRef) => SUB_CHECKS.find((c) => key(c.ref) === key(r))?.code;

const suite = generateSegmentVectors();
const byName = new Map(suite.segments.map((s) => [s.name, s]));
const malformed = suite.malformed;
const pairs = malformed.filter(
  (m): m is InvalidSegmentCase & { other: NonNullable<InvalidSegmentCase["other"]> } => Boolean(m.other),
);
const P53 = 1n << 53n;
const P64 = 1n << 64n;
const u64At = (b: Uint8Array, o: number) =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(o, true);
const stepIndex = (s: string) => READER_CHECK_ORDER.indexOf(s as (typeof READER_CHECK_ORDER)[number]);

describe("boundary cases of reader_check_order (DEC-027)", () => {
  it("[ATXI-DEC-001] every malformed case names the check it is written for, and gives that check's code in that step", () => {
    for (const m of malformed) {
      expect(m.target, m.name).toBeDefined();
      expect(m.expected.step, m.name).toBe(m.target!.step);
      expect(m.expected.code, m.name).toBe(codeOf(m.target!));
    }
  });

  it("[ATXI-DEC-001] every step and sub-check has a malformed case just past its limit", () => {
    const missing = SUB_CHECKS.filter(
      (c) => !malformed.some((m) => m.target && key(m.target) === key(c.ref)),
    );
    expect(missing.map((c) => `${key(c.ref)} ${c.what}`)).toEqual([]);
  });

  it("[ATXI-DEC-001] every step and sub-check has a valid segment that passes it exactly at its limit", () => {
    const missing = SUB_CHECKS.filter(
      (c) => !suite.segments.some((v) => v.inside.some((r) => key(r) === key(c.ref))),
    );
    expect(missing.map((c) => `${key(c.ref)} ${c.what}`)).toEqual([]);
    for (const v of suite.segments) expect(verifySegment(v.bytes).ok, v.name).toBe(true);
  });

  it("[ATXI-DEC-001] the valid side of the limits is really at the limit", () => {
    const insideOf = (r: string): ValidSegmentCase[] =>
      suite.segments.filter((v) => v.inside.some((x) => key(x) === r));
    const any = (r: string, pred: (v: ValidSegmentCase) => boolean) =>
      expect(insideOf(r).some(pred), `no segment at the limit of ${r}`).toBe(true);
    const dec = (v: ValidSegmentCase) => decodeSegment(v.bytes);
    any("size/0", (v) => v.bytes.length === 96);
    any("section-bounds/0", (v) => dec(v).header.recordAreaOffset === dec(v).header.footerOffset);
    any("record-counts/3", (v) => {
      const d = dec(v);
      return d.tgk.count > 0 && d.tgk.offsetOf(d.tgk.count) === Number(d.header.footerOffset);
    });
    // The last filter / block is an empty frame of exactly 16 bytes at the end of its area.
    any("filter-framing/0", (v) => {
      const d = dec(v);
      const f = d.filterFrames.at(-1);
      return f !== undefined && f.end === Number(d.header.recordAreaOffset) && f.end - f.offset === 16;
    });
    any("accel-framing/0", (v) => {
      const d = dec(v);
      const f = d.accelFrames.at(-1);
      return f !== undefined && f.end === Number(d.header.footerOffset) && f.end - f.offset === 16;
    });
    any("accel-framing/2", (v) =>
      dec(v).accelFrames.some(
        (f) => f.type === BLOCK_TYPE_NODE_REFS && f.version !== 1 && f.sizeBytes % 32 !== 0,
      ),
    );
    const atBounds = (t: "asl" | "tgk") => (v: ValidSegmentCase) => {
      const d = dec(v);
      const ls = d[t].toArray().map((r) => r.logseq);
      return ls.includes(d.logseqMin) && ls.includes(d.logseqMax) && d.logseqMin < d.logseqMax;
    };
    any("asl-records/5", atBounds("asl"));
    any("tgk-records/6", atBounds("tgk"));
    any("node-refs/2", (v) => {
      const d = dec(v);
      const ls = d.nodeRefs?.toArray().map((r) => r.logseq) ?? [];
      return ls.includes(d.logseqMin) && ls.includes(d.logseqMax);
    });
    any("logseq-bounds/1", (v) => dec(v).logseqMin === dec(v).logseqMax);
    // Records adjacent in sort order: equal id with logseq + 1.
    any("asl-records/6", (v) => {
      const r = dec(v).asl.toArray();
      return r.some(
        (x, i) => i > 0 && x.artifactId === r[i - 1]!.artifactId && x.logseq === r[i - 1]!.logseq + 1n,
      );
    });
    any("tgk-records/3", (v) =>
      dec(v)
        .tgk.toArray()
        .some((r) => r.role === 3),
    );
    const blooms = (v: ValidSegmentCase) =>
      dec(v).filters.filter((f): f is BloomFilter => f.kind === "bloom");
    any("filter-contents/3", (v) => blooms(v).some((f) => f.numBits === 1));
    any(
      "filter-contents/4",
      (v) => blooms(v).some((f) => f.numHashes === 1) && blooms(v).some((f) => f.numHashes === 32),
    );
    any("filter-contents/6", (v) => blooms(v).some((f) => f.numBits % 8 !== 0 && f.bits.at(-1)! !== 0));
    any("filter-contents/7", (v) =>
      dec(v).filters.some((f) => f.kind === "xor8" && (f as Xor8Filter).blockLength === 1),
    );
  });

  it("[ATXI-DEC-001] every pair of adjacent steps has a case with a defect in each: the earlier step's error is expected", () => {
    for (let i = 0; i + 1 < ORDER.length; i++) {
      const [a, b] = [ORDER[i]!.step, ORDER[i + 1]!.step];
      const found = pairs.filter((m) => m.target!.step === a && m.other.target.step === b);
      expect(found.length, `no two-defect case for ${a} then ${b}`).toBeGreaterThan(0);
      // The two defects give different codes, so a reader that swaps the two steps reports the wrong code.
      expect(
        found.some((m) => m.expected.code !== m.other.code),
        `${a} then ${b}`,
      ).toBe(true);
    }
    for (const m of pairs) {
      // The case's error is its first defect's; the second alone gives another error, from a check that is
      // later in the order, or the same check of a later structure.
      expect(m.other.code !== m.expected.code || m.other.offset !== m.expected.offset, m.name).toBe(true);
      expect(stepIndex(m.other.target.step), m.name).toBeGreaterThanOrEqual(stepIndex(m.target!.step));
      if (m.other.target.step === m.target!.step && m.other.target.check < m.target!.check)
        expect(
          m.other.offset,
          `${m.name}: an earlier sub-check must be in a later structure`,
        ).toBeGreaterThan(m.expected.offset);
    }
  });

  it("[ATXI-DEC-001] every step with sub-checks has two-defect cases inside it, and each structure-walking step one across two structures", () => {
    // logseq-bounds: logseq_max < logseq_min = 0 cannot be written (u64), so its two sub-checks never both fail.
    for (const s of ORDER.filter((x) => (x.checks?.length ?? 0) > 1 && x.step !== "logseq-bounds"))
      expect(
        pairs.some((m) => m.target!.step === s.step && m.other.target.step === s.step),
        `no sub-check pair in ${s.step}`,
      ).toBe(true);
    for (const s of [
      "filter-framing",
      "accel-framing",
      "asl-records",
      "tgk-records",
      "logseq-unique",
      "node-refs",
      "filter-contents",
      "filter-completeness",
    ])
      expect(
        malformed.some((m) => m.target!.step === s && m.flags.includes("StructureOrder")),
        `no two-structure case in ${s}`,
      ).toBe(true);
  });

  it("[ATXI-HDR-005] [ATXI-HDR-006] [ATXI-FLT-001] [ATXI-ACC-001] every offset, size and count field has a defect that is aligned, in range and wrong", () => {
    const fieldsHit = new Set<string>();
    for (const m of malformed.filter((x) => x.flags.includes("AlignedWrong"))) {
      const base = byName.get(m.derivedFrom)!;
      const d = decodeSegment(base.bytes);
      const fo = Number(d.header.footerOffset);
      const frames = new Map<number, string>([
        ...d.filterFrames.map((f): [number, string] => [f.offset + 8, "filter size_bytes"]),
        ...d.accelFrames.map((f): [number, string] => [f.offset + 8, "block size_bytes"]),
      ]);
      const name = (o: number) =>
        ({ 32: "asl_record_count", 40: "tgk_record_count", 48: "record_area_offset", 56: "footer_offset" })[
          o
        ] ??
        { [fo + 8]: "asl_record_bytes", [fo + 16]: "tgk_record_bytes", [fo + 24]: "filter_bytes" }[o] ??
        frames.get(o);
      for (const mu of m.mutations.filter(
        (x) => !x.reseal && x.before.length === 16 && x.after.length === 16,
      )) {
        const field = name(mu.offset);
        if (!field) continue;
        const before = u64At(base.bytes, mu.offset);
        const after = u64At(m.bytes, mu.offset);
        expect(after, `${m.name}: ${field} unchanged`).not.toBe(before);
        expect(after, `${m.name}: ${field} out of range`).toBeLessThanOrEqual(BigInt(m.bytes.length));
        // Offsets stay multiples of 8; a size_bytes moves its frame's end by whole 8-byte words.
        if (field.endsWith("size_bytes"))
          expect((after - before) % 8n, `${m.name}: ${field} not aligned`).toBe(0n);
        else if (!field.endsWith("count")) expect(after % 8n, `${m.name}: ${field} not aligned`).toBe(0n);
        fieldsHit.add(field);
      }
    }
    expect([...fieldsHit].sort()).toEqual(
      [
        "asl_record_bytes",
        "asl_record_count",
        "block size_bytes",
        "filter size_bytes",
        "filter_bytes",
        "footer_offset",
        "record_area_offset",
        "tgk_record_bytes",
        "tgk_record_count",
      ].sort(),
    );
  });
});

describe("u64 values a double cannot tell apart", () => {
  const twins: [bigint, bigint][] = [
    [P53, P53 + 1n],
    [P64 - 1n, P64 - (1n << 10n)],
  ];
  it("the twin pairs are distinct u64 values equal as doubles (and 2^64 - 2^11 is not a twin of 2^64 - 1)", () => {
    for (const [x, y] of twins) {
      expect(x).not.toBe(y);
      expect(Number(x)).toBe(Number(y));
    }
    expect(Number(P64 - (1n << 11n))).not.toBe(Number(P64 - 1n));
  });

  const queried = (v: ValidSegmentCase, op: QueryCase["op"]) =>
    new Set(v.queries.filter((q) => q.op === op).map((q) => BigInt(q.key)));
  const hasTwins = (ids: Set<bigint>) => twins.every(([x, y]) => ids.has(x) && ids.has(y));
  /** A queried id that the segment does not hold but that equals a held one as a double. */
  const absentTwinAsked = (held: Set<bigint>, asked: Set<bigint>) =>
    [...asked].some((k) => !held.has(k) && [...held].some((h) => Number(h) === Number(k)));

  it("[ATXI-INV-001] one valid segment holds twin artifact_ids, tgk_edge_ids and logseqs, and its queries ask for each and for absent twins", () => {
    const found = suite.segments.filter((v) => {
      const d = decodeSegment(v.bytes);
      const ids = new Set(d.asl.toArray().map((r) => r.artifactId));
      const edges = new Set(d.tgk.toArray().map((r) => r.tgkEdgeId));
      const logseqs = new Set([...d.asl.toArray(), ...d.tgk.toArray()].map((r) => r.logseq));
      return (
        hasTwins(ids) &&
        hasTwins(edges) &&
        logseqs.has(P53) &&
        logseqs.has(P53 + 1n) &&
        [...twins.flat()].every((k) => queried(v, "artifact").has(k) && queried(v, "edge").has(k)) &&
        absentTwinAsked(ids, queried(v, "artifact")) &&
        absentTwinAsked(edges, queried(v, "edge")) &&
        v.queries.some((q) => BigInt(q.s) === P53) &&
        v.queries.some((q) => BigInt(q.s) === P53 + 1n)
      );
    });
    expect(found.map((v) => v.name)).not.toEqual([]);
  });

  it("[ATXI-INV-001] one valid segment holds twin node ids in its node-edge refs, and incidence queries ask for each and for absent twins", () => {
    const found = suite.segments.filter((v) => {
      const nodes = new Set(
        decodeSegment(v.bytes)
          .nodeRefs?.toArray()
          .map((r) => r.nodeId) ?? [],
      );
      const asked = queried(v, "incident");
      return hasTwins(nodes) && [...twins.flat()].every((k) => asked.has(k)) && absentTwinAsked(nodes, asked);
    });
    expect(found.map((v) => v.name)).not.toEqual([]);
  });

  it("[ATXI-HDR-007] a set holds segments whose segment_ids and logseqs are twins, and it opens", () => {
    const set = suite.sets.find((s) => {
      const ds = s.members.map((m) => decodeSegment(byName.get(m)!.bytes));
      const ids = new Set(ds.map((d) => d.segmentId));
      const ls = new Set(ds.flatMap((d) => d.asl.toArray().map((r) => r.logseq)));
      return hasTwins(ids) && ls.has(P53) && ls.has(P53 + 1n);
    });
    expect(set).toBeDefined();
    const answers = answersOf(set!.members, set!.queries);
    expect(answers.some((a) => "error" in a)).toBe(false);
  });

  it("[ATXI-DEC-001] malformed cases hide their defect from a reader that compares as doubles", () => {
    for (const name of [
      "logseq-max-below-min-float64-equal",
      "asl-logseq-below-min-float64-equal",
      "asl-id-float64-twin-steps-back",
      "tgk-ids-float64-twins-swapped",
      "node-ref-edge-float64-twin-2p53",
      "node-ref-edge-float64-twin-2p64",
    ])
      expect(malformed.find((m) => m.name === name)?.flags, name).toContain("Float64Twins");
  });
});

function wireQuery(q: QueryCase): Query {
  if (q.op === "artifact") return { kind: "artifact", artifact_id: q.key, at: q.s };
  if (q.op === "edge") return { kind: "edge", tgk_edge_id: q.key, at: q.s };
  return { kind: "incident", node_id: q.key, role: q.role ?? "any", at: q.s };
}
function answersOf(members: string[], queries: QueryCase[]) {
  return segmentHandlers["seg.query"]({
    segments: members.map((m) => byName.get(m)!.bytes),
    use_filters: true,
    queries: queries.map(wireQuery),
  }).answers as ({ ok: unknown } | { error: unknown })[];
}

describe("sets opened in every order (DEC-029)", () => {
  const groups = new Map<string, typeof suite.sets>();
  for (const s of suite.sets.filter((x) => x.flags.includes("SetOrder"))) {
    const g = s.name.replace(/-given-.*$/, "");
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

  it("[ATXI-VIS-002] sets of 2 and 3 members are given in every order, with the same queries", () => {
    const sizes = new Set<number>();
    for (const [g, sets] of groups) {
      const n = sets[0]!.members.length;
      if (n > 3) continue;
      sizes.add(n);
      const orders = new Set(sets.map((s) => s.members.join(",")));
      expect(orders.size, g).toBe(factorial(n));
      for (const s of sets)
        expect(canonicalJsonText(s.queries), s.name).toBe(canonicalJsonText(sets[0]!.queries));
    }
    expect([...sizes].sort()).toEqual([2, 3]);
  });

  it("[ATXI-VIS-001] [ATXI-VIS-003] the queries ask at every member's logseq_min and logseq_max and one either side, and the answers do not depend on the order", () => {
    for (const [g, sets] of groups) {
      const ds = sets[0]!.members.map((m) => decodeSegment(byName.get(m)!.bytes));
      const snapshots = new Set(sets[0]!.queries.map((q) => BigInt(q.s)));
      if (sets[0]!.members.length <= 3)
        for (const d of ds)
          for (const s of [
            d.logseqMin - 1n,
            d.logseqMin,
            d.logseqMin + 1n,
            d.logseqMax - 1n,
            d.logseqMax,
            d.logseqMax + 1n,
          ])
            expect(snapshots.has(s), `${g}: S = ${s}`).toBe(true);
      const first = canonicalJsonText(answersOf(sets[0]!.members, sets[0]!.queries));
      for (const s of sets.slice(1))
        expect(canonicalJsonText(answersOf(s.members, s.queries)), s.name).toBe(first);
    }
  });

  it("[ATXI-VIS-003] in each small set a tombstone of one member hides a record of another, and member ranges overlap", () => {
    for (const [g, sets] of groups) {
      const ds = sets[0]!.members.map((m) => decodeSegment(byName.get(m)!.bytes));
      const shadows = ds.some((d, i) =>
        d.asl
          .toArray()
          .some(
            (t) =>
              t.tombstone &&
              ds.some(
                (o, j) =>
                  j !== i &&
                  o.asl.toArray().some((r) => r.artifactId === t.artifactId && r.logseq < t.logseq),
              ),
          ),
      );
      expect(shadows, g).toBe(true);
      if (sets[0]!.members.length <= 3)
        expect(
          ds.some((d, i) =>
            ds.some((o, j) => j !== i && d.logseqMin <= o.logseqMax && o.logseqMin <= d.logseqMax),
          ),
          `${g}: no overlapping ranges`,
        ).toBe(true);
    }
  });
});

describe("filters at their extreme parameters (DEC-009, DEC-010, DEC-011)", () => {
  const filtersOf = (v: ValidSegmentCase) => decodeSegment(v.bytes).filters;
  const some = (pred: (v: ValidSegmentCase) => boolean) => suite.segments.some(pred);
  it("[ATXI-FLT-007] [ATXI-FLT-009] valid segments hold blooms with num_bits 1 and num_hashes 1 and 32", () => {
    const blooms = suite.segments.flatMap((v) =>
      filtersOf(v).filter((f): f is BloomFilter => f.kind === "bloom"),
    );
    expect(blooms.some((f) => f.numBits === 1 && f.numHashes === 1)).toBe(true);
    expect(blooms.some((f) => f.numBits === 1 && f.numHashes === 32)).toBe(true);
  });
  it("[ATXI-FLT-008] [ATXI-FLT-009] a valid segment holds an xor8 filter with block_length 1", () => {
    expect(some((v) => filtersOf(v).some((f) => f.kind === "xor8" && f.blockLength === 1))).toBe(true);
  });
  it("[ATXI-FLT-002] valid segments hold known filters over no keys, of both kinds", () => {
    for (const kind of ["bloom", "xor8"])
      expect(
        some((v) => {
          const d = decodeSegment(v.bytes);
          const keys = { 1: d.asl.count, 2: d.tgk.count, 3: d.nodeRefs?.count ?? 0 };
          return d.filters.some((f) => f.kind !== "unknown" && f.kind === kind && keys[f.domain] === 0);
        }),
        kind,
      ).toBe(true);
  });
  it("[ATXI-FLT-006] valid segments hold unknown types and unknown versions of the known types next to known filters", () => {
    const mixed = (pred: (t: number, ver: number) => boolean) =>
      some((v) => {
        const fs = filtersOf(v);
        return (
          fs.some((f) => f.kind !== "unknown") &&
          fs.some((f) => f.kind === "unknown" && pred(f.filterType, f.version))
        );
      });
    expect(mixed((t) => t !== 1 && t !== 2)).toBe(true);
    expect(mixed((t, ver) => t === 1 && ver !== 1)).toBe(true);
    expect(mixed((t, ver) => t === 2 && ver !== 1)).toBe(true);
  });
});
