// The structural index (ASL/INDEXES/1 2.2): SID -> DAG node, deterministic and rebuildable.
// Rules: IDX-SI-001 (register/get, SI_UNKNOWN_INPUT), IDX-SI-002 (SID per DEC-017), IDX-SI-003 (rebuild
// gives an identical index), IDX-SI-004 (no content-index effect: this module cannot reach one),
// IDX-DEP-002 (it never reads stored bytes: it imports no store, no file system).
import { AslError } from "../common/errors.ts";
import { canonicalNode, computeSid, type DagNode, type Sid } from "./node.ts";

export interface DagEntry {
  readonly sid: Sid;
  readonly node: DagNode;
}

/** What the materialization cache reads of a DAG (IDX-DEP-004). */
export interface DagReader {
  get(sid: Sid): DagNode | undefined;
  /** Every node, each after the nodes its SID inputs name. */
  topological(): Iterable<DagEntry>;
}

export class StructuralIndex implements DagReader {
  // Insertion order is a topological order, since a node is admitted only after its SID inputs.
  private readonly nodes = new Map<Sid, DagNode>();

  /** Registers a node and returns its SID; registering the same node again returns the same SID. */
  register(node: unknown): Sid {
    const canonical = this.check(node);
    const sid = computeSid(canonical);
    if (!this.nodes.has(sid)) this.nodes.set(sid, canonical);
    return sid;
  }

  /** The node in canonical form if it could be registered now; SI_INVALID_NODE or SI_UNKNOWN_INPUT if not. */
  check(node: unknown): DagNode {
    const canonical = canonicalNode(node);
    for (const [i, input] of canonical.inputs.entries()) {
      if ("sid" in input && !this.nodes.has(input.sid)) {
        throw new AslError(
          "SI_UNKNOWN_INPUT",
          `inputs[${i}] names SID ${input.sid}, which is not registered`,
          {
            field: `inputs[${i}]`,
            rule: "IDX-SI-001",
          },
        );
      }
    }
    return canonical;
  }

  get(sid: Sid): DagNode | undefined {
    const n = this.nodes.get(sid);
    return n === undefined
      ? undefined
      : { op: n.op, params: { ...n.params }, inputs: n.inputs.map((i) => ({ ...i })) };
  }

  has(sid: Sid): boolean {
    return this.nodes.has(sid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** The canonical dump: every (SID, node), sorted by SID; equal indexes give equal dumps (IDX-SI-003). */
  entries(): DagEntry[] {
    return [...this.nodes.keys()].sort().map((sid) => ({ sid, node: this.get(sid)! }));
  }

  *topological(): IterableIterator<DagEntry> {
    for (const [sid, node] of this.nodes) yield { sid, node };
  }

  /**
   * Rebuilds an index from DAG nodes given in any order (IDX-SI-003): a node waits until the nodes its
   * SID inputs name are in. A SID input that no given node produces fails with SI_UNKNOWN_INPUT.
   * Linear in the number of inputs: each node counts its missing inputs and is woken when they arrive.
   */
  static rebuild(nodes: Iterable<unknown>): StructuralIndex {
    const index = new StructuralIndex();
    const pending = [...nodes].map((n) => canonicalNode(n));
    const sids = pending.map((n) => computeSid(n));
    const waiting = new Map<Sid, number[]>();
    const missing = pending.map((n, i) => {
      const need = new Set(n.inputs.flatMap((input) => ("sid" in input ? [input.sid] : [])));
      for (const s of need) {
        const list = waiting.get(s);
        if (list === undefined) waiting.set(s, [i]);
        else list.push(i);
      }
      return need.size;
    });
    const ready = missing.flatMap((m, i) => (m === 0 ? [i] : []));
    while (ready.length > 0) {
      const i = ready.pop()!;
      const sid = sids[i]!;
      if (index.has(sid)) continue;
      index.register(pending[i]);
      for (const j of waiting.get(sid) ?? []) if (--missing[j]! === 0) ready.push(j);
      waiting.delete(sid);
    }
    const stuck = missing.findIndex((m, i) => m > 0 && !index.has(sids[i]!));
    if (stuck >= 0) index.register(pending[stuck]); // throws SI_UNKNOWN_INPUT naming the missing SID
    return index;
  }
}
