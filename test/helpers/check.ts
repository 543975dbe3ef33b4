// Runs checks against an implementation in-process, with the reference engine as the oracle, and closes
// both adapters afterwards: what the harness tests that judge one implementation by one check share.
import { InProcessAdapter } from "../../adapters/in-process.ts";
import type { Implementation } from "../../adapters/interface.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { type RunOptions, runChecks } from "../../harness/run.ts";

type Options = Omit<RunOptions, "adapter" | "reference" | "replayCommand"> &
  Partial<Pick<RunOptions, "replayCommand">>;

/** The observation of the first of `opts.checks` against `impl`. */
export async function judgeImplementation(impl: Implementation, opts: Options) {
  const adapter = new InProcessAdapter(impl);
  const reference = new InProcessAdapter(createReferenceImplementation());
  try {
    const [o] = await runChecks({ replayCommand: (id) => id, ...opts, adapter, reference });
    return o!;
  } finally {
    await adapter.close();
    await reference.close();
  }
}
