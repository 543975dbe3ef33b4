// asl-conform vectors generate [--out DIR] | verify [--dir DIR]
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Command } from "commander";
import { VECTORS_DIR, verifyVectors, writeVectors } from "../authoring/vectors-files.ts";
import { displayPath, fsReason, REPO_ROOT } from "../catalog/load.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

/**
 * Makes sure the vectors can be written to `dir` before generating them (which takes a while), creating
 * it level by level: mkdirSync's recursive mode spins forever where mkdir answers ENOENT under a folder
 * that exists (/proc, among others).
 */
function writableFolder(dir: string): void {
  const cannot = (why: string) => new CliError(`cannot write the vectors to ${dir}: ${why}`);
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) {
    missing.unshift(d);
    d = dirname(d);
  }
  if (!statSync(d).isDirectory())
    throw cannot(d === dir ? "it is a file, not a folder" : `${d} is a file, not a folder`);
  try {
    for (const m of missing) mkdirSync(m);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw cannot(fsReason(e));
  }
}

/** A problem's file as a person finds it: relative inside the package, absolute outside it. */
function shown(file: string): string {
  return isAbsolute(file) ? displayPath(file) : displayPath(resolve(REPO_ROOT, file));
}

/**
 * The JSON files of a vector tree that do not parse: what stopped a verification that threw (a trace or
 * regression file is parsed without a guard there). Empty when none is to blame.
 */
function unparsableJson(dir: string): { file: string; message: string }[] {
  const bad: { file: string; message: string }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json"))
        try {
          JSON.parse(readFileSync(p, "utf8"));
        } catch (x) {
          bad.push({
            file: displayPath(p),
            message: x instanceof SyntaxError ? `not JSON: ${x.message}` : `cannot read: ${fsReason(x)}`,
          });
        }
    }
  };
  walk(dir);
  return bad;
}

export function registerVectors(program: Command): void {
  const vectors = program.command("vectors").description(DESCRIPTIONS.vectors);
  vectors
    .command("generate")
    .description("regenerate every vector from fixed seeds, byte for byte")
    .option("--out <dir>", "write there instead of vectors/")
    .action(async (opts: { out?: string }) => {
      const dir = opts.out ? resolve(opts.out) : VECTORS_DIR;
      writableFolder(dir);
      let r: Awaited<ReturnType<typeof writeVectors>>;
      try {
        r = await writeVectors(dir);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (typeof err?.code === "string" && typeof err.path === "string")
          throw new CliError(`cannot write the vectors to ${dir}: ${displayPath(err.path)}: ${fsReason(e)}`);
        throw e;
      }
      await out(
        `wrote ${r.written} files to ${dir}${r.removed.length ? `; removed ${r.removed.length} the generator no longer makes: ${r.removed.join(", ")}` : ""}`,
      );
    });
  vectors
    .command("verify")
    .description("check hashes, schemas, and that regeneration reproduces the committed files")
    .option("--dir <dir>", "verify this tree instead of vectors/")
    .action(async (opts: { dir?: string }) => {
      const dir = opts.dir ? resolve(opts.dir) : VECTORS_DIR;
      if (!existsSync(dir)) throw new CliError(`cannot verify ${dir}: no such folder`);
      if (!statSync(dir).isDirectory())
        throw new CliError(`cannot verify ${dir}: it is a file, not a folder`);
      let problems: { file: string; message: string }[];
      let stopped = false;
      try {
        const all = (await verifyVectors(dir)).map((p) => ({ ...p, file: shown(p.file) }));
        // A file that is not JSON also differs from index.json and from a regeneration: name the cause only.
        const unparsable = new Set(all.filter((p) => p.message.startsWith("not JSON")).map((p) => p.file));
        problems = all.filter((p) => !unparsable.has(p.file) || p.message.startsWith("not JSON"));
      } catch (e) {
        problems = unparsableJson(dir);
        if (problems.length === 0) throw e;
        stopped = true;
      }
      for (const p of problems) await out(`${p.file}: ${p.message}`);
      await out(
        problems.length === 0
          ? "vectors: ok (hashes, schemas, regeneration)"
          : `vectors: ${problems.length} problem${problems.length === 1 ? "" : "s"}${stopped ? " (the verification stopped there)" : ""}`,
      );
      process.exitCode = problems.length === 0 ? EXIT_OK : EXIT_FAILED;
    });
}
