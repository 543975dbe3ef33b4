// The capabilities an implementation claims in `hello` (spec/protocol.md section 5).
export const CAPABILITIES = [
  "content-index",
  "store",
  "structural-index",
  "materialization-cache",
  "segment-decode",
  "segment-encode",
  "segment-query",
  "filter-bloom",
  "filter-xor",
  "tgk-edges",
  "node-projections",
  "sharding",
] as const;
export type Capability = (typeof CAPABILITIES)[number];
