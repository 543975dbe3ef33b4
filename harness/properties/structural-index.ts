// Property of capability structural-index alone (ASL/INDEXES/1 section 2.2, DEC-017): random DAGs of
// literal and concat nodes, some naming artifacts that were never stored, give the reference's SIDs,
// lookups, entries and rebuilds; no store is needed, since the structural index never reads bytes.
import fc from "fast-check";
import type { DagNode } from "../../adapters/interface.ts";
import { newPair, same } from "./differential.ts";
import type { PropertySpec } from "./spec.ts";

const RULES = ["IDX-SI-001", "IDX-SI-002", "IDX-SI-003", "IDX-DEP-002"];

export const structuralIndexProperty: PropertySpec = {
  name: "structural-index",
  title:
    "structural index alone: random DAGs (inputs never stored included) give the reference's SIDs, nodes and rebuilds",
  rules: RULES,
  capabilities: ["structural-index"],
  property: (ctx, env) =>
    fc.asyncProperty(
      fc.array(
        fc.record({
          lit: fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b).toString("hex")),
          concat: fc.boolean(),
          inputs: fc.array(fc.nat(5), { maxLength: 3 }),
          artifact: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: undefined }),
          note: fc.boolean(),
          // Integer-like keys: a JS object lists them first in numeric order ("9" before "10"), but DEC-017
          // orders keys by their UTF-8 bytes ("10" before "9").
          numeric: fc.boolean(),
          // Keys outside the basic plane: UTF-16 order (a surrogate pair, 0xD83D...) puts U+1F600 before
          // U+FF61, UTF-8 byte order (F0... after EF...) puts it after.
          astral: fc.boolean(),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      async (nodes) => {
        const p = newPair(ctx.adapter, ctx.reference, env);
        const sids: string[] = [];
        const registered: DagNode[] = [];
        for (const n of nodes) {
          const node: DagNode =
            n.concat && sids.length > 0
              ? { op: "concat", params: {}, inputs: n.inputs.map((i) => ({ sid: sids[i % sids.length]! })) }
              : {
                  op: "literal",
                  params: {
                    ...(n.note ? { zz: "1" } : {}),
                    ...(n.numeric ? { "9": "nine", "10": "ten" } : {}),
                    ...(n.astral ? { "\u{1F600}": "grin", "\uFF61": "dot" } : {}),
                    hex: n.lit,
                  },
                  // An artifact input that no store holds: the SID must not depend on stored bytes (IDX-DEP-002).
                  inputs: n.artifact ? [{ artifact: Buffer.from(n.artifact).toString("hex") }] : [],
                };
          const r = await same(p, "si.register", () => ({ node }));
          if ("ok" in r.ref) {
            const sid = (r.ref.ok as { sid: string }).sid;
            sids.push(sid);
            registered.push(node);
            await same(p, "si.get", () => ({ sid }));
          }
        }
        await same(p, "si.entries", () => ({}));
        await same(p, "si.rebuild", () => ({ nodes: registered }));
        await same(p, "si.entries", () => ({}));
      },
    ),
};
