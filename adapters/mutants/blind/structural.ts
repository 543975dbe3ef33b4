// Mutants written blind, from the spec alone: the structural index (DEC-017 SIDs, rebuild) and the
// materialization cache's recompute (DEC-028).
import { AslError } from "../../../reference/common/errors.ts";
import { sha256Parts, toHex } from "../../../reference/common/hash.ts";
import { canonicalNode, type DagNode, StructuralIndex } from "../../../reference/structural-index/index.ts";
import type { DagNode as WireNode } from "../../interface.ts";
import { nodeShape, sidArg, stateArg } from "../../reference/convert.ts";
import { defineMutant, type Mutant, storeOf } from "../mutant.ts";

const utf8 = new TextEncoder();
const SID_TAG = utf8.encode("ASL-SID/1");

function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** The DEC-017 encoding with the params in the order given (the mutant gives JS string order). */
function sidOf(op: string, params: readonly [string, string][], inputs: DagNode["inputs"]): string {
  const parts: Uint8Array[] = [SID_TAG];
  const u32 = (v: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    parts.push(b);
  };
  const text = (s: string) => {
    const b = utf8.encode(s);
    u32(b.length);
    parts.push(b);
  };
  text(op);
  u32(params.length);
  for (const [k, v] of params) {
    text(k);
    text(v);
  }
  u32(inputs.length);
  for (const input of inputs) {
    const hex = "sid" in input ? input.sid : input.artifact;
    const b = new Uint8Array(33);
    b[0] = "sid" in input ? 0 : 1;
    for (let i = 0; i < 32; i++) b[1 + i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    parts.push(b);
  }
  return toHex(sha256Parts(parts));
}

const paramsSortedUtf16 = defineMutant(
  {
    id: "blind-si-params-sorted-utf16",
    description:
      "DAG node params are put in canonical order with JavaScript's default string sort (UTF-16 code units) instead of the UTF-8 byte order of DEC-017, so a node whose keys mix characters above U+FFFF with ones in U+E000..U+FFFF gets another SID.",
    rules: ["IDX-SI-002"],
    capabilities: ["structural-index"],
  },
  ({ engine, ref, onReset }) => {
    // Nodes whose SID the defect changes (or that name such a node) live here; the others in the reference's index.
    const own = new Map<string, WireNode>();
    onReset(() => own.clear());
    return {
      "si.register": (a) => {
        const node = canonicalNode(nodeShape(a.node));
        const structure = storeOf(engine).structure;
        for (const [i, input] of node.inputs.entries()) {
          if ("sid" in input && !own.has(input.sid) && !structure.has(input.sid))
            throw new AslError(
              "SI_UNKNOWN_INPUT",
              `inputs[${i}] names SID ${input.sid}, which is not registered`,
              {
                field: `inputs[${i}]`,
              },
            );
        }
        const keys = Object.keys(node.params);
        const jsOrder = [...keys].sort();
        const byteOrder = [...keys].sort(compareUtf8);
        const namesOwn = node.inputs.some((i) => "sid" in i && own.has(i.sid));
        if (!namesOwn && jsOrder.every((k, i) => k === byteOrder[i])) return ref["si.register"](a);
        const pairs = jsOrder.map((k): [string, string] => [k, node.params[k]!]);
        const sid = sidOf(node.op, pairs, node.inputs);
        if (!own.has(sid))
          own.set(sid, {
            op: node.op,
            params: Object.fromEntries(pairs),
            inputs: node.inputs.map((i) => ({ ...i })),
          });
        return { sid };
      },
      "si.get": (a) => {
        const n = own.get(sidArg(a.sid));
        return n === undefined ? ref["si.get"](a) : { found: true, node: n };
      },
      "si.entries": (a) => {
        const entries = [...ref["si.entries"](a).entries, ...[...own].map(([sid, node]) => ({ sid, node }))];
        return { entries: entries.sort((x, y) => (x.sid < y.sid ? -1 : x.sid > y.sid ? 1 : 0)) };
      },
      "si.rebuild": (a) => {
        const r = ref["si.rebuild"](a);
        own.clear();
        return r;
      },
    };
  },
);

const rebuildKeepsOldNodes = defineMutant(
  {
    id: "blind-si-rebuild-keeps-old-nodes",
    description:
      "si.rebuild adds the given nodes to the index it already has instead of replacing it by one built from the DAG alone, so nodes registered before the rebuild survive it.",
    rules: ["IDX-SI-003"],
    capabilities: ["structural-index"],
  },
  ({ engine }) => ({
    "si.rebuild": (a) => {
      if (!Array.isArray(a.nodes))
        throw new AslError("PROTO_BAD_REQUEST", "nodes must be an array", { field: "nodes" });
      const store = storeOf(engine);
      const given = a.nodes.map((n, i) => nodeShape(n, `nodes[${i}]`));
      const old = [...store.structure.topological()].map((e) => e.node);
      const rebuilt = StructuralIndex.rebuild([...old, ...given]);
      store.replaceStructure(rebuilt);
      return { entries: rebuilt.entries().map((e) => ({ sid: e.sid, node: e.node as WireNode })) };
    },
  }),
);

const recomputeAtCurrent = defineMutant(
  {
    id: "blind-mc-recompute-at-current",
    description:
      "mc.recompute checks the requested state but then evaluates the nodes and their keys' visibility at CURRENT, not at that state.",
    rules: ["IDX-MC-003"],
    capabilities: ["materialization-cache"],
  },
  ({ engine }) => ({
    "mc.recompute": (a) => {
      const store = storeOf(engine);
      const at = stateArg(a.at);
      if (at !== undefined) store.index.digest(at); // the state's errors, as the reference (DEC-028)
      const entries = store.cache.recompute(store.structure, store.index, store.readBytes, undefined);
      return { entries: entries.map(([sid, key]) => ({ sid, key })) };
    },
  }),
);

export const structuralMutants: readonly Mutant[] = [
  paramsSortedUtf16,
  rebuildKeepsOldNodes,
  recomputeAtCurrent,
];
