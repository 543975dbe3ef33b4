// The typed error every part of the reference engine throws. Its code is one of the closed list in
// spec/errors.yaml (catalog/generated/errors.ts, made from that file); where it applies, it names the byte
// offset, the field and the rule id, so that a message can say what is wrong and where.

import type { ErrorCode } from "../../catalog/generated/errors.ts";

export { ERROR_CODES, type ErrorCode } from "../../catalog/generated/errors.ts";

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

/**
 * An engine limit of the reference (not of the drafts): a typed error raised before anything is written or
 * changed, so the state is exactly what it was.
 */
export function engineLimit(what: string): AslError {
  return new AslError("INTERNAL", `engine limit: ${what}; nothing was changed`);
}

/** The most entries a V8 Map or Set holds is 2^24; the engine stops one short of it, with engineLimit. */
export const MAP_LIMIT = 2 ** 24 - 1;
