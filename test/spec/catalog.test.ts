// The spec as data: every file validates, references resolve, the closed error list matches the code,
// the generated view is fresh, and a broken spec tree is refused with the file and path named.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { syncGenerated } from "../../authoring/codegen.ts";
import { syncRuleChecks } from "../../authoring/rules-sync.ts";
import { rulesMarkdown } from "../../authoring/rules-view.ts";
import { loadCatalog, SPEC_DIR, SpecError } from "../../catalog/load.ts";
import { ERROR_CODES } from "../../reference/common/errors.ts";

const catalog = loadCatalog();

describe("the rule catalog", () => {
  it("loads every spec file and validates it against its schema", () => {
    expect(catalog.rules.length).toBeGreaterThan(90);
    expect(new Set(catalog.rules.map((r) => r.source.doc))).toEqual(
      new Set(["ASL/INDEXES/1", "ASL-STORE-INDEX", "ENC-ASL-TGK-INDEX"]),
    );
  });

  it("makes the engine's error codes and the reader's step order from spec/errors.yaml (catalog/generated is fresh)", () => {
    expect(syncGenerated(catalog, false)).toEqual([]);
    expect([...ERROR_CODES]).toEqual(catalog.errors.map((e) => e.code));
  });

  it("has a rule for every section 12 invariant of ENC-ASL-TGK-INDEX and every normative section of ASL/INDEXES/1", () => {
    const sections = new Set(catalog.rules.map((r) => `${r.source.doc} ${r.source.section}`));
    for (const s of ["2.1", "2.2", "2.3", "3"]) expect(sections.has(`ASL/INDEXES/1 ${s}`)).toBe(true);
    const enc12 = catalog.rules.filter(
      (r) => r.source.doc === "ENC-ASL-TGK-INDEX" && r.source.section.includes("12"),
    );
    expect(enc12.length).toBeGreaterThanOrEqual(8);
  });

  it("gives every decision at least two options and names only rules that exist", () => {
    const ids = new Set(catalog.rules.map((r) => r.id));
    for (const d of catalog.decisions) {
      expect(d.options.length).toBeGreaterThanOrEqual(2);
      for (const r of d.rules) expect(ids.has(r), `${d.id} -> ${r}`).toBe(true);
    }
  });

  it("pins a reader check order whose codes are all decode or validate codes", () => {
    const stage = new Map(catalog.errors.map((e) => [e.code, e.stage]));
    for (const s of catalog.checkOrder) {
      if (s.code === "(per field)") continue;
      expect(["decode", "validate"]).toContain(stage.get(s.code));
    }
  });

  it("keeps every rule's checks list equal to the checks that name it (regenerate with npm run rules:sync)", async () => {
    expect(await syncRuleChecks(false)).toEqual([]);
  });

  it("gives every live rule at least one check, and names no rule a check does not exist for", () => {
    for (const r of catalog.rules.filter((x) => !x.retired)) expect(r.checks.length, r.id).toBeGreaterThan(0);
  });

  it("keeps spec/RULES.md equal to the generated view (regenerate with npm run rules:view)", () => {
    const committed = readFileSync(join(SPEC_DIR, "RULES.md"), "utf8");
    expect(committed).toBe(rulesMarkdown(catalog));
  });
});

describe("a broken spec tree", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function brokenCopy(file: string, edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), "asl-spec-"));
    dirs.push(dir);
    cpSync(SPEC_DIR, dir, { recursive: true });
    const p = join(dir, file);
    writeFileSync(p, edit(readFileSync(p, "utf8")));
    return dir;
  }

  function problemsOf(dir: string): string[] {
    try {
      loadCatalog(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      return (e as SpecError).problems.map((p) => `${p.file}:${p.line ?? "-"} ${p.path} ${p.message}`);
    }
    throw new Error("the broken spec tree was accepted");
  }

  it("reports a YAML syntax error with the file and line, and nothing that merely follows from it", () => {
    const problems = problemsOf(
      brokenCopy("rules/asl-indexes-1.yaml", (t) => t.replace("level: MUST\n", "level: [MUST\n")),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.includes("asl-indexes-1.yaml"))).toBe(true);
    expect(problems[0]).toMatch(/asl-indexes-1\.yaml:\d+ .*not valid YAML/);
  });

  it("reports a schema violation with its path inside the file", () => {
    const problems = problemsOf(
      brokenCopy("rules/asl-store-index.yaml", (t) => t.replace("level: SHOULD", "level: OUGHT")),
    );
    expect(
      problems.some((p) =>
        /asl-store-index\.yaml:\d+ \/rules\/\d+\/level must be equal to one of the allowed values/.test(p),
      ),
    ).toBe(true);
  });

  it("reports a duplicated rule id", () => {
    const problems = problemsOf(
      brokenCopy("rules/asl-store-index.yaml", (t) => t.replace("id: STO-SNAP-002", "id: STO-SNAP-001")),
    );
    expect(problems.some((p) => p.includes("rule id STO-SNAP-001 is used twice"))).toBe(true);
  });

  it("reports a reference to a rule or decision that does not exist", () => {
    const dir = brokenCopy("decisions.yaml", (t) => t.replace(/rules: \[\s*/, "rules: [ATXI-FTR-999, "));
    expect(
      problemsOf(dir).some((p) => p.includes("DEC-001 names rule ATXI-FTR-999, which does not exist")),
    ).toBe(true);
    const dir2 = brokenCopy("rules/asl-indexes-1.yaml", (t) =>
      t.replace(/decisions: \[\s*DEC-031\s*\]/, "decisions: [DEC-999]"),
    );
    expect(problemsOf(dir2).some((p) => p.includes("names decision DEC-999, which does not exist"))).toBe(
      true,
    );
  });

  it("reports an error code named in the check order but missing from the list", () => {
    const problems = problemsOf(
      brokenCopy("errors.yaml", (t) =>
        t.replace("code: SEG_BAD_MAGIC, stage", "code: SEG_WRONG_MAGIC, stage"),
      ),
    );
    expect(problems.some((p) => p.includes("names code SEG_BAD_MAGIC, which is not in the list"))).toBe(true);
  });
});
