// npm run build (and npm pack's prepack): compiles the sources to dist/ as JavaScript, which the
// installed package runs (bin/asl-conform.js runs the TypeScript sources through tsx when they are
// there, as in a clone, and dist/ otherwise). With type declarations: the adapter contract (adapters/interface.ts) is
// exported as "asl-conformance/interface". `--clean` removes dist/ (postpack).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist"), { recursive: true, force: true });
if (process.argv.includes("--clean")) process.exit(0);
const tsc = join(root, "node_modules/typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (r.status !== 0) {
  process.stderr.write(`build: tsc -p tsconfig.build.json failed (status ${r.status})\n`);
  process.exit(1);
}
