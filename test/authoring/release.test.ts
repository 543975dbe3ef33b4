// Releases of the suite's data (asl-conform release, run --vectors): reproducible bytes, a manifest that
// counts and hashes every file, runs identical to the built-in vectors, and refusals that name what is
// wrong: a tampered or added file, a contract version this tool does not know (unless --accept-version).
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.ts";

const scratch = () => mkdtempSync(join(tmpdir(), "asl-release-test-"));

describe("asl-conform release", () => {
  const a = scratch();
  const b = scratch();
  const first = cli(["release", "--out", a]);
  const second = cli(["release", "--out", b]);
  const version = /^version: "([\d.]+)"/m.exec(readFileSync("spec/contract.yaml", "utf8"));
  const name = `asl-conformance-vectors-${version?.[1] ?? "?"}`;

  it("writes the same bytes twice, named after the contract version", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const x = readFileSync(join(a, `${name}.tar.gz`));
    const y = readFileSync(join(b, `${name}.tar.gz`));
    expect(x.equals(y)).toBe(true);
    expect(first.stdout).toMatch(/sha256 [0-9a-f]{64}/);
  });

  it("holds one folder: manifest.json first, then spec/ and vectors/, fixed times, no owners", () => {
    const list = execFileSync("tar", ["tzvf", join(a, `${name}.tar.gz`)], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(list[0]).toMatch(new RegExp(`^-rw-r--r-- 0/0 .* 2000-01-01 00:00 ${name}/manifest.json$`));
    expect(list.every((l) => l.includes(` ${name}/`))).toBe(true);
    expect(list.some((l) => l.endsWith(`${name}/spec/protocol.md`))).toBe(true);
    expect(list.some((l) => l.endsWith(`${name}/vectors/index.json`))).toBe(true);
    const manifest = JSON.parse(
      execFileSync("tar", ["xzOf", join(a, `${name}.tar.gz`), `${name}/manifest.json`], { encoding: "utf8" }),
    );
    expect(manifest.files).toHaveLength(list.length - 1);
    expect(manifest.counts.rules).toBeGreaterThan(90);
    expect(manifest.counts["unit checks"]).toBeGreaterThan(100);
  });

  it("runs: the same verdicts as the built-in vectors, the report naming the release", () => {
    const dir = scratch();
    const r = cli([
      "run",
      "--vectors",
      join(a, `${name}.tar.gz`),
      "--capabilities",
      "sharding",
      "--report-dir",
      dir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`release ${name}`);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    expect(report.contract.source).toBe("release");
    expect(report.contract.release_manifest).toMatch(/^[0-9a-f]{64}$/);
    const builtIn = cli(["run", "--capabilities", "sharding", "--quiet"]);
    expect(r.stdout.trim().split("\n").at(-1)).toBe(builtIn.stdout.trim().split("\n").at(-1));
  });

  function unpacked(): string {
    const dir = scratch();
    execFileSync("tar", ["xzf", join(a, `${name}.tar.gz`), "-C", dir]);
    return join(dir, name);
  }

  it("refuses a release with a changed file, naming it (exit 2)", () => {
    const dir = unpacked();
    appendFileSync(join(dir, "vectors/index.json"), " ");
    const r = cli(["run", "--vectors", dir, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("vectors/index.json does not match the manifest");
  });

  it("refuses a file the manifest does not list (exit 2)", () => {
    const dir = unpacked();
    writeFileSync(join(dir, "vectors/extra.json"), "{}");
    const r = cli(["run", "--vectors", dir, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("vectors/extra.json is not in the manifest");
  });

  it("refuses a newer contract version unless --accept-version, and says so", () => {
    const dir = unpacked();
    const contract = join(dir, "spec/contract.yaml");
    writeFileSync(contract, readFileSync(contract, "utf8").replace(/version: "[\d.]+"/, 'version: "9.0"'));
    // re-seal the manifest's hash of the changed file, as a real release of 9.0 would carry
    const manifestFile = join(dir, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const sha = execFileSync("sha256sum", [contract], { encoding: "utf8" }).split(" ")[0];
    for (const f of manifest.files) if (f.path === "spec/contract.yaml") f.sha256 = sha;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const refused = cli(["run", "--vectors", dir, "--capabilities", "sharding", "--quiet"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/contract version 9\.0 has another major version.*--accept-version/);
    const accepted = cli(["run", "--vectors", dir, "--capabilities", "sharding", "--accept-version"]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain("note: run with --accept-version although");
  });

  it("refuses --accept-version without --vectors, and a path that is no release (exit 2)", () => {
    expect(cli(["run", "--accept-version"]).code).toBe(2);
    const r = cli(["run", "--vectors", "/nonexistent/x.tar.gz"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const notTar = join(scratch(), "x.tar.gz");
    writeFileSync(notTar, "not a tarball");
    const t = cli(["run", "--vectors", notTar]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("not a readable .tar.gz");
  });
});
