// asl-conform serve [--adapter MODULE | --mutant ID]: speaks the process protocol on stdin/stdout, backed
// by the reference engine, a TypeScript/JavaScript module, or a mutant of the zoo. `--adapter-cmd "npx
// asl-conform serve"` runs the suite against the reference through the process transport; the crash checks
// (harness/durability) serve an in-process implementation this way, to have a process to kill.
import type { Command } from "commander";
import { loadModuleImplementation } from "../adapters/in-process.ts";
import type { Implementation } from "../adapters/interface.ts";
import { MUTANTS } from "../adapters/mutants/index.ts";
import { AdapterStartError } from "../adapters/process.ts";
import { createReferenceImplementation } from "../adapters/reference/index.ts";
import { serve } from "../adapters/serve.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { CliError } from "./util.ts";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description(DESCRIPTIONS.serve)
    .option("--adapter <module>", "serve this module's Implementation instead of the reference")
    .option("--mutant <id>", "serve a mutant of the zoo (asl-conform selftest lists them)")
    .action(async (opts: { adapter?: string; mutant?: string }) => {
      let impl: Implementation;
      try {
        if (opts.adapter && opts.mutant) throw new CliError("give --adapter or --mutant, not both");
        const mutant = opts.mutant ? MUTANTS.find((m) => m.id === opts.mutant) : undefined;
        if (opts.mutant && !mutant)
          throw new CliError(`no mutant ${opts.mutant} in the zoo (asl-conform selftest lists them)`);
        impl = mutant
          ? mutant.create()
          : opts.adapter
            ? await loadModuleImplementation(opts.adapter)
            : createReferenceImplementation();
      } catch (e) {
        if (e instanceof AdapterStartError) throw new CliError(e.message);
        throw e;
      }
      await serve(impl);
    });
}
