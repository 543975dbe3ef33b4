// The reader's check order of DEC-027, as spec/errors.yaml `reader_check_order` lists it (a test keeps the
// two equal), and the stage of each segment error code (errors.yaml `codes`). Rules: ATXI-DEC-001.
import type { ErrorCode } from "../common/errors.ts";

export const READER_CHECK_ORDER = [
  "size",
  "magic",
  "version",
  "footer",
  "checksum",
  "header-flags",
  "section-bounds",
  "record-counts",
  "filter-framing",
  "accel-framing",
  "projection-flag",
  "logseq-bounds",
  "asl-records",
  "tgk-records",
  "logseq-unique",
  "node-refs",
  "filter-contents",
  "filter-completeness",
] as const;

export type CheckStep = (typeof READER_CHECK_ORDER)[number];

export type ErrorStage = "decode" | "validate" | "query";

const DECODE_CODES: ReadonlySet<string> = new Set([
  "SEG_TRUNCATED",
  "SEG_BAD_MAGIC",
  "SEG_UNSUPPORTED_VERSION",
  "SEG_BAD_FOOTER_OFFSET",
  "SEG_CHECKSUM_MISMATCH",
  "SEG_BAD_SECTION_BOUNDS",
  "SEG_BAD_RECORD_COUNT",
  "SEG_BAD_FILTER_HEADER",
  "SEG_BAD_ACCEL_BLOCK",
]);

/** The stage errors.yaml gives a segment or query code: decode (malformed) or validate (invalid) or query. */
export function stageOf(code: ErrorCode): ErrorStage {
  if (code.startsWith("QRY_")) return "query";
  return DECODE_CODES.has(code) ? "decode" : "validate";
}
