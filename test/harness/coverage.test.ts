// State-machine coverage of the content-index and store models: a default run reaches every transition of
// harness/coverage.ts TRANSITIONS (install of each kind of snapshot, retire of each kind, lookups at current
// and older lines, retained and not, every mutable operation followed by reopen and a read), and the
// tracker names transitions from the reference's answers alone.
import { describe, expect, it } from "vitest";
import { CoverageCounter, TRANSITIONS } from "../../harness/coverage.ts";
import { cli } from "../helpers/cli.ts";

describe("state-machine coverage", () => {
  it("[STO-CUR-005][STO-SNAP-007][STO-RET-001][STO-REC-001] a default run reaches every transition of the models (run --coverage)", () => {
    const r = cli(["run", "--coverage", "--quiet"]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("coverage: every transition reached");
    for (const t of TRANSITIONS)
      expect(r.stdout).toMatch(
        new RegExp(`^  ${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+\\d+\\s+\\d+$`, "m"),
      );
  });

  it("names transitions from requests and the reference's answers, and reports what was not reached", () => {
    const c = new CoverageCounter();
    const t = c.tracker("traces");
    const state = (snapshot: string, position: string) => ({ ok: { snapshot, position } });
    t.observe("ci.current", {}, state("g", "0"));
    t.observe("ci.put", { key: "k" }, { ok: { position: "0" } });
    t.observe("ci.snapshot", {}, state("s1", "1"));
    t.observe("ci.install", { snapshot: "g" }, state("g", "0"));
    t.observe(
      "ci.lookup",
      { key: "k", at: { snapshot: "s1", position: "2" } },
      { error: "CI_STATE_NOT_RETAINED" },
    );
    t.observe("ci.retire", { snapshot: "g" }, { error: "CI_SNAPSHOT_IN_USE" });
    t.observe("store.reopen", {}, state("g", "0"));
    t.observe("ci.lookup", { key: "k", at: null }, { ok: { found: false } });
    for (const name of [
      "put",
      "snapshot:new",
      "install:genesis",
      "lookup@older-line:CI_STATE_NOT_RETAINED",
      "retire:genesis",
      "reopen-after:ci.retire",
      "read-after-reopen",
    ])
      expect(c.counts.has(name), name).toBe(true);
    expect(c.unreached()).toContain("install:retired");
  });
});
