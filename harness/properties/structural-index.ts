// Property of capability structural-index alone (ASL/INDEXES/1 section 2.2, DEC-017): random DAGs of
// literal and concat nodes, some naming artifacts that were never stored, give the reference's SIDs,
// lookups, entries and rebuilds; no store is needed, since the structural index never reads bytes.
import fc from "fast-check";
import type { DagNode, Outcome } from "../../adapters/interface.ts";
import { Divergence, newPair, same } from "./differential.ts";
import type { PropertySpec } from "./spec.ts";

const RULES = ["IDX-SI-001", "IDX-SI-002", "IDX-SI-003", "IDX-DEP-002"];

const utf8 = new TextEncoder();

/** An array index ("0", "10"): a JSON object's member of that name is listed first wherever it was written. */
const isArrayIndex = (k: string) => /^(?:0|[1-9][0-9]*)$/.test(k) && Number(k) < 2 ** 32 - 1;

function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * DEC-017: si.get (and so si.entries and si.rebuild) answers a node with its params in ascending order of
 * their keys' UTF-8 bytes. The order of members is what the answer's JSON text shows; array-index keys are
 * left out, since a JSON reader lists them first whatever their place in the text.
 */
function paramsInByteOrder(op: string, rules: string[], outcome: Outcome<unknown>): void {
  if (!("ok" in outcome)) return;
  const ok = outcome.ok as { node?: DagNode; entries?: { sid: string; node: DagNode }[] };
  const nodes = ok.entries?.map((e) => e.node) ?? (ok.node ? [ok.node] : []);
  for (const node of nodes) {
    const keys = Object.keys(node?.params ?? {}).filter((k) => !isArrayIndex(k));
    for (let i = 1; i < keys.length; i++)
      if (compareUtf8(keys[i - 1]!, keys[i]!) > 0)
        throw new Divergence(
          `${op}: the params of a node are not in the byte order of their keys (DEC-017): ${JSON.stringify(keys[i - 1])} before ${JSON.stringify(keys[i])}`,
          rules,
          { expected: [...keys].sort(compareUtf8), actual: keys, field: "params" },
        );
  }
}

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
            paramsInByteOrder("si.get", ["IDX-SI-001"], (await same(p, "si.get", () => ({ sid }))).impl);
          }
        }
        paramsInByteOrder("si.entries", ["IDX-SI-001"], (await same(p, "si.entries", () => ({}))).impl);
        paramsInByteOrder(
          "si.rebuild",
          ["IDX-SI-003"],
          (await same(p, "si.rebuild", () => ({ nodes: registered }))).impl,
        );
        await same(p, "si.entries", () => ({}));
      },
    ),
};
