// A release of the suite's data (`asl-conform release`): spec/ and vectors/ with a manifest that names the
// contract version, counts the cases by kind and gives the SHA-256 of every file; packed as a
// reproducible asl-conformance-vectors-<version>.tar.gz. This module reads one (a tarball or its unpacked
// folder) for `run --vectors`: it checks the manifest, every file's hash (and that no file is missing or
// added), and that this tool can run the release's contract version.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { type Contract, contractProblem, readContract } from "../catalog/contract.ts";
import { displayPath } from "../catalog/errors.ts";

export const RELEASE_SCHEMA = "asl-conformance/release/1";

export interface ReleaseManifest {
  schema: typeof RELEASE_SCHEMA;
  name: string;
  contract: Contract;
  tool: { name: string; version: string };
  /** Cases and checks by kind, and the catalog's sizes. */
  counts: Record<string, number>;
  /** Every file of the release but the manifest, sorted by path ("/"-separated, from the release's root). */
  files: { path: string; bytes: number; sha256: string }[];
}

/** A release that cannot be used: one line naming the file and what is wrong. */
export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReleaseError";
  }
}

export interface OpenedRelease {
  root: string;
  specDir: string;
  vectorsDir: string;
  manifest: ReleaseManifest;
  manifestSha256: string;
  /** Set when the release's contract is not one this tool runs and --accept-version let it through. */
  accepted?: string;
  /** Removes the unpacked copy of a tarball (nothing for a folder). */
  close(): void;
}

export const sha256Hex = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** Every file under `dir`, "/"-separated and relative to it, sorted (byte order). */
export function filesUnder(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(abs, base));
    else if (e.isFile()) out.push(relative(base, abs).split(sep).join("/"));
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Opens a release (a .tar.gz, or the folder it unpacks to) and verifies it; throws ReleaseError. */
export async function openRelease(
  path: string,
  opts: { acceptVersion?: boolean } = {},
): Promise<OpenedRelease> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ReleaseError(`${displayPath(abs)}: no such file or folder`);
  let root = abs;
  let scratch: string | undefined;
  if (statSync(abs).isFile()) {
    scratch = mkdtempSync(join(tmpdir(), "asl-release-"));
    try {
      const { x } = await import("tar");
      await x({ file: abs, cwd: scratch, strict: true, preservePaths: false });
    } catch (e) {
      rmSync(scratch, { recursive: true, force: true });
      throw new ReleaseError(`${displayPath(abs)}: not a readable .tar.gz (${(e as Error).message})`);
    }
    root = scratch;
  }
  const close = () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  try {
    // A tarball holds one folder, asl-conformance-vectors-<version>/; a folder may be that one or its parent.
    if (!existsSync(join(root, "manifest.json"))) {
      const inner = readdirSync(root).filter((n) => existsSync(join(root, n, "manifest.json")));
      if (inner.length !== 1)
        throw new ReleaseError(`${displayPath(abs)}: no manifest.json (not a release of asl-conformance)`);
      root = join(root, inner[0]!);
    }
    const manifestBytes = readFileSync(join(root, "manifest.json"));
    let manifest: ReleaseManifest;
    try {
      manifest = JSON.parse(manifestBytes.toString("utf8")) as ReleaseManifest;
    } catch (e) {
      throw new ReleaseError(`${displayPath(abs)}: manifest.json is not JSON (${(e as Error).message})`);
    }
    if (manifest?.schema !== RELEASE_SCHEMA || !Array.isArray(manifest.files) || !manifest.contract)
      throw new ReleaseError(`${displayPath(abs)}: manifest.json is not a ${RELEASE_SCHEMA} manifest`);
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    const present = filesUnder(root).filter((p) => p !== "manifest.json");
    for (const p of present)
      if (!listed.has(p)) throw new ReleaseError(`${displayPath(abs)}: ${p} is not in the manifest`);
    for (const f of manifest.files) {
      const file = join(root, ...f.path.split("/"));
      if (!existsSync(file)) throw new ReleaseError(`${displayPath(abs)}: ${f.path} is missing`);
      const got = sha256Hex(readFileSync(file));
      if (got !== f.sha256)
        throw new ReleaseError(`${displayPath(abs)}: ${f.path} does not match the manifest (sha256 ${got})`);
    }
    const own = readContract();
    const released = readContract(join(root, "spec"));
    const problem = contractProblem(released, own);
    if (problem && !opts.acceptVersion)
      throw new ReleaseError(
        `${displayPath(abs)}: this tool (contract ${own.version}) does not run this release: ${problem}; --accept-version runs it anyway`,
      );
    return {
      root,
      specDir: join(root, "spec"),
      vectorsDir: join(root, "vectors"),
      manifest,
      manifestSha256: sha256Hex(manifestBytes),
      ...(problem ? { accepted: problem } : {}),
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
