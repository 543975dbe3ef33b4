// The errors of reading the spec and the package's files, and how a file is named in a message. Light on
// purpose (no ajv, no YAML parser): the CLI's entry point reports these without loading the catalog.
import { isAbsolute, relative, resolve } from "node:path";
import { REPO_ROOT } from "./paths.ts";

export interface SpecProblem {
  file: string;
  /** JSON-pointer-like path inside the file ("" for the whole file). */
  path: string;
  message: string;
  line?: number;
}

export class SpecError extends Error {
  readonly problems: SpecProblem[];
  constructor(problems: SpecProblem[]) {
    super(specErrorMessage(problems));
    this.name = "SpecError";
    this.problems = problems;
  }
}

/**
 * One line for one problem ("spec/rules/x.yaml:3: not valid YAML: ...", "cannot read /a/b.yaml: no such
 * file"); a heading and one line per problem otherwise, so that a broken file is fixed in one pass.
 */
function specErrorMessage(problems: SpecProblem[]): string {
  if (problems.length === 1) {
    const p = problems[0]!;
    const where = formatProblem(p).trim();
    return p.message.startsWith("cannot read: ") && !p.path
      ? `cannot read ${p.file}: ${p.message.slice("cannot read: ".length)}`
      : where;
  }
  const files = [...new Set(problems.map((p) => p.file))];
  const what = files.every((f) => /^spec\//.test(f) || /\/spec\//.test(f))
    ? "the spec is invalid"
    : files.length === 1
      ? `${files[0]} is invalid`
      : "invalid files";
  return `${what} (${problems.length} problems):\n${problems.map(formatProblem).join("\n")}`;
}

/** How a file is named in a message: relative to the package when inside it, else absolute. */
export function displayPath(absPath: string): string {
  const rel = relative(REPO_ROOT, absPath);
  return rel === "" ? absPath : rel.startsWith("..") || isAbsolute(rel) ? resolve(absPath) : rel;
}

/** What went wrong with a file system call, without Node's repetition of the path. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: "no such file or folder",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "it is a folder, not a file",
    ENOTDIR: "a part of the path is a file, not a folder",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
  };
  if (err && typeof err.code === "string" && known[err.code]) return `${known[err.code]} (${err.code})`;
  return err instanceof Error ? err.message.split("\n")[0]! : String(e);
}

export function formatProblem(p: SpecProblem): string {
  const where = `${p.file}${p.line !== undefined ? `:${p.line}` : ""}${p.path ? ` at ${p.path}` : ""}`;
  return `  ${where}: ${p.message}`;
}
