// asl-conform: the one entry point. Exit codes (ARCHITECTURE.md): 0 all good, 1 the thing checked is
// wrong (a conformance failure, a stale vector, a broken spec tree under `check`), 2 the command could
// not do its job (bad flag, unreadable file, adapter would not start). No stack trace reaches a user
// unless ASL_CONFORM_DEBUG=1.
import { Command, CommanderError } from "commander";
import { displayPath, fsReason, SpecError } from "../catalog/load.ts";
import { VectorFileError } from "../harness/vectors/read.ts";
import { registerAdequacy } from "./adequacy.ts";
import { registerCheck } from "./check.ts";
import { registerDiff } from "./diff.ts";
import { registerInspect } from "./inspect.ts";
import { registerReport } from "./report.ts";
import { registerRules } from "./rules.ts";
import { registerRun } from "./run.ts";
import { registerSelftest } from "./selftest.ts";
import { registerServe } from "./serve.ts";
import { registerStore } from "./store.ts";
import { CliError, EXIT_CANNOT_RUN } from "./util.ts";
import { registerVectors } from "./vectors.ts";

// A reader that stops early (`| head`) closes the pipe: that ends the output, it is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

const program = new Command();
program
  .name("asl-conform")
  .description(
    "Conformance suite and reference engine for the ASL index family (ASL/INDEXES/1, ASL-STORE-INDEX, ENC-ASL-TGK-INDEX)",
  )
  .showHelpAfterError("(run asl-conform --help for the commands)")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerRun(program);
registerRules(program);
registerInspect(program);
registerDiff(program);
registerCheck(program);
registerReport(program);
registerServe(program);
registerSelftest(program);
registerAdequacy(program);
registerVectors(program);
registerStore(program);

for (const cmd of program.commands) {
  cmd.exitOverride();
  for (const sub of cmd.commands) sub.exitOverride();
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = reportFailure(e);
}

const VERB_OF: Record<string, string> = {
  open: "open",
  read: "read",
  scandir: "list",
  opendir: "list",
  stat: "find",
  lstat: "find",
  mkdir: "create",
  write: "write",
  rmdir: "remove",
  unlink: "remove",
  rename: "rename",
  copyfile: "copy",
};

function reportFailure(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
      return 0;
    return EXIT_CANNOT_RUN;
  }
  if (e instanceof SpecError) {
    process.stderr.write(`asl-conform: ${e.message}\n`);
    return EXIT_CANNOT_RUN;
  }
  if (e instanceof VectorFileError) {
    process.stderr.write(`asl-conform: a vector file cannot be used: ${e.message}\n`);
    return EXIT_CANNOT_RUN;
  }
  if (e instanceof CliError) {
    process.stderr.write(`asl-conform: ${e.message}\n`);
    return e.exitCode;
  }
  // A file system call that failed on a path a command did not guard: the path and the reason, one line.
  const fsErr = e as NodeJS.ErrnoException;
  if (fsErr instanceof Error && typeof fsErr.code === "string" && typeof fsErr.path === "string") {
    const verb = VERB_OF[fsErr.syscall ?? ""] ?? "use";
    process.stderr.write(`asl-conform: cannot ${verb} ${displayPath(fsErr.path)}: ${fsReason(fsErr)}\n`);
    return EXIT_CANNOT_RUN;
  }
  const err = e as Error;
  process.stderr.write(`asl-conform: internal error: ${err?.message ?? String(e)}\n`);
  if (process.env.ASL_CONFORM_DEBUG === "1" && err?.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write("(set ASL_CONFORM_DEBUG=1 to see where; please report it)\n");
  return EXIT_CANNOT_RUN;
}
