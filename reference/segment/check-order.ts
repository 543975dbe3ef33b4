// The reader's check order of DEC-027 and the stage of each error code, as spec/errors.yaml gives them
// (catalog/generated/errors.ts is made from that file, never written by hand). Rules: ATXI-DEC-001.
import { ERROR_STAGE, type ErrorCode } from "../../catalog/generated/errors.ts";

export { type CheckStep, READER_CHECK_ORDER } from "../../catalog/generated/errors.ts";

export type ErrorStage = "decode" | "validate" | "query";

/** The stage errors.yaml gives a segment or query code: decode (malformed), validate (invalid) or query. */
export function stageOf(code: ErrorCode): ErrorStage {
  const s = ERROR_STAGE[code];
  if (s !== "decode" && s !== "validate" && s !== "query")
    throw new Error(`${code} is not a segment or query code`);
  return s;
}
