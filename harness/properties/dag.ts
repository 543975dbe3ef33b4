// Property of capabilities structural-index and materialization-cache (over the store): random DAGs give
// the reference's SIDs, rebuilds and recomputed cache, and only the content index decides visibility
// (ASL/INDEXES/1 sections 2.2, 2.3 and 3; DEC-017, DEC-028).
import fc from "fast-check";
import type { DagNode } from "../../adapters/interface.ts";
import { bindState, newPair, same, withoutSnapshot } from "./differential.ts";
import type { PropertySpec } from "./spec.ts";

const RULES = [
  "IDX-SI-001",
  "IDX-SI-002",
  "IDX-SI-003",
  "IDX-SI-004",
  "IDX-MC-001",
  "IDX-MC-002",
  "IDX-MC-003",
  "IDX-MC-004",
  "IDX-DEP-002",
  "IDX-DEP-004",
  "IDX-PUT-002",
  "IDX-GET-001",
  "IDX-GET-002",
  "IDX-CI-008",
];

export const dagProperty: PropertySpec = {
  name: "dag",
  title:
    "structural index and materialization cache: random DAGs give the reference's SIDs, rebuilds and recomputed cache",
  rules: RULES,
  capabilities: ["structural-index", "materialization-cache", "store", "content-index"],
  property: (ctx, env) =>
    fc.asyncProperty(
      fc.array(
        fc.record({
          lit: fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b).toString("hex")),
          concat: fc.boolean(),
          store: fc.boolean(),
          inputs: fc.array(fc.nat(5), { maxLength: 3 }),
          // A second param given before "hex": the SID hashes params in key order, not as given (DEC-017).
          note: fc.boolean(),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      fc.option(fc.nat(7), { nil: undefined }),
      async (nodes, tomb) => {
        const p = newPair(ctx.adapter, ctx.reference, env);
        const opts = {};
        const sids: string[] = [];
        const registered: DagNode[] = [];
        const storedKeys: string[] = [];
        const storedNodes: { node: DagNode; bytes: Uint8Array }[] = [];
        for (const n of nodes) {
          const node: DagNode =
            n.concat && sids.length > 0
              ? { op: "concat", params: {}, inputs: n.inputs.map((i) => ({ sid: sids[i % sids.length]! })) }
              : { op: "literal", params: n.note ? { zz: "1", hex: n.lit } : { hex: n.lit }, inputs: [] };
          const bytes = new Uint8Array(Buffer.from(n.lit, "hex"));
          const r =
            n.store && node.op === "literal"
              ? await same(p, "store.put", () => ({ bytes, type_tag: null, structure: node }), {
                  ...opts,
                  normalize: (v) => ({ ...(v as object), location: "(layout)" }),
                })
              : await same(p, "si.register", () => ({ node }), opts);
          if ("ok" in r.ref) {
            const ok = r.ref.ok as { sid?: string; key?: string };
            sids.push(ok.sid ?? "");
            if (ok.key !== undefined) {
              storedKeys.push(ok.key);
              storedNodes.push({ node, bytes });
            }
            registered.push(node);
          }
        }
        await same(p, "si.entries", () => ({}), opts);
        await same(p, "si.rebuild", () => ({ nodes: registered }), opts);
        await same(p, "mc.entries", () => ({}), opts);
        await same(p, "mc.recompute", () => ({ at: null }), opts);
        if (tomb !== undefined && storedKeys.length > 0) {
          // The cache still names the key, but only the content index decides (IDX-GET-001, IDX-CI-008,
          // IDX-MC-004): GET refuses it, and recomputing drops its entry (IDX-MC-003).
          const key = storedKeys[tomb % storedKeys.length]!;
          const stored = storedNodes[tomb % storedNodes.length]!;
          // A snapshot before the tombstone: at that older state the key is still visible, so recomputing
          // there must give it back (IDX-MC-003 at a state, not only at CURRENT).
          const before = await same(p, "ci.snapshot", () => ({}), { normalize: withoutSnapshot });
          bindState(p, before, "ci.snapshot");
          const older = (side: "impl" | "ref") => {
            const ok = (side === "ref" ? before.ref : before.impl) as {
              ok?: { snapshot: string; position: string };
            };
            return ok.ok ? { snapshot: ok.ok.snapshot, position: ok.ok.position } : null;
          };
          const putAgain = () =>
            same(p, "store.put", () => ({ bytes: stored.bytes, type_tag: null, structure: stored.node }), {
              ...opts,
              normalize: (v) => ({ ...(v as object), location: "(layout)" }),
            });
          await same(p, "ci.tombstone", () => ({ key }), opts);
          await same(p, "store.get", () => ({ key, at: null }), opts);
          await same(p, "store.get", (s) => ({ key, at: older(s) }), opts);
          // At CURRENT the key is gone: recomputing drops its entry (IDX-MC-003); at the older state it is
          // visible: recomputing there gives the entry back.
          await same(p, "mc.recompute", () => ({ at: null }), opts);
          await same(p, "mc.recompute", (s) => ({ at: older(s) }), opts);
          // The cache names the key again, which is still not visible at CURRENT: a PUT of the same bytes and
          // structure stores them again (created; the cache is a hint: IDX-MC-004, IDX-PUT-001).
          await putAgain();
          await same(p, "store.get", () => ({ key, at: null }), opts);
          await same(p, "mc.recompute", () => ({ at: null }), opts);
        }
        await same(p, "mc.drop", () => ({}), opts);
        await same(p, "mc.entries", () => ({}), opts);
      },
    ),
};
