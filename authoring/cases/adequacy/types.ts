// What an adequacy case file (authoring/cases/adequacy/*.ts) may add to the vectors: cases written to kill
// machine-made mutants of the engine that the suite let live (adequacy/report.md). Each file belongs to
// one part of the engine; the generators call every file's functions, so adding a case renames no check.
import type { Capability } from "../../../adapters/interface.ts";

/**
 * Adds one unit vector: `op` with `args` (wire form) sent alone to a fresh implementation, the reference's
 * answer its expectation; `want`, when given, is the error code the spec gives (a reference that answers
 * otherwise stops the generator). The check id is vec/unit/<id>.
 */
export type RequestUnit = (
  id: string,
  op: string,
  args: Record<string, unknown>,
  rules: string[],
  capabilities: Capability[],
  want?: string,
) => Promise<void>;
