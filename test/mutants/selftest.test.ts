// The mutant zoo against the suite (harness/selftest.ts, in-process; the Python example is covered by the
// process-adapter tests): every mutant is rejected by a failing check that names a rule it declares, the
// reference conforms, and so does the plain-scan query engine the query mutants are built on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MUTANTS, scanControl } from "../../adapters/mutants/index.ts";
import { memoryScratchDir, mutantRow, runSelftest } from "../../authoring/selftest.ts";
import { CAPABILITIES, type Catalog, loadCatalog } from "../../catalog/load.ts";
import type { Check } from "../../harness/checks/types.ts";
import { loadSuite } from "../../harness/suite.ts";

const OPTS = { seed: 20261122, runs: 40 };
/**
 * The rows that run the crash checks (the reference, and the durability mutants) at --runs 8: each of
 * those mutants is caught by the first crash of a directory or by torn-tail's count-bounded phases, and the
 * reference's conformance at the default budget is run-tested elsewhere (test/harness/run.test.ts). It
 * keeps this file's time, most of CI's, down.
 */
const CRASH_OPTS = { ...OPTS, runs: 8 };
let checks: Check[];
let catalog: Catalog;
const savedTmp = process.env.TMPDIR;

beforeAll(async () => {
  // Scratch stores in memory, as the command keeps them (harness/selftest.ts: memoryScratchDir).
  const scratch = memoryScratchDir();
  if (scratch !== undefined) process.env.TMPDIR = scratch;
  catalog = loadCatalog();
  checks = (await loadSuite()).checks;
});

afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe("the mutant zoo", () => {
  it("holds at least 32 mutants over every capability, each declaring live MUST rules", () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(32);
    const covered = new Set(MUTANTS.flatMap((m) => m.capabilities));
    expect(CAPABILITIES.filter((c) => !covered.has(c))).toEqual([]);
    const rules = new Map(catalog.rules.map((r) => [r.id, r]));
    for (const m of MUTANTS) {
      expect(m.rules.length, m.id).toBeGreaterThan(0);
      expect(m.description.length, m.id).toBeGreaterThan(10);
      for (const id of m.rules) {
        const rule = rules.get(id);
        expect(rule, `${m.id} declares ${id}`).toBeDefined();
        expect(rule?.retired ?? false, `${m.id} declares retired ${id}`).toBe(false);
        expect(["MUST", "MUST NOT"], `${m.id} declares ${id}`).toContain(rule?.level);
      }
    }
  });

  it("[] the reference conforms", async () => {
    const r = await runSelftest({ ...CRASH_OPTS, mutants: [], python: false });
    expect(r.rows.map((x) => [x.id, x.verdict, x.killed_by])).toEqual([["reference", "conforms", []]]);
  });

  it("[] the plain-scan query engine with no defect conforms", async () => {
    const row = await mutantRow(scanControl, checks, catalog, OPTS);
    expect(row.verdict, JSON.stringify(row.detail)).toBe("survived");
  });

  for (const m of MUTANTS) {
    it(`[${m.rules.join(", ")}] ${m.id} is rejected by a check naming a declared rule`, async () => {
      const row = await mutantRow(
        m,
        checks,
        catalog,
        m.capabilities.includes("durability") ? CRASH_OPTS : OPTS,
      );
      expect(row.verdict, JSON.stringify(row.detail)).toBe("killed");
      expect(row.killed_by.length).toBeGreaterThan(0);
    }, 180_000); // a durability mutant restarts a served process at every crash
  }
});
