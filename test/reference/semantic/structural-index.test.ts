// The structural index (DEC-017) and the materialization cache (DEC-028).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AslError } from "../../../reference/common/errors.ts";
import { sha256, sha256Parts, toHex } from "../../../reference/common/hash.ts";
import { ContentIndex } from "../../../reference/content-index/index.ts";
import { MaterializationCache, recomputeEntries } from "../../../reference/materialization-cache/index.ts";
import { createMemoryStore } from "../../../reference/store/index.ts";
import { computeSid, type DagNode, StructuralIndex } from "../../../reference/structural-index/index.ts";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AslError).code;
  }
  return "no error";
};
const hexOf = (s: string) => toHex(new TextEncoder().encode(s));
const keyOfText = (s: string) => toHex(sha256(new TextEncoder().encode(s)));

/** A DAG of literal and concat nodes, built in topological order. */
const dagArb = fc.array(
  fc.oneof(
    fc.string({ maxLength: 4 }).map((t) => ({ lit: t })),
    fc.array(fc.nat(20), { minLength: 0, maxLength: 3 }).map((ins) => ({ cat: ins })),
  ),
  { minLength: 1, maxLength: 12 },
);
function buildDag(spec: Array<{ lit: string } | { cat: number[] }>): {
  si: StructuralIndex;
  nodes: DagNode[];
  sids: string[];
} {
  const si = new StructuralIndex();
  const nodes: DagNode[] = [];
  const sids: string[] = [];
  for (const s of spec) {
    const node: DagNode =
      "lit" in s || sids.length === 0
        ? { op: "literal", params: { hex: hexOf("lit" in s ? s.lit : "") }, inputs: [] }
        : { op: "concat", params: {}, inputs: s.cat.map((i) => ({ sid: sids[i % sids.length]! })) };
    nodes.push(node);
    sids.push(si.register(node));
  }
  return { si, nodes, sids };
}

describe("structural index", () => {
  it("[IDX-SI-002] the SID is SHA-256 of the DEC-017 encoding (an independent encoding of one node)", () => {
    const node = { op: "concat", params: { z: "1", a: "é" }, inputs: [{ artifact: "ab".repeat(32) }] };
    const u32 = (n: number) => Uint8Array.of(n & 255, (n >> 8) & 255, 0, 0);
    const t = (s: string) => new TextEncoder().encode(s);
    const enc = sha256Parts([
      t("ASL-SID/1"),
      u32(6),
      t("concat"),
      u32(2),
      u32(1),
      t("a"),
      u32(2),
      t("é"),
      u32(1),
      t("z"),
      u32(1),
      t("1"),
      u32(1),
      Uint8Array.of(1),
      new Uint8Array(32).fill(0xab),
    ]);
    expect(computeSid(node)).toBe(toHex(enc));
    expect(new StructuralIndex().register(node)).toBe(toHex(enc));
  });

  it("[IDX-SI-002] nodes differing in op, a param or an input get different SIDs; param order does not matter", () => {
    const base = { op: "x", params: { a: "1", b: "2" }, inputs: [{ artifact: "00".repeat(32) }] };
    const sids = new Set([
      computeSid(base),
      computeSid({ ...base, op: "y" }),
      computeSid({ ...base, params: { a: "1", b: "3" } }),
      computeSid({ ...base, params: { a: "1" } }),
      computeSid({ ...base, inputs: [{ artifact: "01".repeat(32) }] }),
      computeSid({ ...base, inputs: [{ sid: "00".repeat(32) }] }),
    ]);
    expect(sids.size).toBe(6);
    expect(computeSid({ ...base, params: { b: "2", a: "1" } })).toBe(computeSid(base));
  });

  it("[IDX-SI-001] get returns the registered node exactly; an unregistered input SID is SI_UNKNOWN_INPUT; malformed nodes are SI_INVALID_NODE", () => {
    const si = new StructuralIndex();
    const node = { op: "literal", params: { hex: "6869" }, inputs: [] };
    const sid = si.register(node);
    expect(si.get(sid)).toEqual(node);
    expect(si.register(node)).toBe(sid);
    expect(code(() => si.register({ op: "concat", params: {}, inputs: [{ sid: "ff".repeat(32) }] }))).toBe(
      "SI_UNKNOWN_INPUT",
    );
    for (const bad of [
      null,
      { op: 1, params: {}, inputs: [] },
      { op: "x", params: { a: 1 }, inputs: [] },
      { op: "x", params: {}, inputs: [{ sid: "AB" }] },
      { op: "x", params: {}, inputs: [{ sid: "ab".repeat(32), artifact: "ab".repeat(32) }] },
      { op: "\ud800", params: {}, inputs: [] },
      { op: "x", params: {} },
    ]) {
      expect(code(() => si.register(bad))).toBe("SI_INVALID_NODE");
    }
    expect(si.size).toBe(1);
  });

  it("[IDX-SI-003] rebuilding from the DAG's nodes in any order gives an identical index", () => {
    fc.assert(
      fc.property(dagArb, fc.infiniteStream(fc.nat()), (spec, rnd) => {
        const { si, nodes } = buildDag(spec);
        const shuffled = [...nodes]
          .map((n) => [rnd.next().value as number, n] as const)
          .sort((a, b) => a[0] - b[0])
          .map(([, n]) => n);
        expect(StructuralIndex.rebuild(shuffled).entries()).toEqual(si.entries());
      }),
      { numRuns: 100 },
    );
    expect(
      code(() => StructuralIndex.rebuild([{ op: "concat", params: {}, inputs: [{ sid: "ee".repeat(32) }] }])),
    ).toBe("SI_UNKNOWN_INPUT");
  });

  it("[IDX-SI-004][IDX-DEP-002] registering nodes, with artifact inputs never stored, changes no content-index state and gives the same SID as when they are stored", () => {
    const store = createMemoryStore();
    const node = { op: "concat", params: {}, inputs: [{ artifact: keyOfText("never stored") }] };
    const sid = new StructuralIndex().register(node);
    const before = [store.current(), store.digest()];
    expect(store.structure.register(node)).toBe(sid);
    expect([store.current(), store.digest()]).toEqual(before);
    store.put(new TextEncoder().encode("never stored"));
    expect(new StructuralIndex().register(node)).toBe(sid);
  });
});

describe("materialization cache", () => {
  it("[IDX-MC-001] get gives the key last recorded for a SID, or nothing; drop forgets all", () => {
    const c = new MaterializationCache();
    const [s, k1, k2] = ["aa", "bb", "cc"].map((x) => x.repeat(32));
    expect(c.get(s!)).toBeUndefined();
    c.record(s!, k1!);
    c.record(s!, k2!);
    expect(c.get(s!)).toBe(k2);
    c.drop();
    expect(c.size).toBe(0);
    expect(code(() => c.record("x", k1!))).toBe("CI_INVALID_ARGUMENT");
  });

  it("[IDX-MC-003][IDX-DEP-004][IDX-PUT-002] recomputing from the DAG and the content index gives exactly the recorded entries whose keys are visible, at CURRENT and at a snapshot", () => {
    fc.assert(
      fc.property(dagArb, fc.array(fc.nat(20), { maxLength: 4 }), (spec, toDrop) => {
        const store = createMemoryStore();
        const { nodes, sids } = buildDag(spec);
        const scratch = new StructuralIndex();
        const results = new Map<string, Uint8Array>();
        // PUT each node's bytes with the node as its structure: the cache records SID -> key.
        for (const [i, node] of nodes.entries()) {
          scratch.register(node);
          const bytes =
            node.op === "literal"
              ? Buffer.from(node.params["hex"]!, "hex")
              : Buffer.concat(node.inputs.map((x) => results.get((x as { sid: string }).sid)!));
          results.set(sids[i]!, new Uint8Array(bytes));
          const r = store.put(new Uint8Array(bytes), undefined, node);
          expect(r.sid).toBe(sids[i]);
        }
        const snap = store.snapshot();
        const recorded = store.cache.entries();
        for (const i of toDrop) store.tombstone(recorded[i % recorded.length]![1]);
        const visibleNow = recorded.filter(([, k]) => store.lookup(k) !== undefined);
        store.cache.drop();
        expect(store.recomputeCache()).toEqual(visibleNow);
        expect(recomputeEntries(store.structure, store.index, store.readBytes, snap)).toEqual(recorded);
      }),
      { numRuns: 60 },
    );
  });

  it("[IDX-MC-004][IDX-CI-008] a cache entry whose key is not visible is only a hint: PUT stores the bytes as if the cache were empty", () => {
    const store = createMemoryStore();
    const bytes = new TextEncoder().encode("hint");
    const node = { op: "literal", params: { hex: toHex(bytes) }, inputs: [] };
    const sid = store.structure.register(node);
    store.cache.record(sid, toHex(sha256(bytes)));
    expect(store.lookup(toHex(sha256(bytes)))).toBeUndefined();
    const r = store.put(bytes, undefined, node);
    expect(r.created).toBe(true);
    expect(store.get(r.key)).toEqual(bytes);
    store.tombstone(r.key);
    expect(store.cache.get(sid)).toBe(r.key);
    expect(store.put(bytes, undefined, node)).toMatchObject({ created: true, key: r.key });
  });

  it("[IDX-DEP-003][IDX-DEP-001] filling or dropping the cache and the structural index changes no content-index answer", () => {
    const ci = new ContentIndex();
    ci.put("11".repeat(32), { blockId: 0n, offset: 0n, length: 1n });
    const before = [ci.dump(), ci.digest(), ci.current()];
    const cache = new MaterializationCache();
    cache.record("22".repeat(32), "11".repeat(32));
    cache.recompute(new StructuralIndex(), ci, () => new Uint8Array());
    cache.drop();
    expect([ci.dump(), ci.digest(), ci.current()]).toEqual(before);
  });
});
