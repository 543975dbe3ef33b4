// Small pieces shared by the commands: exit codes and an error that carries one.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../catalog/paths.ts";
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CANNOT_RUN = 2;

/** An error the CLI prints as one line (no stack) and exits with. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = EXIT_CANNOT_RUN) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Writes to stdout and resolves once it is flushed, so piping into `head` or a file loses nothing. */
export function out(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text.endsWith("\n") ? text : `${text}\n`)) resolve();
    else process.stdout.once("drain", resolve);
  });
}

/**
 * Commands of spec authors (the gate, rules sync) read the project's own tests and sources: they run in a
 * clone of the repository, not in the installed package, which ships compiled code, the spec and the
 * vectors only. Refuses with one line (exit 2) elsewhere.
 */
export function requireClone(command: string): void {
  if (!existsSync(join(REPO_ROOT, "cli/main.ts")) || !existsSync(join(REPO_ROOT, "test")))
    throw new CliError(
      `${command} runs in a clone of the asl-conformance repository (it reads the project's tests and generators, which the installed package does not ship)`,
    );
}
