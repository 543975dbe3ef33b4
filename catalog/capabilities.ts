// The capabilities an implementation claims in `hello` (spec/protocol.md section 5), as
// spec/capabilities.yaml gives them (catalog/generated/capabilities.ts is made from it), and the check of
// a claim against what each capability requires.
import { CAPABILITIES, CAPABILITY_REQUIRES, type Capability } from "./generated/capabilities.ts";

export {
  CAPABILITIES,
  CAPABILITY_KIND,
  CAPABILITY_OPERATIONS,
  CAPABILITY_REQUIRES,
  type Capability,
} from "./generated/capabilities.ts";

/** What is wrong with a claim: names this tool does not know (ignored), and requirements it breaks (refused). */
export function claimProblems(claimed: readonly string[]): { unknown: string[]; missing: string[] } {
  const known = new Set<string>(CAPABILITIES);
  const have = new Set(claimed);
  const unknown = claimed.filter((c) => !known.has(c));
  const missing = claimed
    .filter((c): c is Capability => known.has(c))
    .flatMap((c) => CAPABILITY_REQUIRES[c].filter((r) => !have.has(r)).map((r) => `${c} requires ${r}`));
  return { unknown, missing };
}
