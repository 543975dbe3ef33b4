// GENERATED from spec/capabilities.yaml by `asl-conform rules sync`: do not edit (the gate checks it is fresh).
// The capabilities an implementation claims, which are profile extensions, what each requires, and which
// operations each brings.

export const CAPABILITIES = [
  "content-index",
  "state-digest",
  "snapshot-retire",
  "store",
  "durability",
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

export const CAPABILITY_KIND: Readonly<Record<Capability, "core" | "extension">> = {
  "content-index": "core",
  "state-digest": "extension",
  "snapshot-retire": "extension",
  "store": "core",
  "durability": "core",
  "structural-index": "core",
  "materialization-cache": "core",
  "segment-decode": "core",
  "segment-encode": "core",
  "segment-query": "core",
  "filter-bloom": "core",
  "filter-xor": "core",
  "tgk-edges": "core",
  "node-projections": "core",
  "sharding": "core",
};

export const CAPABILITY_REQUIRES: Readonly<Record<Capability, readonly Capability[]>> = {
  "content-index": [],
  "state-digest": ["content-index"],
  "snapshot-retire": ["content-index"],
  "store": ["content-index"],
  "durability": ["store", "content-index"],
  "structural-index": [],
  "materialization-cache": ["structural-index", "content-index"],
  "segment-decode": [],
  "segment-encode": [],
  "segment-query": [],
  "filter-bloom": [],
  "filter-xor": [],
  "tgk-edges": [],
  "node-projections": ["tgk-edges"],
  "sharding": [],
};

export const CAPABILITY_OPERATIONS: Readonly<Record<Capability, readonly string[]>> = {
  "content-index": ["ci.put", "ci.tombstone", "ci.lookup", "ci.current", "ci.snapshot", "ci.install"],
  "state-digest": ["ci.digest"],
  "snapshot-retire": ["ci.retire"],
  "store": ["store.put", "store.get", "store.reopen"],
  "durability": ["store.open"],
  "structural-index": ["si.register", "si.get", "si.entries", "si.rebuild"],
  "materialization-cache": ["mc.get", "mc.entries", "mc.drop", "mc.recompute"],
  "segment-decode": ["seg.decode"],
  "segment-encode": ["seg.encode"],
  "segment-query": ["seg.query"],
  "filter-bloom": ["filter.build", "filter.probe"],
  "filter-xor": ["filter.build", "filter.probe"],
  "tgk-edges": ["tgk.edge_id"],
  "node-projections": ["tgk.project"],
  "sharding": ["shard.assign"],
};
