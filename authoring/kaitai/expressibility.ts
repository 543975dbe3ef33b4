// Which of the reader's checks (spec/errors.yaml `reader_check_order`, DEC-027) the Kaitai description
// spec/formats/asl_tgk_index_segment.ksy can express: loads the table in
// spec/formats/asl_tgk_index_segment.expressibility.yaml (schema: spec/schemas/ksy-expressibility.schema.json)
// through the spec's one loader, and finds the row that decides a malformed vector from its expected error
// (step, code and, where that is not enough, the field or the header flag HAS_NODE_PROJECTIONS of
// DEC-002/DEC-012). The cross-check (crosscheck.ts) requires Kaitai to reject the defects a row calls
// expressible and only lists the others. Rules: ATXI-DEC-001, ATXI-LAY-001.
import { join, relative } from "node:path";
import { ERROR_CODES } from "../../catalog/generated/errors.ts";
import { readValidated, SpecError, type SpecProblem } from "../../catalog/load.ts";
import { REPO_ROOT, SPEC_DIR } from "../../catalog/paths.ts";
import { type CheckStep, READER_CHECK_ORDER } from "../../reference/segment/check-order.ts";

export const EXPRESSIBILITY_FILE = join(SPEC_DIR, "formats", "asl_tgk_index_segment.expressibility.yaml");

/** A condition on the file that some rows need, when the step and code do not settle it. */
export type RowCondition = "projection-flag-clear" | "projection-flag-set";

export interface ExpressibilityRow {
  step: CheckStep;
  code: string;
  /** Only when the manifest's `field` is exactly this. */
  field?: string;
  /** Only when the file satisfies this. */
  when?: RowCondition;
  expressible: boolean;
  /** The .ksy clause that rejects the defect, or why no clause can. */
  because: string;
}

/** What of a malformed vector's expected error the table matches on. */
export interface ExpectedCheck {
  step: string;
  code: string;
  field: string;
}

let cached: readonly ExpressibilityRow[] | undefined;

/**
 * The expressibility table, in file order (the first matching row decides). Validated against its schema,
 * then linted for what the schema cannot say: every step is one of the reader's check order and every
 * code one of spec/errors.yaml. Throws SpecError naming the file and each problem.
 */
export function loadExpressibility(file: string = EXPRESSIBILITY_FILE): readonly ExpressibilityRow[] {
  if (cached !== undefined && file === EXPRESSIBILITY_FILE) return cached;
  const problems: SpecProblem[] = [];
  const data = readValidated<{ schema: string; rows: ExpressibilityRow[] }>(
    file,
    "ksy-expressibility.schema.json",
    problems,
  );
  if (data) {
    const shown = relative(REPO_ROOT, file) || file;
    const where = (i: number, key: string) => ({ file: shown, path: `/rows/${i}/${key}` });
    const steps = new Set<string>(READER_CHECK_ORDER);
    const codes = new Set<string>(ERROR_CODES);
    for (const [i, r] of data.rows.entries()) {
      if (!steps.has(r.step))
        problems.push({
          ...where(i, "step"),
          message: `${r.step} is not a step of reader_check_order in spec/errors.yaml`,
        });
      if (!codes.has(r.code))
        problems.push({ ...where(i, "code"), message: `${r.code} is not an error code of spec/errors.yaml` });
    }
  }
  if (!data || problems.length > 0) throw new SpecError(problems);
  if (file === EXPRESSIBILITY_FILE) cached = data.rows;
  return data.rows;
}

function conditionHolds(when: RowCondition, bytes: Uint8Array): boolean {
  // Header flags, u16 at offset 6, bit 0 HAS_NODE_PROJECTIONS (DEC-002, DEC-012).
  const set = bytes.length >= 8 && (bytes[6]! & 1) === 1;
  return when === "projection-flag-set" ? set : !set;
}

/** The row that decides an invalid vector, or undefined when the table has none. */
export function expressibilityOf(
  expected: ExpectedCheck,
  bytes: Uint8Array,
  table: readonly ExpressibilityRow[] = loadExpressibility(),
): ExpressibilityRow | undefined {
  return table.find(
    (r) =>
      r.step === expected.step &&
      r.code === expected.code &&
      (r.field === undefined || r.field === expected.field) &&
      (r.when === undefined || conditionHolds(r.when, bytes)),
  );
}
