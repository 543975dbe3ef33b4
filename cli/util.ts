// Small pieces shared by the commands: exit codes and an error that carries one.
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
