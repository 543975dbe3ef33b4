// Sharding by routing key (ENC-ASL-TGK-INDEX section 9, DEC-024): shard(key, N) = floor((fmix64(key) >> 32)
// x N / 2^32). The routing key is artifact_id for ASL records and tgk_edge_id for TGK records; node-edge
// refs follow their edge. `shardInput` splits one writer input into N inputs, one per shard, which a query
// cannot tell apart from the unsplit one (ATXI-SHD-002). Rules: ATXI-SHD-001, ATXI-SHD-002.
import { fmix64Halves, hiWord, loWord, MIX, mulHi32 } from "../filters/mix.ts";
import type { SegmentInput } from "../segment/encode.ts";
import type { AccelBlock } from "../segment/model.ts";
import type { NodeEdgeRef } from "../tgk/edge.ts";

/** DEC-024: the shard of a routing key among n >= 1 shards (n a u32). */
export function shard(key: bigint, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 0xffffffff)
    throw new RangeError(`shard count ${n} is not a u32 >= 1`);
  return shardOfWords(hiWord(key), loWord(key), n);
}

/** DEC-024 on the key's 32-bit words (hi, lo), for hot paths; n must already be a u32 >= 1. */
export function shardOfWords(hi: number, lo: number, n: number): number {
  fmix64Halves(hi, lo);
  return mulHi32(MIX[1]!, n);
}

/**
 * Splits a writer input into n inputs by routing key (records, node-edge refs and edges follow their
 * routing key). Each shard keeps the header's logseq range (the bounds need not be tight, DEC-005), the
 * filter requests and the unknown acceleration blocks, and gets the segment id `segmentIdOf(shard)`.
 * Prebuilt filters are dropped, since they describe the unsplit key set; ask for filters with requests.
 */
export function shardInput(
  input: SegmentInput,
  n: number,
  segmentIdOf: (shard: number) => bigint,
): SegmentInput[] {
  const out: SegmentInput[] = [];
  for (let s = 0; s < n; s++) {
    out.push({
      segmentId: segmentIdOf(s),
      logseqMin: input.logseqMin,
      logseqMax: input.logseqMax,
      aslRecords: [],
      tgkRecords: [],
      filters: (input.filters ?? []).filter((f) => "build" in f),
      ...(input.sort === undefined ? {} : { sort: input.sort }),
    });
  }
  for (const r of input.aslRecords ?? []) (out[shard(r.artifactId, n)]!.aslRecords as unknown[]).push(r);
  for (const r of input.tgkRecords ?? []) (out[shard(r.tgkEdgeId, n)]!.tgkRecords as unknown[]).push(r);
  if (input.edges !== undefined) {
    for (const o of out) o.edges = input.edges;
  }
  const splitRefs = (refs: readonly NodeEdgeRef[]): NodeEdgeRef[][] => {
    const parts: NodeEdgeRef[][] = Array.from({ length: n }, () => []);
    for (const r of refs) parts[shard(r.tgkEdgeId, n)]!.push(r);
    return parts;
  };
  if (input.nodeRefs !== undefined) {
    const parts = splitRefs(input.nodeRefs);
    out.forEach((o, s) => {
      o.nodeRefs = parts[s]!;
    });
  }
  const blocks = input.accelBlocks ?? [];
  if (blocks.length > 0) {
    const refBlock = blocks.find((b) => b.kind === "node-refs");
    const parts = refBlock ? splitRefs(refBlock.refs) : undefined;
    out.forEach((o, s) => {
      o.accelBlocks = blocks.map(
        (b): AccelBlock => (b.kind === "node-refs" ? { kind: "node-refs", refs: parts![s]! } : b),
      );
    });
  }
  return out;
}
