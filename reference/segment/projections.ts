// Optional node-projection records (section 8): the node-edge refs of acceleration block type 1 (DEC-003),
// 32 bytes each (DEC-002), sorted by (node_id, position, tgk_edge_id, logseq) (DEC-004), each matching a
// live TGK record of its segment (DEC-016). A lazy table, the reader's node-refs pass of DEC-027 and the
// range search an incidence query runs (DEC-029). Rules: ATXI-NPR-001..004.
import { AslError } from "../common/errors.ts";
import type { NodeEdgeRef, Position } from "../tgk/edge.ts";
import { NODE_REF_SIZE, NR } from "./layout.ts";
import type { LogseqBounds, TgkTable } from "./records.ts";
import { lt64, u64 } from "./words.ts";

const W = NODE_REF_SIZE / 4;

export class NodeRefTable {
  constructor(
    readonly words: Uint32Array,
    readonly start: number,
    readonly count: number,
  ) {}
  private w(i: number): number {
    return (this.start >>> 2) + W * i;
  }
  offsetOf(i: number): number {
    return this.start + NODE_REF_SIZE * i;
  }
  logseq(i: number): bigint {
    const w = this.w(i);
    return u64(this.words[w + 1]!, this.words[w]!);
  }
  nodeId(i: number): bigint {
    const w = this.w(i);
    return u64(this.words[w + 3]!, this.words[w + 2]!);
  }
  tgkEdgeId(i: number): bigint {
    const w = this.w(i);
    return u64(this.words[w + 5]!, this.words[w + 4]!);
  }
  position(i: number): Position {
    return (this.words[this.w(i) + 6]! & 0xff) as Position;
  }
  ref(i: number): NodeEdgeRef {
    return {
      logseq: this.logseq(i),
      nodeId: this.nodeId(i),
      tgkEdgeId: this.tgkEdgeId(i),
      position: this.position(i),
    };
  }
  toArray(): NodeEdgeRef[] {
    return Array.from({ length: this.count }, (_, i) => this.ref(i));
  }
  /** Index of the first ref whose node_id is >= (hi:lo). */
  lowerBound(hi: number, lo: number): number {
    let a = 0;
    let b = this.count;
    const base = this.start >>> 2;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const w = base + W * mid;
      if (lt64(this.words[w + 3]!, this.words[w + 2]!, hi, lo)) a = mid + 1;
      else b = mid;
    }
    return a;
  }
  /** Whether ref i has node_id (hi:lo). */
  hasNode(i: number, hi: number, lo: number): boolean {
    const w = this.w(i);
    return this.words[w + 3] === hi && this.words[w + 2] === lo;
  }
}

function fail(msg: string, offset: number, field: string, rule: string): never {
  throw new AslError("SEG_BAD_NODE_REF", msg, { offset, field, rule });
}

/** Compares refs a and b (word indexes) by (node_id, position, tgk_edge_id, logseq). */
function refLess(words: Uint32Array, a: number, b: number): boolean {
  let x = words[a + 3]!;
  let y = words[b + 3]!;
  if (x !== y) return x < y;
  x = words[a + 2]!;
  y = words[b + 2]!;
  if (x !== y) return x < y;
  x = words[a + 6]! & 0xff;
  y = words[b + 6]! & 0xff;
  if (x !== y) return x < y;
  x = words[a + 5]!;
  y = words[b + 5]!;
  if (x !== y) return x < y;
  x = words[a + 4]!;
  y = words[b + 4]!;
  if (x !== y) return x < y;
  x = words[a + 1]!;
  y = words[b + 1]!;
  if (x !== y) return x < y;
  return words[a]! < words[b]!;
}

/** The node-refs pass of DEC-027: each ref in order, fields in the order errors.yaml lists them. */
export function checkNodeRefs(
  refs: NodeRefTable,
  tgk: Pick<TgkTable, "findExact" | "tombstone">,
  b: LogseqBounds,
): void {
  const words = refs.words;
  const base = refs.start >>> 2;
  for (let i = 0; i < refs.count; i++) {
    const w = base + W * i;
    const off = refs.offsetOf(i);
    const x = words[w + 6]!;
    if (x >>> 8 !== 0 || words[w + 7] !== 0) {
      let r = NR.reserved;
      const bytes = new Uint8Array(words.buffer, words.byteOffset + 4 * w, NODE_REF_SIZE);
      while (bytes[r] === 0) r++;
      throw new AslError(
        "SEG_RESERVED_NONZERO",
        `node-edge ref ${i}: reserved byte ${r - NR.reserved} is not zero`,
        { offset: off + r, field: "node_edge_ref.reserved", rule: "ATXI-NPR-001" },
      );
    }
    const pos = x & 0xff;
    if (pos !== 1 && pos !== 2)
      fail(
        `node-edge ref ${i}: position is ${pos}, not 1 (from) or 2 (to)`,
        off + NR.position,
        "node_edge_ref.position",
        "ATXI-NPR-001",
      );
    const lsLo = words[w]!;
    const lsHi = words[w + 1]!;
    if (lt64(lsHi, lsLo, b.minHi, b.minLo) || lt64(b.maxHi, b.maxLo, lsHi, lsLo)) {
      fail(
        `node-edge ref ${i}: logseq ${u64(lsHi, lsLo)} is outside the header's bounds`,
        off + NR.logseq,
        "node_edge_ref.logseq",
        "ATXI-NPR-002",
      );
    }
    if (i > 0 && !refLess(words, w - W, w)) {
      fail(
        `node-edge ref ${i} does not follow ref ${i - 1} strictly by (node_id, position, tgk_edge_id, logseq)`,
        off,
        "node_edge_ref",
        "ATXI-NPR-003",
      );
    }
    const rec = tgk.findExact(words[w + 5]!, words[w + 4]!, lsHi, lsLo);
    if (rec < 0 || tgk.tombstone(rec)) {
      fail(
        `node-edge ref ${i}: (tgk_edge_id ${u64(words[w + 5]!, words[w + 4]!)}, logseq ${u64(lsHi, lsLo)}) matches no ${rec < 0 ? "" : "non-tombstone "}TGK record of the segment`,
        off + NR.tgkEdgeId,
        "node_edge_ref.tgk_edge_id",
        "ATXI-NPR-002",
      );
    }
  }
}
