// Which checks a run takes: by rule pattern (--rules), by capability (--capabilities), by check id
// (--check, old numeric ids accepted for one release through the ids ledger), and by shard (--shard K/N).
import type { Capability } from "../adapters/interface.ts";
import type { Check } from "./checks/types.ts";

export interface RunSelection {
  rules?: string;
  capabilities?: Capability[];
  checks?: string[];
  shard?: { index: number; count: number };
}

/** "ATXI-VIS-*" style patterns, comma-separated; a plain id matches itself. */
export function rulePatternMatcher(pattern: string): (id: string) => boolean {
  const parts = pattern
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  return (id) => parts.some((re) => re.test(id));
}

/** Whether a selection narrows the suite (then rules no selected check names are skipped, not "not verified"). */
export function isNarrowed(sel: RunSelection): boolean {
  return (
    sel.rules !== undefined ||
    sel.capabilities !== undefined ||
    sel.checks !== undefined ||
    (sel.shard?.count ?? 1) > 1
  );
}

export function selectChecks(checks: Check[], sel: RunSelection = {}): Check[] {
  let out = [...checks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (sel.checks) {
    const ids = new Set(sel.checks);
    out = out.filter((c) => ids.has(c.id));
  }
  if (sel.rules) {
    const m = rulePatternMatcher(sel.rules);
    out = out.filter((c) => c.rules.some(m));
  }
  if (sel.capabilities) {
    const allowed = new Set(sel.capabilities);
    out = out.filter((c) => c.capabilities.every((cap) => allowed.has(cap)));
  }
  if (sel.shard) {
    const { index, count } = sel.shard;
    out = out.filter((_, i) => i % count === index - 1);
  }
  return out;
}
