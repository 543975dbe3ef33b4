// The package as an implementer gets it: `npm pack`, installed into an empty folder, runs every command a
// user needs from compiled JavaScript (dist/, built by prepack), with the spec and the vectors inside, and
// ships nothing a user does not need (no tests, no TypeScript sources but declarations).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../catalog/paths.ts";

const work = mkdtempSync(join(tmpdir(), "asl-package-"));
const packed = JSON.parse(
  execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: REPO_ROOT, encoding: "utf8" }),
)[0] as { filename: string; size: number; entryCount: number; files: { path: string }[] };
const app = join(work, "app");
execFileSync("mkdir", ["-p", app]);
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
execFileSync(
  "npm",
  ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", join(work, packed.filename)],
  { cwd: app, encoding: "utf8" },
);
const npx = (args: string[]) => {
  const r = spawnSync("npx", ["--no-install", "asl-conform", ...args], {
    cwd: app,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe("the npm package", () => {
  it("ships compiled code, the spec, the vectors and the Python examples, and no tests or sources", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("dist/cli/main.js");
    expect(paths).toContain("dist/adapters/interface.d.ts");
    expect(paths).toContain("spec/protocol.md");
    expect(paths).toContain("vectors/index.json");
    expect(paths).toContain("adapters/examples/python/adapter.py");
    // The power-cut interposer is built from its C source on first use (DEC-040).
    expect(paths).toContain("adapters/powercut/powercut.c");
    expect(paths).toContain("dist/adapters/powercut/powercut.js");
    expect(paths).toContain("CHANGELOG.md");
    expect(paths.filter((p) => p.startsWith("test/"))).toEqual([]);
    expect(paths.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("runs the suite in an empty folder against the reference and over the process protocol", () => {
    const ref = npx(["run", "--quiet", "--capabilities", "sharding,segment-decode"]);
    expect(ref.code, ref.stderr).toBe(0);
    expect(ref.stdout.trim().split("\n").at(-1)).toMatch(/^\d+ passed, 0 failed, 0 skipped \(\d+ checks\)$/);
    const py = npx([
      "run",
      "--quiet",
      "--capabilities",
      "sharding",
      "--adapter-cmd",
      "python3 node_modules/asl-conformance/adapters/examples/python/adapter.py",
    ]);
    expect(py.code, py.stderr).toBe(0);
  });

  it("loads a TypeScript adapter module typed by asl-conformance/interface", () => {
    writeFileSync(
      join(app, "impl.ts"),
      [
        'import type { Implementation } from "asl-conformance/interface";',
        "const impl = {",
        '  info: { name: "mod-shard", version: "1", language: "typescript" },',
        '  capabilities: ["sharding"],',
        "  reset() {},",
        "  handle(op: string, args: { key: bigint; shards: number }) {",
        '    if (op !== "shard.assign") throw Object.assign(new Error(op), { code: "PROTO_NOT_SUPPORTED" });',
        "    return { shard: Number(args.key % BigInt(args.shards)) };",
        "  },",
        "} as unknown as Implementation;",
        "export default impl;",
      ].join("\n"),
    );
    const r = npx(["run", "--quiet", "--adapter", "./impl.ts"]);
    expect(r.code).toBe(1); // it loads and runs; key mod N is not the DEC-024 shard function
    expect(r.stdout).toContain("ATXI-SHD-001");
  });

  it("answers --help, --version and the read-only commands; refuses the spec authors' commands with one line", () => {
    expect(npx(["--help"]).stdout).toContain("Commands:");
    expect(npx(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(npx(["rules"]).code).toBe(0);
    expect(npx(["vectors", "verify"]).code).toBe(0);
    const gate = npx(["check"]);
    expect(gate.code).toBe(2);
    expect(gate.stderr.trim()).toMatch(
      /^asl-conform: check runs in a clone of the asl-conformance repository/,
    );
  });
});
