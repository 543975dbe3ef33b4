// Preloaded (node --import) into the engine that a crash check of `npm run adequacy` serves as a process.
// Stryker counts which checks reach a mutant in the test process only; code that runs in a served child
// (the disk store's recovery after a kill, say) would look reached by no check, and its mutants would be
// reported "no coverage" without running. During Stryker's dry run the adequacy suite sets
// ASL_ADEQUACY_COVERAGE_DIR, and this file writes the child's counts (the namespace Stryker's instrumented
// code fills, `__stryker__.mutantCoverage`) to a file of that folder before every answer and at exit: a
// crash check kills its child with SIGKILL, so an exit handler alone would lose them. The suite then adds
// the counts to the check that started the child. Outside a dry run this file does nothing.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.ASL_ADEQUACY_COVERAGE_DIR;
if (dir) {
  // A random name: in a PID namespace every child may have the same pid.
  const file = join(dir, `${randomBytes(8).toString("hex")}.json`);
  const dump = () => {
    const coverage = globalThis.__stryker__?.mutantCoverage;
    if (coverage) writeFileSync(file, JSON.stringify(coverage));
  };
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (...args) => {
    dump();
    return write(...args);
  };
  process.on("exit", dump);
}
