// Every way a command can meet a broken or missing file ends in one line naming the file and what is wrong,
// never "internal error" and never a stack trace. The broken trees are copies of this package (node_modules
// linked, not copied) in temporary folders, so every command, not only `check --root`, runs on them.
// Exit codes (cli/main.ts): 2 when a command cannot do its job; `check` and `vectors verify` exit 1 when the
// tree they check is what is broken (a finding, listed one line per problem, then their summary line).
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../catalog/load.ts";
import { type CliResult, cli } from "../helpers/cli.ts";

const SKIP = new Set(["node_modules", ".git", ".stryker-tmp", ".tmp", "reports", "coverage", "out"]);
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A copy of the package to break, with node_modules linked. */
function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "asl-cli-errors-"));
  made.push(dir);
  for (const name of readdirSync(REPO_ROOT))
    if (!SKIP.has(name)) cpSync(join(REPO_ROOT, name), join(dir, name), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** Runs the copy's own CLI (its REPO_ROOT is the copy). */
function run(dir: string, args: string[]): CliResult {
  const r = spawnSync(process.execPath, [join(dir, "bin/asl-conform.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 2 and exactly one line on stderr, matching `line`, and nothing on stdout. */
function cannotRun(r: CliResult, line: RegExp | string): void {
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  if (typeof line === "string") expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stdout).toBe("");
  expect(r.code).toBe(2);
}

/** `check` on a broken tree: exit 1, the one problem on one line, then the summary. */
function checkFinds(r: CliResult, problem: RegExp): void {
  const lines = r.stdout.trimEnd().split("\n");
  expect(lines, r.stdout + r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(problem);
  expect(lines[1]).toMatch(/^check: 1 problem \(/);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(1);
}

const check = (dir: string) => run(dir, ["check", "--root", dir, "--skip-selftest", "--skip-python"]);

describe("a broken spec tree", () => {
  it("a YAML alias bomb in a rules file: the file, and that it is one", () => {
    const dir = packageCopy();
    const file = join(dir, "spec/rules/asl-store-index.yaml");
    const bomb = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `x${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    writeFileSync(file, `${bomb.join("\n")}\n${readFileSync(file, "utf8")}`);
    const said =
      /spec\/rules\/asl-store-index\.yaml: refused: its YAML aliases expand past 100 nodes \(an alias bomb/;
    cannotRun(run(dir, ["rules"]), new RegExp(`^asl-conform: ${said.source}`));
    checkFinds(check(dir), new RegExp(`^ {2}\\[spec\\] ${said.source}`));
  });

  it("a schema file that is not JSON, or not a valid JSON Schema", () => {
    const dir = packageCopy();
    const file = join(dir, "spec/schemas/informative.schema.json");
    writeFileSync(file, '{ "oops": ');
    cannotRun(run(dir, ["rules"]), /^asl-conform: spec\/schemas\/informative\.schema\.json: not JSON \(/);
    checkFinds(check(dir), /^ {2}\[spec\] spec\/schemas\/informative\.schema\.json: not JSON \(/);
    writeFileSync(
      file,
      '{ "$id": "https://asl-conformance.dev/schemas/informative.schema.json", "type": "objekt" }',
    );
    cannotRun(
      run(dir, ["rules"]),
      /^asl-conform: spec\/schemas\/informative\.schema\.json: not a valid JSON Schema: schema is invalid: data\/type must be/,
    );
    checkFinds(check(dir), /^ {2}\[spec\] spec\/schemas\/informative\.schema\.json: not a valid JSON Schema/);
  });

  it("a missing spec/rules/ folder: the cause only, not every reference into it", () => {
    const dir = packageCopy();
    rmSync(join(dir, "spec/rules"), { recursive: true });
    cannotRun(run(dir, ["rules"]), "asl-conform: spec/rules: missing: the folder of rule files is not there");
    checkFinds(check(dir), /^ {2}\[spec\] spec\/rules: missing: the folder of rule files is not there$/);
  });
});

describe("a truncated vector file", () => {
  for (const file of ["index.json", "segments/manifest.json", "traces/ci-errors.json"]) {
    it(`${file}: run, check, rules sync and selftest cannot use it; vectors verify names it`, () => {
      const dir = packageCopy();
      const p = join(dir, "vectors", file);
      truncateSync(p, Math.floor(readFileSync(p).length / 2));
      const said = `asl-conform: a vector file cannot be used: vectors/${file}: not readable JSON (`;
      for (const args of [
        ["run", "--quiet"],
        ["check", "--root", dir, "--skip-selftest", "--skip-python"],
        ["rules", "sync", "--check"],
        ["selftest", "--mutant", "ci-replay-off-by-one", "--json"],
      ]) {
        const r = run(dir, args);
        cannotRun(r, new RegExp(`^${said.replace(/[.()/]/g, "\\$&")}`));
      }
      const v = run(dir, ["vectors", "verify"]);
      expect(v.stdout).toMatch(
        new RegExp(`^vectors/${file.replace(/[./]/g, "\\$&")}: not JSON: .*\\nvectors: 1 problem`),
      );
      expect(v.stdout.trimEnd().split("\n")).toHaveLength(2);
      expect(v.stderr).toBe("");
      expect(v.code).toBe(1);
      // From outside the package, the file is named by its absolute path (no ../.. segments). (index.json
      // only: verify stops at once there, while the other two regenerate the vectors first.)
      if (file === "index.json") {
        const outside = cli(["vectors", "verify", "--dir", join(dir, "vectors")]);
        expect(outside.stdout.split("\n")[0]).toMatch(
          new RegExp(`^${join(dir, "vectors", file).replace(/[./]/g, "\\$&")}: not JSON`),
        );
      }
    }, 240_000);
  }
});

describe("paths that cannot be used", () => {
  it("vectors generate --out an existing file, or a place that cannot be written", () => {
    const dir = mkdtempSync(join(tmpdir(), "asl-cli-errors-"));
    made.push(dir);
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    cannotRun(
      cli(["vectors", "generate", "--out", file]),
      `asl-conform: cannot write the vectors to ${file}: it is a file, not a folder`,
    );
    cannotRun(
      cli(["vectors", "generate", "--out", join(file, "sub")]),
      `asl-conform: cannot write the vectors to ${join(file, "sub")}: ${file} is a file, not a folder`,
    );
    cannotRun(
      cli(["vectors", "generate", "--out", "/proc/asl-conform-vectors"]),
      /^asl-conform: cannot write the vectors to \/proc\/asl-conform-vectors: /,
    );
  });

  it("run --expect a file that does not exist: its absolute path", () => {
    cannotRun(
      cli(["run", "--expect", "/nonexistent.yaml", "--quiet"]),
      "asl-conform: cannot read /nonexistent.yaml: no such file or folder (ENOENT)",
    );
  });

  it("check --root a folder that does not exist, or holds no spec/ and vectors/", () => {
    cannotRun(
      cli(["check", "--root", "/nonexistent"]),
      "asl-conform: cannot check /nonexistent: no such folder",
    );
    const empty = mkdtempSync(join(tmpdir(), "asl-cli-errors-"));
    made.push(empty);
    cannotRun(
      cli(["check", "--root", empty]),
      `asl-conform: cannot check ${empty}: it holds no spec/ and no vectors/ folder (--root names a tree with spec/ and vectors/)`,
    );
  });

  it("vectors verify --dir a folder that does not exist", () => {
    cannotRun(
      cli(["vectors", "verify", "--dir", "/nonexistent"]),
      "asl-conform: cannot verify /nonexistent: no such folder",
    );
  });
});
