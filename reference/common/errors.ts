// The typed error every part of the reference engine throws. Its code is one of the closed list in
// spec/errors.yaml (a test keeps ERROR_CODES and that file equal); where it applies, it names the byte
// offset, the field and the rule id, so that a message can say what is wrong and where.

export const ERROR_CODES = [
  "SEG_TRUNCATED",
  "SEG_BAD_MAGIC",
  "SEG_UNSUPPORTED_VERSION",
  "SEG_BAD_FOOTER_OFFSET",
  "SEG_CHECKSUM_MISMATCH",
  "SEG_BAD_SECTION_BOUNDS",
  "SEG_BAD_RECORD_COUNT",
  "SEG_BAD_FILTER_HEADER",
  "SEG_BAD_ACCEL_BLOCK",
  "SEG_RESERVED_NONZERO",
  "SEG_BAD_BOOLEAN",
  "SEG_ABSENT_FIELD_NONZERO",
  "SEG_BAD_ROLE",
  "SEG_TOMBSTONE_WITH_PAYLOAD",
  "SEG_LOGSEQ_RANGE",
  "SEG_RECORD_ORDER",
  "SEG_DUPLICATE_LOGSEQ",
  "SEG_BAD_NODE_REF",
  "SEG_BAD_FILTER_PARAMS",
  "SEG_FILTER_FALSE_NEGATIVE",
  "QRY_DUPLICATE_SEGMENT_ID",
  "QRY_DUPLICATE_LOGSEQ",
  "QRY_NO_PROJECTIONS",
  "CI_UNKNOWN_SNAPSHOT",
  "CI_SNAPSHOT_RETIRED",
  "CI_SNAPSHOT_IN_USE",
  "CI_POSITION_BEYOND_CURRENT",
  "CI_POSITION_BEFORE_SNAPSHOT",
  "CI_STATE_NOT_RETAINED",
  "CI_INVALID_ARGUMENT",
  "SI_UNKNOWN_INPUT",
  "SI_INVALID_NODE",
  "TGK_INVALID_EDGE",
  "STORE_NOT_FOUND",
  "STORE_ARTIFACT_ID_COLLISION",
  "STORE_CORRUPT_BLOCK",
  "STORE_CORRUPT_LOG",
  "STORE_CORRUPT_SNAPSHOT",
  "PROTO_NOT_SUPPORTED",
  "PROTO_BAD_REQUEST",
  "PROTO_VERSION_MISMATCH",
  "PROTO_MALFORMED_MESSAGE",
  "PROTO_WRONG_ID",
  "PROTO_OVERSIZE",
  "PROTO_TIMEOUT",
  "PROTO_CRASH",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  /** Byte offset in the input where the defect is, when the input is bytes. */
  offset?: number;
  /** The field (struct.field, as in spec/decisions.yaml DEC-002) that is wrong. */
  field?: string;
  /** The rule id the defect breaks. */
  rule?: string;
}

export class AslError extends Error {
  readonly code: ErrorCode;
  readonly offset: number | undefined;
  readonly field: string | undefined;
  readonly rule: string | undefined;

  constructor(code: ErrorCode, message: string, detail: ErrorDetail = {}) {
    super(message);
    this.name = "AslError";
    this.code = code;
    this.offset = detail.offset;
    this.field = detail.field;
    this.rule = detail.rule;
  }

  /** One line a person can act on: code, where, rule, what. */
  describe(): string {
    const where: string[] = [];
    if (this.offset !== undefined) where.push(`offset ${this.offset}`);
    if (this.field !== undefined) where.push(`field ${this.field}`);
    if (this.rule !== undefined) where.push(`rule ${this.rule}`);
    return `${this.code}${where.length ? ` (${where.join(", ")})` : ""}: ${this.message}`;
  }
}

export function isAslError(e: unknown): e is AslError {
  return e instanceof AslError;
}
