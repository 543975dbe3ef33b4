// asl-conform vectors generate [--out DIR] | verify [--dir DIR]
import { resolve } from "node:path";
import type { Command } from "commander";
import { VECTORS_DIR, verifyVectors, writeVectors } from "../authoring/vectors-files.ts";
import { EXIT_FAILED, EXIT_OK, out } from "./util.ts";

export function registerVectors(program: Command): void {
  const vectors = program.command("vectors").description("generate or verify the golden vectors (vectors/)");
  vectors
    .command("generate")
    .description("regenerate every vector from fixed seeds, byte for byte")
    .option("--out <dir>", "write there instead of vectors/")
    .action(async (opts: { out?: string }) => {
      const dir = opts.out ? resolve(opts.out) : VECTORS_DIR;
      const r = await writeVectors(dir);
      await out(
        `wrote ${r.written} files to ${dir}${r.removed.length ? `; removed ${r.removed.length} the generator no longer makes: ${r.removed.join(", ")}` : ""}`,
      );
    });
  vectors
    .command("verify")
    .description("check hashes, schemas, and that regeneration reproduces the committed files")
    .option("--dir <dir>", "verify this tree instead of vectors/")
    .action(async (opts: { dir?: string }) => {
      const problems = await verifyVectors(opts.dir ? resolve(opts.dir) : VECTORS_DIR);
      for (const p of problems) await out(`${p.file}: ${p.message}`);
      await out(
        problems.length === 0
          ? "vectors: ok (hashes, schemas, regeneration)"
          : `vectors: ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
      );
      process.exitCode = problems.length === 0 ? EXIT_OK : EXIT_FAILED;
    });
}
