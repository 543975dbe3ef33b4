// Which rules one observation checks: an operation's answer, given what was asked (at CURRENT or at a
// retained state) and what came back (an error code checks the rules spec/errors.yaml gives it). A trace
// step carries these rules in the vectors (the generator writes them from here), and a differential
// property names them when an answer diverges, so that a mismatch fails the rules it really observed and
// no others.
import type { OpName } from "../adapters/interface.ts";
import { ERROR_RULES, type ErrorCode } from "../catalog/generated/errors.ts";

/** A lookup at an explicit state: the coordination equation, prefix replay, snapshot immutability. */
const AT_STATE = [
  "STO-CUR-001",
  "STO-CUR-003",
  "STO-LOG-002",
  "STO-LOG-004",
  "STO-SNAP-002",
  "STO-SNAP-003",
  "IDX-CI-002",
  "IDX-CI-004",
];

const BY_OP: Partial<Record<OpName, { current: string[]; state?: string[] }>> = {
  "ci.put": { current: ["STO-LOG-001", "STO-LOG-003", "IDX-CI-003"] },
  "ci.tombstone": { current: ["STO-LOG-003", "IDX-CI-003", "IDX-CI-005"] },
  "ci.lookup": {
    current: [
      "IDX-CI-001",
      "IDX-CI-002",
      "STO-CUR-002",
      "STO-CUR-003",
      "STO-CUR-004",
      "IDX-CI-006",
      "IDX-CI-007",
    ],
    state: [...AT_STATE, "IDX-CI-001", "STO-CUR-004", "IDX-CI-006", "IDX-CI-007"],
  },
  "ci.current": { current: ["STO-CUR-002", "STO-LOG-003"] },
  "ci.snapshot": { current: ["STO-SNAP-006"] },
  "ci.install": { current: ["STO-SNAP-007", "STO-SNAP-003", "STO-LOG-003"] },
  "ci.retire": { current: ["STO-RET-001"] },
  "ci.digest": { current: ["STO-DIG-001", "IDX-CI-004"], state: ["STO-DIG-001", "IDX-CI-004", ...AT_STATE] },
  "store.put": { current: ["IDX-PUT-001"] },
  "store.get": { current: ["IDX-GET-001", "IDX-CI-008"], state: ["IDX-GET-001", "IDX-CI-008", ...AT_STATE] },
  "store.reopen": { current: ["STO-REC-001"] },
  "si.register": { current: ["IDX-SI-001", "IDX-SI-002", "IDX-DEP-002"] },
  "si.get": { current: ["IDX-SI-001"] },
  "si.entries": { current: ["IDX-SI-001", "IDX-SI-002"] },
  "si.rebuild": { current: ["IDX-SI-003"] },
  "mc.get": { current: ["IDX-MC-001"] },
  "mc.entries": { current: ["IDX-MC-001"] },
  "mc.drop": { current: ["IDX-MC-002"] },
  "mc.recompute": { current: ["IDX-MC-003", "IDX-MC-004"] },
};

/** Operations that change state (their rules stay in the history a later divergence is explained by). */
export const WRITE_OPS: ReadonlySet<string> = new Set([
  "ci.put",
  "ci.tombstone",
  "ci.snapshot",
  "ci.install",
  "ci.retire",
  "store.put",
  "store.reopen",
  "si.register",
  "si.rebuild",
  "mc.drop",
  "mc.recompute",
]);

const hasState = (args: unknown): boolean => {
  const at = (args as { at?: unknown } | null)?.at;
  return at !== null && at !== undefined;
};

/**
 * The rules an answer to `op` with `args` observes; `error` is the code the expected answer is, if it is
 * an error. Undefined when this table says nothing of the operation (the check's own rules apply).
 */
export function observationRules(op: string, args: unknown, error?: string): string[] | undefined {
  const entry = BY_OP[op as OpName];
  if (!entry) return undefined;
  const base = hasState(args) && entry.state ? entry.state : entry.current;
  const extra = error && error in ERROR_RULES ? ERROR_RULES[error as ErrorCode] : [];
  const withStructure =
    op === "store.put" && (args as { structure?: unknown })?.structure ? ["IDX-PUT-002"] : [];
  return [...new Set([...base, ...extra, ...withStructure])].sort();
}
