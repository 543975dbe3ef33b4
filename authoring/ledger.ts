// Keeping spec/ids-ledger.json (catalog/ledger.ts reads it): ids only ever join it; a rule or a check only
// ever moves from live to retired, and only by `asl-conform check --update-ledger`, never silently. The
// gate reports an id that disappeared or came back, naming it and the command that records it.
import { writeFileSync } from "node:fs";
import { LEDGER_FILE, type Ledger, readLedger } from "../catalog/ledger.ts";
import type { Catalog, SpecProblem } from "../catalog/load.ts";

export interface LedgerProblem {
  area: "ids";
  message: string;
}

const sortedRecord = <V>(r: Record<string, V>): Record<string, V> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The ledger after this catalog and suite: new ids join, ids gone are retired, nothing is removed. */
export function nextLedger(c: Catalog, checkIds: readonly string[], prev: Ledger | undefined): Ledger {
  const rules: Record<string, "live" | "retired"> = { ...(prev?.rules ?? {}) };
  for (const r of c.rules) if (rules[r.id] !== "retired") rules[r.id] = r.retired ? "retired" : "live";
  const checks: Record<string, "live" | "retired"> = { ...(prev?.checks ?? {}) };
  const now = new Set(checkIds);
  for (const id of Object.keys(checks)) if (!now.has(id)) checks[id] = "retired";
  for (const id of checkIds) if (checks[id] !== "retired") checks[id] = "live";
  return {
    schema: "asl-conformance/ids-ledger/2",
    rules: sortedRecord(rules),
    decisions: [...new Set([...(prev?.decisions ?? []), ...c.decisions.map((d) => d.id)])].sort(),
    codes: [...new Set([...(prev?.codes ?? []), ...c.errors.map((e) => e.code)])].sort(),
    checks: sortedRecord(checks),
    check_aliases: sortedRecord(prev?.check_aliases ?? {}),
  };
}

export function ledgerProblems(c: Catalog, checkIds: readonly string[], ledger: Ledger): LedgerProblem[] {
  const out: LedgerProblem[] = [];
  const add = (message: string) => out.push({ area: "ids", message });
  const live = new Map(c.rules.map((r) => [r.id, r]));
  for (const [id, state] of Object.entries(ledger.rules)) {
    const r = live.get(id);
    if (!r) add(`rule ${id} disappeared: keep it and mark it retired (retired: {since, reason})`);
    else if (state === "retired" && !r.retired)
      add(`rule ${id} was retired and is live again: a retired id is never reused; give the rule a new id`);
  }
  for (const r of c.rules)
    if (!(r.id in ledger.rules))
      add(`rule ${r.id} is new: record it with \`asl-conform check --update-ledger\``);
  const decisions = new Set(c.decisions.map((d) => d.id));
  for (const d of ledger.decisions)
    if (!decisions.has(d)) add(`decision ${d} disappeared: keep it (with retired: "reason") instead`);
  for (const d of decisions)
    if (!ledger.decisions.includes(d))
      add(`decision ${d} is new: record it with \`asl-conform check --update-ledger\``);
  const codes = new Set(c.errors.map((e) => e.code));
  for (const code of ledger.codes)
    if (!codes.has(code)) add(`error code ${code} disappeared from the closed list: codes are never removed`);
  for (const code of codes)
    if (!ledger.codes.includes(code))
      add(`error code ${code} is new: record it with \`asl-conform check --update-ledger\``);
  const now = new Set(checkIds);
  for (const [id, state] of Object.entries(ledger.checks)) {
    if (state === "live" && !now.has(id))
      add(
        `check ${id} disappeared: if that is meant, record it as retired with \`asl-conform check --update-ledger\` (its id is never reused)`,
      );
    if (state === "retired" && now.has(id))
      add(
        `check ${id} was retired and is back: a retired check id is never reused; name the case differently`,
      );
  }
  for (const id of checkIds)
    if (!(id in ledger.checks))
      add(`check ${id} is new: record it with \`asl-conform check --update-ledger\``);
  for (const [old, to] of Object.entries(ledger.check_aliases))
    if (!(to in ledger.checks)) add(`the old check id ${old} names ${to}, which the ledger does not know`);
  return out;
}

export function writeLedger(c: Catalog, checkIds: readonly string[]): Ledger {
  const problems: SpecProblem[] = [];
  const next = nextLedger(c, checkIds, readLedger(problems));
  writeFileSync(LEDGER_FILE, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
