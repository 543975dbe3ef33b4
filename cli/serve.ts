// asl-conform serve [--adapter MODULE]: speaks the process protocol on stdin/stdout, backed by the
// reference engine or a TypeScript/JavaScript module. `--adapter-cmd "npx asl-conform serve"` runs the
// suite against the reference through the process transport.
import type { Command } from "commander";
import { loadModuleImplementation } from "../adapters/in-process.ts";
import type { Implementation } from "../adapters/interface.ts";
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
    .action(async (opts: { adapter?: string }) => {
      let impl: Implementation;
      try {
        impl = opts.adapter ? await loadModuleImplementation(opts.adapter) : createReferenceImplementation();
      } catch (e) {
        if (e instanceof AdapterStartError) throw new CliError(e.message);
        throw e;
      }
      await serve(impl);
    });
}
