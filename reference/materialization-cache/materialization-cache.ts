// The materialization cache (ASL/INDEXES/1 2.3): SID -> ArtifactKey, redundant, safe to drop, and
// recomputable from the DAG and the content index. Rules: IDX-MC-001 (record/get), IDX-MC-002 (drop),
// IDX-MC-003 (recompute, with the DEC-028 stand-in ops "literal" and "concat"), IDX-MC-004 (an entry is
// only a hint: nothing here makes a key visible), IDX-DEP-004 (it may read both other indexes).
// It does not import the store: bytes of a visible key come through a readBytes callback.
import { sha256, toHex } from "../common/hash.ts";
import { type ArtifactKey, checkKey, type StateRequest } from "../content-index/index.ts";
import type { DagNode, DagReader, Sid } from "../structural-index/index.ts";

/** What recomputation reads of the content index: visibility only. */
export interface VisibilityReader {
  lookup(key: ArtifactKey, at?: StateRequest): unknown;
}

/** Returns the bytes of a key visible at the state (the store's GET). */
export type ReadBytes = (key: ArtifactKey, at?: StateRequest) => Uint8Array;

const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

export class MaterializationCache {
  private readonly map = new Map<Sid, ArtifactKey>();

  /** Records that `sid` materialized to `key`; a later record for the same SID replaces it (IDX-MC-001). */
  record(sid: Sid, key: ArtifactKey): void {
    this.map.set(checkKey(sid, "sid"), checkKey(key));
  }

  get(sid: Sid): ArtifactKey | undefined {
    return this.map.get(sid);
  }

  /** Forgets every entry (IDX-MC-002). */
  drop(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }

  /** Every (SID, key), sorted by SID. */
  entries(): Array<[Sid, ArtifactKey]> {
    return [...this.map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Replaces the cache's contents with what recomputeEntries gives (IDX-MC-003). */
  recompute(
    dag: DagReader,
    index: VisibilityReader,
    readBytes: ReadBytes,
    at?: StateRequest,
  ): Array<[Sid, ArtifactKey]> {
    const entries = recomputeEntries(dag, index, readBytes, at);
    this.map.clear();
    for (const [sid, key] of entries) this.map.set(sid, key);
    return entries;
  }
}

/**
 * DEC-028: evaluates every node of the stand-in ops, hashes its bytes, and yields SID -> key only when
 * that key is visible at the state. "literal" takes no inputs and its bytes from params.hex (lowercase
 * hex); "concat" joins its inputs' bytes in order, an input being a key visible at the state or a SID
 * whose own result is computable. Any other op, or a node that breaks these shapes, has no result.
 * Nodes are evaluated in the DAG's topological order, so each input is ready when it is needed.
 */
export function recomputeEntries(
  dag: DagReader,
  index: VisibilityReader,
  readBytes: ReadBytes,
  at?: StateRequest,
): Array<[Sid, ArtifactKey]> {
  const results = new Map<Sid, Uint8Array | undefined>();
  const out: Array<[Sid, ArtifactKey]> = [];
  for (const { sid, node } of dag.topological()) {
    const bytes = evaluate(node, results, index, readBytes, at);
    results.set(sid, bytes);
    if (bytes === undefined) continue;
    const key = toHex(sha256(bytes));
    if (index.lookup(key, at) !== undefined) out.push([sid, key]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function evaluate(
  node: DagNode,
  results: ReadonlyMap<Sid, Uint8Array | undefined>,
  index: VisibilityReader,
  readBytes: ReadBytes,
  at: StateRequest | undefined,
): Uint8Array | undefined {
  if (node.op === "literal") {
    const hex = node.params["hex"];
    if (node.inputs.length !== 0 || hex === undefined || !LOWER_HEX.test(hex)) return undefined;
    return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
      Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16),
    );
  }
  if (node.op !== "concat") return undefined;
  const parts: Uint8Array[] = [];
  for (const input of node.inputs) {
    let part: Uint8Array | undefined;
    if ("sid" in input) part = results.get(input.sid);
    else if (index.lookup(input.artifact, at) !== undefined) part = readBytes(input.artifact, at);
    if (part === undefined) return undefined;
    parts.push(part);
  }
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return bytes;
}
