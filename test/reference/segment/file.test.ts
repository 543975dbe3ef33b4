// Segments as files: the streamed writer writes exactly encodeSegment's bytes (DEC-025), refuses what the
// reader would refuse and leaves no file behind; a DiskSegment read on demand through a sparse index
// answers every query at every S as the decoded segment does, whatever the block size.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { generateSegmentVectors } from "../../../authoring/cases/segments/index.ts";
import { SegmentSet } from "../../../reference/query/segment-set.ts";
import { decodeSegment, verifySegment } from "../../../reference/segment/decode.ts";
import { encodeSegment, sealChecksum } from "../../../reference/segment/encode.ts";
import { DiskSegment } from "../../../reference/segment/file.ts";
import { verifySegmentFile } from "../../../reference/segment/file-verify.ts";
import { aslBatch, tgkBatch, writeSegmentFile } from "../../../reference/segment/file-writer.ts";
import type { AslRecord, TgkRecord } from "../../../reference/segment/model.ts";
import { ARTIFACT_POOL, EDGE_IDS, logArb, segmentsOf } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "asl-file-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `s${n++}.seg`);

const sorted = <T extends { logseq: bigint }>(rs: T[], id: (r: T) => bigint) =>
  [...rs].sort((a, b) => (id(a) !== id(b) ? (id(a) < id(b) ? -1 : 1) : a.logseq < b.logseq ? -1 : 1));

/** Splits bytes into batches of 1..k records. */
function batches(bytes: Uint8Array, k: number) {
  return {
    count: bytes.length / 24,
    *batches() {
      for (let o = 0, i = 0; o < bytes.length; i++) {
        const len = 24 * (1 + (i % k));
        yield bytes.slice(o, o + len);
        o += len;
      }
    },
  };
}

describe("writeSegmentFile (streamed)", () => {
  it("[ATXI-INV-006] [ATXI-FLT-004] writes the bytes encodeSegment writes, batch sizes whatever they are", () => {
    fc.assert(
      fc.property(
        logArb.filter((o) => o.length > 0),
        fc.integer({ min: 1, max: 5 }),
        fc.subarray([1, 2] as const),
        (ops, k, blooms) => {
          const [input] = segmentsOf(ops, [], false);
          const asl = sorted([...(input!.aslRecords ?? [])] as AslRecord[], (r) => r.artifactId);
          const tgk = sorted([...(input!.tgkRecords ?? [])] as TgkRecord[], (r) => r.tgkEdgeId);
          const want = encodeSegment({
            ...input!,
            edges: undefined,
            aslRecords: asl,
            tgkRecords: tgk,
            filters: blooms.map((d) => ({ build: "bloom" as const, domain: d })),
          });
          const path = fresh();
          const { bytes } = writeSegmentFile(path, {
            segmentId: input!.segmentId,
            logseqMin: input!.logseqMin,
            logseqMax: input!.logseqMax,
            asl: batches(aslBatch(asl), k),
            tgk: batches(tgkBatch(tgk), k),
            blooms,
          });
          expect(bytes).toBe(want.length);
          expect(readFileSync(path)).toEqual(Buffer.from(want));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("[ATXI-ENC-001] refuses records out of order across a batch boundary, a repeated logseq, or a short stream, and leaves no file", () => {
    const rec = (logseq: bigint, artifactId: bigint): AslRecord => ({ logseq, artifactId, tombstone: false });
    const base = { segmentId: 1n, logseqMin: 1n, logseqMax: 10n };
    const cases: [AslRecord[][], RegExp][] = [
      [[[rec(1n, 5n)], [rec(2n, 4n)]], /SEG_RECORD_ORDER|does not follow/],
      [[[rec(1n, 4n), rec(1n, 5n)]], /logseq 1 is already used/],
      [[[rec(11n, 4n)]], /outside the header/],
    ];
    for (const [parts, msg] of cases) {
      const path = fresh();
      const count = parts.flat().length;
      expect(() =>
        writeSegmentFile(path, { ...base, asl: { count, batches: () => parts.map((p) => aslBatch(p)) } }),
      ).toThrow(msg);
      expect(existsSync(path) || existsSync(`${path}.tmp`)).toBe(false);
    }
    const path = fresh();
    expect(() =>
      writeSegmentFile(path, { ...base, asl: { count: 2, batches: () => [aslBatch([rec(1n, 1n)])] } }),
    ).toThrow(/hold 1 records, not the 2 announced/);
    expect(existsSync(path) || existsSync(`${path}.tmp`)).toBe(false);
  });
});

describe("DiskSegment (positional reads, sparse index)", () => {
  it("[ATXI-VIS-002] [ATXI-VIS-003] [ATXI-NPR-005] a set of segment files answers every query at every S as the decoded set, whatever the block size", () => {
    fc.assert(
      fc.property(
        logArb,
        fc.array(fc.nat({ max: 40 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        (ops, cuts, every, filters) => {
          const bytes = segmentsOf(ops, cuts, filters).map((i) => encodeSegment(i));
          const disk = bytes.map((b) => {
            const p = fresh();
            writeFileSync(p, b);
            return DiskSegment.open(p, { sparseEvery: every });
          });
          try {
            const mem = SegmentSet.open(
              bytes.map((b) => decodeSegment(b)),
              { smallSegmentRecords: 0 },
            );
            const onDisk = SegmentSet.open(disk, { smallSegmentRecords: 0 });
            for (let s = 0n; s <= BigInt(ops.length + 1); s++) {
              for (const a of ARTIFACT_POOL)
                expect(onDisk.lookupArtifact(s, a)).toEqual(mem.lookupArtifact(s, a));
              for (const e of EDGE_IDS) expect(onDisk.lookupEdge(s, e)).toEqual(mem.lookupEdge(s, e));
              for (let node = 0n; node < 6n; node++)
                expect(onDisk.incidentEdges(s, node, "any")).toEqual(mem.incidentEdges(s, node, "any"));
            }
          } finally {
            for (const d of disk) d.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("[ATXI-FTR-003] [ATXI-HDR-001] [ATXI-FTR-001] open refuses a short file, a bad magic and a footer_offset that is not at the end", () => {
    const good = encodeSegment({
      segmentId: 1n,
      logseqMin: 1n,
      logseqMax: 1n,
      aslRecords: [{ logseq: 1n, artifactId: 1n, tombstone: false }],
    });
    const at = (b: Uint8Array) => {
      const p = fresh();
      writeFileSync(p, b);
      return p;
    };
    expect(() => DiskSegment.open(at(good.subarray(0, 50)))).toThrow(
      expect.objectContaining({ code: "SEG_TRUNCATED" }),
    );
    const magic = good.slice();
    magic[0] = 0x42;
    expect(() => DiskSegment.open(at(magic))).toThrow(expect.objectContaining({ code: "SEG_BAD_MAGIC" }));
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    expect(() => DiskSegment.open(at(longer))).toThrow(
      expect.objectContaining({ code: "SEG_BAD_FOOTER_OFFSET" }),
    );
    const ok = DiskSegment.open(at(good));
    expect(ok.asl.record(0)).toEqual({ logseq: 1n, artifactId: 1n, typeTag: undefined, tombstone: false });
    ok.close();
  });
});

describe("verifySegmentFile (streamed, bounded memory)", () => {
  const vectors = generateSegmentVectors();
  const write = (b: Uint8Array) => {
    const p = fresh();
    writeFileSync(p, b);
    return p;
  };
  const same = (b: Uint8Array) => {
    const mem = verifySegment(b);
    const file = verifySegmentFile(write(b));
    if (file.ok) file.segment.close();
    if (mem.ok) return expect(file.ok).toBe(true);
    expect(file.ok ? "ok" : [file.error.code, file.error.offset, file.step]).toEqual([
      mem.error.code,
      mem.error.offset,
      mem.step,
    ]);
  };
  it("[ATXI-DEC-001] [ATXI-DEC-002] reports for every malformed vector the code, offset and step the in-memory reader reports; passes every valid one", () => {
    expect(vectors.malformed.length).toBeGreaterThan(50);
    for (const m of vectors.malformed) same(m.bytes);
    for (const s of vectors.segments) same(s.bytes);
  });
  it("[ATXI-DEC-002] agrees with the in-memory reader on random mutations, re-sealed or not", () => {
    const bases = vectors.segments.slice(0, 6).map((s) => s.bytes);
    fc.assert(
      fc.property(
        fc.nat({ max: bases.length - 1 }),
        fc.array(fc.record({ at: fc.nat(), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (base, edits, reseal) => {
          const b = bases[base]!.slice();
          for (const e of edits) b[e.at % b.length] = e.value;
          if (reseal && b.length >= 96) sealChecksum(b);
          same(b);
        },
      ),
      { numRuns: 300 },
    );
  });
});
