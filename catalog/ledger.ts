// spec/ids-ledger.json: every rule id, decision id, error code and check id ever issued, so that an id
// never disappears silently and is never reused (authoring/ledger.ts keeps it; the gate enforces it). It
// also maps the numeric check ids of release 0.1 (vec/seg-0057/reject) to the ids derived from case names
// that replaced them: `run --check` and `--expect` accept the old ones for one release, with a note.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readValidated, type SpecProblem } from "./load.ts";
import { SPEC_DIR } from "./paths.ts";

export interface Ledger {
  schema: "asl-conformance/ids-ledger/2";
  rules: Record<string, "live" | "retired">;
  decisions: string[];
  codes: string[];
  checks: Record<string, "live" | "retired">;
  /** Old check id -> the id that replaced it. */
  check_aliases: Record<string, string>;
}

export const LEDGER_FILE = join(SPEC_DIR, "ids-ledger.json");
/** The release until which old numeric check ids are accepted. */
export const ALIASES_UNTIL = "0.3.0";

export function readLedger(problems: SpecProblem[], file = LEDGER_FILE): Ledger | undefined {
  if (!existsSync(file)) return undefined;
  return readValidated<Ledger>(file, "ids-ledger.schema.json", problems);
}

let aliases: Record<string, string> | undefined;
function checkAliases(): Record<string, string> {
  if (aliases === undefined) {
    const problems: SpecProblem[] = [];
    aliases = readLedger(problems)?.check_aliases ?? {};
  }
  return aliases;
}

/** Check ids as a user gave them, with old ids replaced by their new ones (and a note saying so). */
export function resolveCheckIds(
  ids: string[],
  known: ReadonlySet<string>,
): { ids: string[]; notes: string[]; unknown: string[] } {
  const out: string[] = [];
  const notes: string[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    if (known.has(id)) out.push(id);
    else {
      const now = checkAliases()[id];
      if (now !== undefined && known.has(now)) {
        out.push(now);
        notes.push(
          `check id ${id} is now ${now} (old ids are accepted until ${ALIASES_UNTIL}; use the new one)`,
        );
      } else unknown.push(id);
    }
  }
  return { ids: out, notes, unknown };
}
