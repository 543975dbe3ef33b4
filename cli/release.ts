// asl-conform release --out DIR: the suite's data as a reproducible tarball named after the contract
// version (authoring/release.ts). `run --vectors` runs one (harness/release.ts).
import { resolve } from "node:path";
import type { Command } from "commander";
import { writeRelease } from "../authoring/release.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { out, requireClone } from "./util.ts";

export function registerRelease(program: Command): void {
  program
    .command("release")
    .description(DESCRIPTIONS.release)
    .requiredOption("--out <dir>", "where to write asl-conformance-vectors-<version>.tar.gz")
    .action(async (opts: { out: string }) => {
      requireClone("release");
      const r = await writeRelease(resolve(opts.out));
      const counts = Object.entries(r.manifest.counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ");
      await out(
        `${r.file}\n  contract ${r.manifest.contract.version}; ${r.manifest.files.length} files; ${counts}`,
      );
      await out(`  sha256 ${r.sha256}`);
    });
}
