// The error of a vector file that cannot be used (light: the CLI's entry point reports it without loading
// the readers).

/** A vector file that cannot be used: it names the file and what is wrong there. */
export class VectorFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "VectorFileError";
  }
}
