// `run --adapter FILE` loads an Implementation module from any folder: an ES module package or a CommonJS
// one (package.json "type": "commonjs", or no "type"), written as .ts, .mts, .cts, .js, .mjs or .cjs. The
// CLI registers both of tsx's hooks (bin/asl-conform.js): the CommonJS one is what compiles a .ts file that
// Node loads through require. A module that exports nothing is refused in one line saying what it lacks.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../catalog/load.ts";

// A minimal Implementation claiming only `sharding` (DEC-024: shard = (fmix64(key) >> 32) * n >> 32), with
// no imports; the TypeScript form has type annotations, so a loader that does not compile it fails.
const BODY = (ts: boolean) => `
const M64 = (1n << 64n) - 1n;
function fmix64(x${ts ? ": bigint" : ""})${ts ? ": bigint" : ""} {
  let h = x;
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & M64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & M64;
  return h ^ (h >> 33n);
}
function bad(message${ts ? ": string" : ""})${ts ? ": never" : ""} {
  throw { code: "PROTO_BAD_REQUEST", message };
}
const impl = {
  info: { name: "mini-shard", version: "0.0.1", language: "${ts ? "typescript" : "javascript"}" },
  capabilities: ["sharding"],
  reset() {},
  handle(op${ts ? ": string" : ""}, args${ts ? ": Record<string, unknown>" : ""}) {
    if (op !== "shard.assign") bad("no operation " + op + " here");
    const { key, shards } = args ?? {};
    if (Object.keys(args ?? {}).some((k) => k !== "key" && k !== "shards")) bad("unknown member");
    if (typeof key !== "string" || !/^(0|[1-9]\\d{0,19})$/.test(key) || BigInt(key) > M64) bad("key is not a u64");
    if (typeof shards !== "number" || !Number.isInteger(shards) || shards < 1 || shards > 0xffffffff)
      bad("shards is not a u32 >= 1");
    return { shard: Number(((fmix64(BigInt(key)) >> 32n) * BigInt(shards)) >> 32n) };
  },
};
`;

const ESM_TS = `${BODY(true)}export default impl;\n`;
const ESM_JS = `${BODY(false)}export default impl;\n`;
const CJS_JS = `${BODY(false)}module.exports = impl;\n`;

const PACKAGES = {
  esm: { type: "module" },
  commonjs: { type: "commonjs" },
  "no type": {},
} as const;

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function folder(pkg: object): string {
  const dir = mkdtempSync(join(tmpdir(), "asl-adapter-"));
  made.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "my-impl", private: true, ...pkg }));
  return dir;
}

/** `asl-conform run --adapter FILE --capabilities sharding --quiet`, run from the module's folder. */
function runAdapter(dir: string, file: string) {
  const r = spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, "bin/asl-conform.js"),
      "run",
      "--adapter",
      file,
      "--capabilities",
      "sharding",
      "--quiet",
    ],
    { cwd: dir, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function passes(dir: string, file: string): void {
  const r = runAdapter(dir, file);
  expect(r.stderr, `${file}: ${r.stderr}`).toBe("");
  expect(r.stdout).toMatch(/\b0 failed\b/);
  expect(r.code, `${file}: ${r.stdout.slice(-400)}`).toBe(0);
}

function refusedInOneLine(dir: string, file: string, message: RegExp): void {
  const r = runAdapter(dir, file);
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(2);
}

describe("run --adapter MODULE, from the module's own folder", () => {
  for (const [kind, pkg] of Object.entries(PACKAGES)) {
    it(`loads .ts, .mts, .cts, .js, .mjs and .cjs modules in a package with ${kind}`, () => {
      const dir = folder(pkg);
      const cjsPackage = kind !== "esm";
      const files: Record<string, string> = {
        "impl.ts": ESM_TS,
        "impl.mts": ESM_TS,
        "impl.cts": ESM_TS,
        "impl.js": cjsPackage ? CJS_JS : ESM_JS,
        "impl.mjs": ESM_JS,
        "impl.cjs": CJS_JS,
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      for (const name of Object.keys(files)) passes(dir, `./${name}`);
    }, 300_000);

    it(`refuses an empty module in a package with ${kind}, in one line saying what it lacks`, () => {
      const dir = folder(pkg);
      for (const name of ["empty.ts", "empty.cjs"]) {
        writeFileSync(join(dir, name), "");
        refusedInOneLine(
          dir,
          name,
          new RegExp(
            `^asl-conform: the adapter module ${name.replace(".", "\\.")} exports nothing: it needs a default export, \`implementation\` or \`createImplementation\\(\\)\` giving an Implementation`,
          ),
        );
      }
    }, 120_000);
  }

  it("loads a module in a subfolder given by a relative path, and one that imports this package by absolute path", () => {
    const dir = folder(PACKAGES.commonjs);
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/impl.ts"), ESM_TS);
    passes(dir, "src/impl.ts");
    // A CommonJS module reaches the package's ES modules (which use top-level await) with import().
    const reference = pathToFileURL(join(REPO_ROOT, "adapters/reference/index.ts")).href;
    writeFileSync(
      join(dir, "reexport.ts"),
      `export async function createImplementation() {
  const { createReferenceImplementation } = await import(${JSON.stringify(reference)});
  const ref = createReferenceImplementation();
  return {
    info: { name: "re-export", version: "0", language: "typescript" },
    capabilities: ["sharding"],
    reset: () => ref.reset(),
    handle: (op: never, args: never) => ref.handle(op, args),
  };
}
`,
    );
    passes(dir, "./reexport.ts");
    // A static import of it from CommonJS cannot work (require cannot wait): one line says why and what to do.
    writeFileSync(
      join(dir, "static.ts"),
      `import { createReferenceImplementation } from ${JSON.stringify(join(REPO_ROOT, "adapters/reference/index.ts"))};\nexport default createReferenceImplementation();\n`,
    );
    refusedInOneLine(
      dir,
      "./static.ts",
      /^asl-conform: cannot load the adapter module \.\/static\.ts: .*Top-level await .*\(the module is loaded as CommonJS, .*await import\(\)/,
    );
  }, 300_000);
});
