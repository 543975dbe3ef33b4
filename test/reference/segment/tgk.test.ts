// The TGK edge stand-in (DEC-016): canonical encoding, edge id, validation and projections.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { first8BigEndian, sha256, toHex } from "../../../reference/common/hash.ts";
import {
  canonicalEdgeEncoding,
  deriveNodeRefs,
  edgeId,
  edgeNodeRefs,
  edgesById,
} from "../../../reference/tgk/edge.ts";
import { U64_MAX } from "./helpers.ts";

describe("TGK edges (DEC-016)", () => {
  it("[ATXI-INV-002] canonical encoding: 'TGK-EDGE/1', counts and ascending u64 LE ids", () => {
    const enc = canonicalEdgeEncoding({ from: [2n, 1n], to: [U64_MAX] });
    expect(toHex(enc)).toBe(
      `${toHex(new TextEncoder().encode("TGK-EDGE/1"))}02000000${"0100000000000000"}${"0200000000000000"}01000000${"ffffffffffffffff"}`,
    );
    expect(edgeId({ from: [2n, 1n], to: [U64_MAX] })).toBe(first8BigEndian(sha256(enc)));
  });
  it("[ATXI-INV-002] [ATXI-INV-003] the id ignores list order and the edge type, and tells from from to", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.bigInt({ min: 0n, max: U64_MAX }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (ids, type) => {
          const e = { from: ids, to: [] };
          expect(edgeId({ ...e, from: [...ids].reverse(), edgeType: type % 2 ** 32 })).toBe(edgeId(e));
          expect(edgeId({ from: [], to: ids })).not.toBe(edgeId(e));
        },
      ),
    );
  });
  it("[ATXI-INV-002] an edge with no node, or a node twice in a list, is TGK_INVALID_EDGE", () => {
    expect(() => edgeId({ from: [], to: [] })).toThrow(expect.objectContaining({ code: "TGK_INVALID_EDGE" }));
    expect(() => edgeId({ from: [1n, 1n], to: [] })).toThrow(
      expect.objectContaining({ code: "TGK_INVALID_EDGE" }),
    );
    expect(() => edgeId({ from: [1n << 64n], to: [] })).toThrow(
      expect.objectContaining({ code: "TGK_INVALID_EDGE" }),
    );
    expect(edgeId({ from: [1n], to: [1n] })).toBeTypeOf("bigint");
  });
  it("[ATXI-NPR-002] projections: one ref per from node (position 1) and per to node (position 2), with the record's logseq", () => {
    const e = { from: [7n, 3n], to: [3n] };
    const id = edgeId(e);
    expect(edgeNodeRefs(e, id, 42n)).toEqual([
      { logseq: 42n, nodeId: 3n, tgkEdgeId: id, position: 1 },
      { logseq: 42n, nodeId: 3n, tgkEdgeId: id, position: 2 },
      { logseq: 42n, nodeId: 7n, tgkEdgeId: id, position: 1 },
    ]);
  });
  it("[ATXI-NPR-002] tombstone records derive no refs; a live record without its edge is refused", () => {
    const e = { from: [1n], to: [2n] };
    const byId = edgesById([e]);
    const id = edgeId(e);
    expect(deriveNodeRefs([{ tgkEdgeId: id, logseq: 5n, tombstone: true }], byId)).toEqual([]);
    expect(deriveNodeRefs([{ tgkEdgeId: id, logseq: 5n, tombstone: false }], byId)).toHaveLength(2);
    expect(() => deriveNodeRefs([{ tgkEdgeId: 1n, logseq: 5n, tombstone: false }], byId)).toThrow(
      expect.objectContaining({ code: "TGK_INVALID_EDGE" }),
    );
  });
});
