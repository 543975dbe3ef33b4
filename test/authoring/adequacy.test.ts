// The adequacy report (authoring/adequacy.ts): how Stryker's outcomes and the triage become the scores
// that `npm run adequacy` commits. A too-costly mutant is triaged but still counts as not killed; only
// equivalent and unreachable ones leave the denominator.
import { describe, expect, it } from "vitest";
import { adequacyMarkdown, adequacyReport, type TriageEntry } from "../../authoring/adequacy.ts";

const SOURCE = ["const a = 1 + 2;", "const b = a > 3;", 'throw new Error("x" + a);', ""].join("\n");
const at = (line: number, from: number, to: number) => ({
  start: { line, column: from },
  end: { line, column: to },
});
const mutant = (id: string, status: string, line: number, from: number, to: number, replacement: string) => ({
  id,
  mutatorName: "M",
  replacement,
  status,
  location: at(line, from, to),
  ...(status === "Killed" ? { killedBy: ["t1"] } : {}),
});

const STRYKER = {
  files: {
    "reference/x/a.ts": {
      source: SOURCE,
      mutants: [
        mutant("1", "Killed", 1, 11, 16, "1 - 2"),
        mutant("2", "Timeout", 2, 11, 16, "a >= 3"),
        mutant("3", "Survived", 2, 11, 16, "a < 3"),
        mutant("4", "Survived", 3, 17, 24, '""'),
        mutant("5", "NoCoverage", 1, 11, 16, "1 * 2"),
        mutant("6", "Survived", 1, 15, 16, "4"),
        mutant("7", "RuntimeError", 1, 11, 12, "0"),
      ],
    },
    "reference/y/left.ts": { source: "x;\n", mutants: [mutant("8", "Survived", 1, 1, 2, "y")] },
  },
  testFiles: {
    "test/adequacy/suite.adequacy.ts": {
      tests: [{ id: "t1", name: "the conformance suite against the engine of this tree vec/seg/one/decode" }],
    },
  },
};

const TRIAGE: TriageEntry[] = [
  {
    file: "reference/x/a.ts",
    mutator: "M",
    original: '"x" + a',
    replacement: '""',
    verdict: "equivalent",
    reason: "message text only",
  },
  {
    file: "reference/x/a.ts",
    mutator: "M",
    original: "a > 3",
    replacement: "a < 3",
    verdict: "too-costly",
    reason: "needs 2^31 entries",
  },
  {
    file: "reference/x/a.ts",
    mutator: "M",
    original: "2",
    replacement: "4",
    verdict: "unreachable",
    reason: "behind no operation",
  },
];

describe("the adequacy report", () => {
  const r = adequacyReport(STRYKER as never, TRIAGE, (c) => (c === "vec/seg/one/decode" ? ["R-1"] : []), [
    { file: "reference/y/left.ts", reason: "left out" },
  ]);
  const folder = r.folders.find((f) => f.folder === "reference/x")!;

  it("counts killed and timed-out mutants as killed, names the checks, and credits their rules", () => {
    expect(folder.killed).toBe(2);
    expect(r.rules).toEqual({ "R-1": 1 });
    expect(r.checks_by_rule).toEqual({ "R-1": ["vec/seg/one/decode"] });
  });

  it("applies the triage by file, mutator, original text and replacement; what it does not match stays open", () => {
    const outcome = (replacement: string) => r.not_killed.find((m) => m.replacement === replacement)?.outcome;
    expect(outcome('""')).toBe("equivalent");
    expect(outcome("a < 3")).toBe("too-costly");
    expect(outcome("4")).toBe("unreachable");
    expect(outcome("1 * 2")).toBe("no-coverage");
    expect(outcome("0")).toBe("error");
  });

  it("tells apart the same mutant text on two lines by in_line, and an entry with it wins over one without", () => {
    const source = ["let x = 2 * s;", "let y = 2 * s;", ""].join("\n");
    const two = {
      files: {
        "reference/x/b.ts": {
          source,
          mutants: [mutant("1", "Survived", 1, 9, 14, "2 / s"), mutant("2", "Survived", 2, 9, 14, "2 / s")],
        },
      },
    };
    const entry = { file: "reference/x/b.ts", mutator: "M", original: "2 * s", replacement: "2 / s" };
    const byLine = (triage: TriageEntry[]) =>
      adequacyReport(two as never, triage, () => []).not_killed.map((m) => `${m.line}:${m.outcome}`);
    expect(
      byLine([{ ...entry, verdict: "equivalent", reason: "only y", in_line: "  let   y = 2 * s; " }]),
    ).toEqual(["1:survived", "2:equivalent"]);
    expect(
      byLine([
        { ...entry, verdict: "too-costly", reason: "every line" },
        { ...entry, verdict: "unreachable", reason: "only x", in_line: "let x = 2 * s;" },
      ]),
    ).toEqual(["1:unreachable", "2:too-costly"]);
  });

  it("scores killed / (mutants - equivalent - unreachable - errors): a too-costly mutant counts against it", () => {
    expect(folder).toMatchObject({ mutants: 7, equivalent: 1, unreachable: 1, errors: 1, too_costly: 1 });
    expect(folder.score).toBe(Math.round((2 / 4) * 10_000) / 10_000);
  });

  it("leaves out the files it is told to, and the markdown lists them and the too-costly column", () => {
    expect(r.folders.map((f) => f.folder)).toEqual(["reference/x"]);
    const md = adequacyMarkdown(r);
    expect(md).toContain("| reference/x | 7 | 2 | 0 | 1 | 1 | 1 | 1 | 1 | 50.00 % (below target) |");
    expect(md).toContain("| reference/y/left.ts | left out |");
  });
});
