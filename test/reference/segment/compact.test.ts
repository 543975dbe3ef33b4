// Compaction (DEC-039): merging segments keeps every answer at every retained snapshot (and CURRENT),
// merging the whole set or part of it, in memory or streamed to a file; it does drop what no retained
// snapshot sees; the same input gives the same bytes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compactSegments, compactToFile } from "../../../reference/query/compact.ts";
import { SegmentSet } from "../../../reference/query/segment-set.ts";
import { type DecodedSegment, decodeSegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, type SegmentInput } from "../../../reference/segment/encode.ts";
import { DiskSegment } from "../../../reference/segment/file.ts";
import { ARTIFACT_POOL, EDGE_IDS, logArb, segmentsOf } from "./helpers.ts";

const U64_MAX = (1n << 64n) - 1n;
const dir = mkdtempSync(join(tmpdir(), "asl-compact-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function answersAt(set: SegmentSet, s: bigint, incidence: boolean): unknown[] {
  const out: unknown[] = [];
  for (const a of ARTIFACT_POOL) out.push(set.lookupArtifact(s, a));
  for (const e of EDGE_IDS) out.push(set.lookupEdge(s, e));
  if (incidence) for (let n = 0n; n < 6n; n++) out.push(set.incidentEdges(s, n, "any"));
  return out;
}

const decode = (inputs: readonly SegmentInput[]) => inputs.map((i) => decodeSegment(encodeSegment(i)));

describe("compaction (DEC-039)", () => {
  it("[ATXI-VIS-002] [ATXI-VIS-003] [ATXI-INV-008] merging all or some segments keeps every answer at every retained snapshot", () => {
    fc.assert(
      fc.property(
        logArb,
        fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
        fc.array(fc.nat({ max: 42 }), { maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        (ops, cuts, retain, pick) => {
          const segs = decode(segmentsOf(ops, cuts, true));
          const chosen = segs.filter((_, i) => pick[i % pick.length]);
          if (chosen.length === 0) return;
          const rest = segs.filter((s) => !chosen.includes(s));
          const snaps = retain.map(BigInt);
          const merged = decodeSegment(
            compactSegments(chosen, { segmentId: 999n, retain: snaps, wholeSet: rest.length === 0 }),
          );
          const before = SegmentSet.open(segs);
          const after = SegmentSet.open([...rest, merged]);
          for (const s of [...snaps, U64_MAX])
            expect(answersAt(after, s, true)).toEqual(answersAt(before, s, true));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("[ATXI-VIS-003] drops what no retained snapshot sees: shadowed records, and with the whole set a tombstone with nothing older", () => {
    const rec = (logseq: bigint, artifactId: bigint, tombstone = false) => ({
      logseq,
      artifactId,
      tombstone,
    });
    const segs: DecodedSegment[] = decode([
      { segmentId: 1n, logseqMin: 1n, logseqMax: 3n, aslRecords: [rec(1n, 7n), rec(2n, 8n), rec(3n, 9n)] },
      {
        segmentId: 2n,
        logseqMin: 4n,
        logseqMax: 6n,
        aslRecords: [rec(4n, 7n), rec(5n, 8n, true), rec(6n, 7n)],
      },
    ]);
    const count = (bytes: Uint8Array) =>
      decodeSegment(bytes)
        .asl.toArray()
        .map((r) => [r.artifactId, r.logseq, r.tombstone]);
    // CURRENT only: key 7 keeps logseq 6, key 8 its tombstone (part of a set: it may hide older records elsewhere).
    expect(count(compactSegments(segs, { segmentId: 3n, retain: [] }))).toEqual([
      [7n, 6n, false],
      [8n, 5n, true],
      [9n, 3n, false],
    ]);
    // The whole set: the tombstone of key 8 hides nothing any more.
    expect(count(compactSegments(segs, { segmentId: 3n, retain: [], wholeSet: true }))).toEqual([
      [7n, 6n, false],
      [9n, 3n, false],
    ]);
    // Snapshot 4 retained: key 7 at logseq 4 and key 8 at logseq 2 are what S = 4 sees, so they stay.
    expect(count(compactSegments(segs, { segmentId: 3n, retain: [4n], wholeSet: true }))).toEqual([
      [7n, 4n, false],
      [7n, 6n, false],
      [8n, 2n, false],
      [8n, 5n, true],
      [9n, 3n, false],
    ]);
    expect(() => compactSegments(segs, { segmentId: 3n, retain: [-1n] })).toThrow(/not a u64 snapshot/);
  });

  it("[ATXI-INV-006] the same segments give the same bytes; streamed to a file, the answers are the same as in memory", () => {
    fc.assert(
      fc.property(
        logArb.filter((o) => o.length > 0),
        fc.array(fc.nat({ max: 40 }), { maxLength: 4 }),
        fc.array(fc.nat({ max: 42 }), { maxLength: 4 }),
        (ops, cuts, retain) => {
          const inputs = segmentsOf(ops, cuts, true).map((i) => ({ ...i, edges: undefined, filters: [] }));
          const segs = decode(inputs);
          const snaps = retain.map(BigInt);
          const a = compactSegments(segs, { segmentId: 50n, retain: snaps, wholeSet: true });
          expect(compactSegments(decode(inputs), { segmentId: 50n, retain: snaps, wholeSet: true })).toEqual(
            a,
          );
          const path = join(dir, `c${Math.random().toString(36).slice(2)}.seg`);
          compactToFile(segs, path, { segmentId: 50n, retain: snaps, wholeSet: true });
          const disk = DiskSegment.open(path, { sparseEvery: 3 });
          try {
            const before = SegmentSet.open(segs);
            const after = SegmentSet.open([disk]);
            for (const s of [...snaps, U64_MAX])
              expect(answersAt(after, s, false)).toEqual(answersAt(before, s, false));
            expect(decodeSegment(new Uint8Array(readFileSync(path))).toSegment().aslRecords).toEqual(
              decodeSegment(a).toSegment().aslRecords,
            );
          } finally {
            disk.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
