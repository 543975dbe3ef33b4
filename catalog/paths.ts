// Where the package's data lives, found from this module's own location so that the same code works in a
// clone (sources run through tsx) and in an installed package (compiled JavaScript under dist/): the
// package root is the nearest folder upwards that holds this package's package.json. The tool's version
// is read from there too, so it is written in one place only.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "asl-conformance")
          return dir;
      } catch {}
    }
    if (dirname(dir) === dir) throw new Error(`asl-conformance: no package.json above ${from}`);
  }
}

/** The package's root folder (a clone's checkout, or node_modules/asl-conformance when installed). */
export const REPO_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
export const SPEC_DIR = join(REPO_ROOT, "spec");
export const VECTORS_DIR = join(REPO_ROOT, "vectors");
export const TOOL_VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    version: string;
  }
).version;
