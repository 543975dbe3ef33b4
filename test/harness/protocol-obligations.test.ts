// The protocol obligations are checks: implementations that break them, run through the process protocol,
// are rejected (exit 1) by checks of their own (the malformed-request units of DEC-033, the batch checks,
// the bad filter payloads of DEC-035, the large shard counts of DEC-024), and the reference passes them all.
// Each broken implementation is the reference behind one defect: a module served by `asl-conform serve`
// (written to a temporary directory), or, for batch, a small proxy in front of it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../catalog/load.ts";
import { loadSuite } from "../../harness/suite.ts";
import { cli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "asl-obligations-"));
const from = (path: string) => JSON.stringify(join(REPO_ROOT, path));

/** A module that is the reference except for `body`, run at the start of every request; served over the process protocol. */
function brokenModule(name: string, capabilities: string[], body: string): string {
  const file = join(dir, `${name}.mts`);
  writeFileSync(
    file,
    `import type { Implementation, OpArgs, OpName, OpResult } from ${from("adapters/interface.ts")};
import { createReferenceImplementation } from ${from("adapters/reference/index.ts")};
import { fmix64 } from ${from("reference/filters/mix.ts")};
const ref = createReferenceImplementation();
const impl: Implementation = {
  info: { name: ${JSON.stringify(name)}, version: "0.0.1", language: "typescript" },
  capabilities: ${JSON.stringify(capabilities)},
  reset: () => ref.reset(),
  async handle<O extends OpName>(op: O, args: OpArgs<O>): Promise<OpResult<O>> {
    void fmix64;
${body}
    return ref.handle(op, args);
  },
};
export default impl;
`,
  );
  return `node bin/asl-conform.js serve --adapter ${file}`;
}

/** The reference served over the process protocol, behind a proxy that answers every batch PROTO_NOT_SUPPORTED. */
function noBatchProxy(): string {
  const file = join(dir, "no-batch.mjs");
  writeFileSync(
    file,
    `import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
const child = spawn(process.execPath, [${from("bin/asl-conform.js")}, "serve"], { stdio: ["pipe", "pipe", "inherit"] });
child.on("exit", (code) => process.exit(code ?? 1));
createInterface({ input: child.stdout }).on("line", (line) => process.stdout.write(line + "\\n"));
createInterface({ input: process.stdin }).on("line", (line) => {
  let msg = {};
  try { msg = JSON.parse(line); } catch {}
  if (msg.op === "batch") {
    process.stdout.write(JSON.stringify({ id: msg.id, error: { code: "PROTO_NOT_SUPPORTED", message: "batch is not implemented" } }) + "\\n");
    return;
  }
  child.stdin.write(line + "\\n");
});
process.stdin.on("end", () => child.stdin.end());
`,
  );
  return `node ${file}`;
}

function run(adapterCmd: string, selection: string[]) {
  const r = cli(["run", "--quiet", "--adapter-cmd", adapterCmd, ...selection]);
  const failing = [...r.stdout.matchAll(/^\s*FAIL (\S+)/gm)].map((m) => m[1]!);
  return { ...r, failing };
}

const LARGE_SHARDS =
  /^vec\/unit\/shard-assign\/n(65536|1000003|2147483648|2147483649|4294967291|4294967295)\//;

describe("protocol obligations are checks", () => {
  it("rejects an implementation that answers INTERNAL to every malformed request", () => {
    const cmd = brokenModule(
      "internal-for-malformed",
      ["tgk-edges", "sharding"],
      `    try {
      return await ref.handle(op, args);
    } catch (e) {
      if ((e as { code?: string }).code === "PROTO_BAD_REQUEST")
        throw { code: "INTERNAL", message: "could not handle the request" };
      throw e;
    }`,
    );
    const r = run(cmd, ["--capabilities", "tgk-edges,sharding"]);
    expect(r.code, r.stdout.slice(-3000)).toBe(1);
    expect(r.failing).toContain("vec/unit/request-shape/shard.assign/shards-0");
    expect(r.failing).toContain("vec/unit/request-value/shard.assign/key-leading-zero");
    expect(r.failing).toContain("vec/unit/request-shape/tgk.edge-id/edge-extra-member");
    expect(r.failing).toContain("vec/unit/request-shape/unknown-op/sharding");
    expect(r.failing).toContain("vec/batch/sharding");
    expect(r.failing).toContain("vec/batch/tgk-edges");
    expect(r.stdout).toMatch(
      /refused with INTERNAL \(could not handle the request\), expected PROTO_BAD_REQUEST/,
    );
    // Only the new checks see it: every check that was there before passes.
    expect(r.failing.every((id) => /^vec\/(batch|unit\/request-(shape|value))\//.test(id))).toBe(true);
  });

  it("rejects an implementation that answers PROTO_NOT_SUPPORTED to batch", () => {
    const r = run(noBatchProxy(), ["--capabilities", "sharding,filter-bloom"]);
    expect(r.code, r.stdout.slice(-3000)).toBe(1);
    expect(r.failing.sort()).toEqual(["vec/batch/filter-bloom", "vec/batch/sharding"]);
    expect(r.stdout).toMatch(/refused whole with PROTO_NOT_SUPPORTED \(batch is not implemented\)/);
  });

  const shardVariants: [string, string][] = [
    [
      "plain modulo above 2^16 shards",
      "(a.shards > 65536 ? Number(BigInt(a.key) % BigInt(a.shards)) : r.shard)",
    ],
    ["fast range over all 64 bits of the mix", "Number((fmix64(BigInt(a.key)) * BigInt(a.shards)) >> 64n)"],
    [
      "the product rounded in a double",
      "Math.floor((Number(fmix64(BigInt(a.key)) >> 32n) * a.shards) / 4294967296)",
    ],
  ];
  for (const [name, expr] of shardVariants) {
    it(`rejects shard.assign computed by ${name}, which agrees with DEC-024 at small shard counts`, () => {
      const cmd = brokenModule(
        `shard-${name.replace(/[^a-z0-9]+/g, "-")}`,
        ["sharding"],
        `    if (op === "shard.assign") {
      const r = (await ref.handle(op, args)) as OpResult<"shard.assign">;
      const a = args as OpArgs<"shard.assign">;
      return { shard: ${expr} } as OpResult<O>;
    }`,
      );
      const r = run(cmd, ["--capabilities", "sharding"]);
      expect(r.code, r.stdout.slice(-3000)).toBe(1);
      expect(r.failing.length).toBeGreaterThan(0);
      // Every failing check is one of the large shard counts (or the batch that carries them).
      expect(r.failing.filter((id) => id !== "vec/batch/sharding").every((id) => LARGE_SHARDS.test(id))).toBe(
        true,
      );
      expect(r.failing.some((id) => LARGE_SHARDS.test(id))).toBe(true);
    });
  }

  it("rejects an implementation that probes a bad bloom payload instead of refusing it", () => {
    const cmd = brokenModule(
      "lenient-bloom-probe",
      ["filter-bloom"],
      `    if (op === "filter.probe") {
      try {
        return await ref.handle(op, args);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== "SEG_BAD_FILTER_PARAMS" && code !== "SEG_RESERVED_NONZERO") throw e;
        return { results: (args as OpArgs<"filter.probe">).keys.map(() => true) } as OpResult<O>;
      }
    }`,
    );
    const r = run(cmd, ["--capabilities", "filter-bloom"]);
    expect(r.code, r.stdout.slice(-3000)).toBe(1);
    for (const c of ["num-bits-0", "num-hashes-0", "num-hashes-33", "unused-bits-set", "truncated-15-bytes"])
      expect(r.failing).toContain(`vec/unit/filter-probe/bloom/bad-payload/${c}`);
    expect(r.failing).toContain("vec/batch/filter-bloom");
    expect(
      r.failing.every((id) =>
        /^vec\/(batch\/filter-bloom|unit\/filter-probe\/bloom\/bad-payload\/)/.test(id),
      ),
    ).toBe(true);
  });

  it("passes the reference, served over the process protocol, on every one of these checks", async () => {
    const ids = (await loadSuite()).checks
      .map((c) => c.id)
      .filter(
        (id) =>
          id.startsWith("vec/batch/") ||
          /^vec\/unit\/(request-(shape|value)\/|filter-probe\/(bloom|xor8)\/bad-payload\/)/.test(id) ||
          LARGE_SHARDS.test(id),
      );
    expect(ids.filter((id) => id.startsWith("vec/batch/")).length).toBe(15);
    const r = run("node bin/asl-conform.js serve", ["--check", ids.join(",")]);
    expect(r.code, r.stdout.slice(-3000)).toBe(0);
    expect(r.failing).toEqual([]);
    expect(r.stdout).toMatch(new RegExp(`^${ids.length} passed, 0 failed, 0 skipped`, "m"));
  });
});
