// asl-conform: the one entry point. Exit codes (ARCHITECTURE.md): 0 all good, 1 the thing checked is
// wrong (a conformance failure, a stale vector, a broken spec tree under `check`), 2 the command could
// not do its job (bad flag, unreadable file, adapter would not start). No stack trace reaches a user
// unless ASL_CONFORM_DEBUG=1.
import { Command, CommanderError } from "commander";
import { displayPath, fsReason, SpecError } from "../catalog/errors.ts";
import { TOOL_VERSION } from "../catalog/paths.ts";
import { VectorFileError } from "../harness/vectors/errors.ts";
import { type CommandName, DESCRIPTIONS, USAGE } from "./descriptions.ts";
import { CliError, EXIT_CANNOT_RUN } from "./util.ts";

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: `asl-conform --help` and a mistyped command
 * load none of them (no catalog, no engine, no harness), which keeps start-up near a bare `node`.
 */
const LOADERS: Record<CommandName, () => Promise<Register>> = {
  run: async () => (await import("./run.ts")).registerRun,
  rules: async () => (await import("./rules.ts")).registerRules,
  inspect: async () => (await import("./inspect.ts")).registerInspect,
  diff: async () => (await import("./diff.ts")).registerDiff,
  check: async () => (await import("./check.ts")).registerCheck,
  report: async () => (await import("./report.ts")).registerReport,
  compare: async () => (await import("./compare.ts")).registerCompare,
  serve: async () => (await import("./serve.ts")).registerServe,
  selftest: async () => (await import("./selftest.ts")).registerSelftest,
  adequacy: async () => (await import("./adequacy.ts")).registerAdequacy,
  vectors: async () => (await import("./vectors.ts")).registerVectors,
  store: async () => (await import("./store.ts")).registerStore,
  site: async () => (await import("./site.ts")).registerSite,
  release: async () => (await import("./release.ts")).registerRelease,
};

/** How a failed file system call is named in a message, by its syscall. */
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
  .version(TOOL_VERSION, "-V, --version", "print the tool's version")
  .showHelpAfterError("(run asl-conform --help for the commands)")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

// The command named on the command line (or after `help`) is registered in full; the others are listed by
// name and description only.
const args = process.argv.slice(2);
const named = (args[0] === "help" ? args[1] : args.find((a) => !a.startsWith("-"))) as
  | CommandName
  | undefined;
const wanted = named !== undefined && Object.hasOwn(LOADERS, named) ? named : undefined;
for (const name of Object.keys(DESCRIPTIONS) as CommandName[]) {
  if (name === wanted) (await LOADERS[name]())(program);
  else program.command(USAGE[name] ?? name).description(DESCRIPTIONS[name]);
}

for (const cmd of program.commands) {
  cmd.exitOverride();
  for (const sub of cmd.commands) sub.exitOverride();
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = reportFailure(e);
}

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
