// Check ids are derived from case names, never from counters: adding a case renames no other check, and the
// numeric ids of release 0.1 still resolve (with a note naming the new id) for one release.
import { describe, expect, it } from "vitest";
import { applyEdits, u16 } from "../../authoring/cases/segments/edits.ts";
import type { ValidInput } from "../../authoring/cases/segments/valid.ts";
import { generateVectors } from "../../authoring/generate/index.ts";
import { resolveCheckIds } from "../../catalog/ledger.ts";
import { cli } from "../helpers/cli.ts";

const idsOf = async (opts: Parameters<typeof generateVectors>[0]) => {
  const files = await generateVectors(opts);
  const index = JSON.parse(new TextDecoder().decode(files.find((f) => f.path === "index.json")!.bytes));
  return (index.checks as { id: string }[]).map((c) => c.id);
};

// A case whose name sorts before every other, with a malformed case derived from it: the fixture of "add
// one rule with one malformed vector" (README, "How to add a rule").
const added: ValidInput = {
  name: "aaa-added-first",
  rules: ["ATXI-LAY-001"],
  flags: [],
  comment: "a case added by a test",
  input: {
    segmentId: 77n,
    logseqMin: 1n,
    logseqMax: 1n,
    aslRecords: [{ logseq: 1n, artifactId: 5n, tombstone: false }],
  },
  probe: { artifacts: [5n], edges: [], nodes: [], snapshots: [1n] },
};

describe("check ids", () => {
  it("adding a valid and a malformed case adds their checks and renames none of the others", async () => {
    const before = await idsOf({});
    const after = await idsOf({
      extraSegments: {
        valid: [added],
        malformed: (valid) => [
          {
            name: "aaa-added-version-2",
            base: "aaa-added-first",
            code: "SEG_UNSUPPORTED_VERSION",
            flags: ["BadVersion"],
            comment: "version 2 in a case added by a test",
            ...applyEdits(valid.get("aaa-added-first")!, [u16(4, 2)], true),
          },
        ],
      },
    });
    expect(after.filter((id) => !before.includes(id)).sort()).toEqual([
      "vec/seg/aaa-added-first/decode",
      "vec/seg/aaa-added-first/encode",
      "vec/seg/aaa-added-first/query",
      "vec/seg/aaa-added-version-2/reject",
    ]);
    expect(before.filter((id) => !after.includes(id))).toEqual([]);
  });

  it("resolves the old numeric ids to the new ones, saying so", () => {
    const known = new Set(["vec/seg/asl-order-swapped/reject"]);
    const r = resolveCheckIds(
      ["vec/seg-0057/reject", "vec/nope"],
      new Set([...known, "vec/seg/full/decode"]),
    );
    expect(r.unknown).toEqual(["vec/nope"]);
    expect(r.ids.length).toBe(1);
    expect(r.notes[0]).toMatch(
      /^check id vec\/seg-0057\/reject is now vec\/seg\/[a-z0-9.-]+\/reject \(old ids are accepted until/,
    );
  });

  it("accepts an old id in run --check, with a note naming the new one", () => {
    const r = cli(["run", "--check", "vec/unit-0001", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/note: check id vec\/unit-0001 is now vec\/unit\/tgk-edge-id\/e1/);
    expect(r.stdout).toMatch(/^1 passed, 0 failed/m);
  });
});
