// Writing and verifying vectors/: `generate` writes what generateVectors returns (and removes files it
// no longer makes); `verify` checks the committed tree against the index (sizes, sha256), the schemas,
// and a fresh regeneration, and names every file that differs.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { REPO_ROOT, schemaId, schemaValidator } from "../catalog/load.ts";
import { VECTORS_DIR } from "../catalog/paths.ts";
import { sha256, toHex } from "../reference/common/hash.ts";

export { VECTORS_DIR };

import { generateVectors, type VectorFile } from "./generate/index.ts";

function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

export async function writeVectors(dir = VECTORS_DIR): Promise<{ written: number; removed: string[] }> {
  const files = await generateVectors();
  const keep = new Set(files.map((f) => f.path));
  const removed = listTree(dir).filter((p) => !keep.has(p));
  for (const p of removed) rmSync(join(dir, p));
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.bytes);
  }
  return { written: files.length, removed };
}

export interface VerifyProblem {
  file: string;
  message: string;
}

const SCHEMA_OF: Record<string, string> = {
  "index.json": "index",
  "segments/manifest.json": "segmentManifest",
  "sets/manifest.json": "setManifest",
  "units/manifest.json": "unitManifest",
  "traces/manifest.json": "traceManifest",
};

/** Every problem of the committed vectors: missing, extra, changed, schema-breaking or stale files. */
export async function verifyVectors(dir = VECTORS_DIR, fresh?: VectorFile[]): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const rel = (p: string) => relative(REPO_ROOT, join(dir, p));
  const indexPath = join(dir, "index.json");
  if (!existsSync(indexPath))
    return [{ file: rel("index.json"), message: "missing: run `npx asl-conform vectors generate`" }];
  let index: { files?: { path: string; size: number; sha256: string }[] };
  try {
    index = JSON.parse(readFileSync(indexPath, "utf8"));
  } catch (e) {
    return [{ file: rel("index.json"), message: `not JSON: ${(e as Error).message}` }];
  }
  const listed = new Map((index.files ?? []).map((f) => [f.path, f]));
  for (const [path, f] of listed) {
    const p = join(dir, path);
    if (!existsSync(p)) {
      problems.push({ file: rel(path), message: "listed in index.json but missing" });
      continue;
    }
    const bytes = readFileSync(p);
    if (bytes.length !== f.size)
      problems.push({ file: rel(path), message: `size ${bytes.length}, index.json says ${f.size}` });
    else if (toHex(sha256(bytes)) !== f.sha256)
      problems.push({ file: rel(path), message: `sha256 differs from index.json` });
  }
  for (const path of listTree(dir)) {
    if (path !== "index.json" && !listed.has(path))
      problems.push({ file: rel(path), message: "not listed in index.json (not made by the generator)" });
  }
  const ajv = schemaValidator();
  for (const [path, def] of Object.entries(SCHEMA_OF)) {
    const p = join(dir, path);
    if (!existsSync(p)) continue;
    const v = ajv.getSchema(`${schemaId("vectors.schema.json")}#/$defs/${def}`);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(p, "utf8"));
    } catch (e) {
      problems.push({ file: rel(path), message: `not JSON: ${(e as Error).message}` });
      continue;
    }
    if (v && !v(data)) {
      const e = v.errors?.[0];
      problems.push({
        file: rel(path),
        message: `breaks spec/schemas/vectors.schema.json#/$defs/${def} at ${e?.instancePath || "/"}: ${e?.message}`,
      });
    }
  }
  const traceSchema = ajv.getSchema(schemaId("trace.schema.json"));
  for (const path of listTree(dir).filter((p) => p.startsWith("traces/") && p !== "traces/manifest.json")) {
    const data = JSON.parse(readFileSync(join(dir, path), "utf8"));
    if (traceSchema && !traceSchema(data))
      problems.push({
        file: rel(path),
        message: `breaks spec/schemas/trace.schema.json: ${traceSchema.errors?.[0]?.instancePath} ${traceSchema.errors?.[0]?.message}`,
      });
  }
  const regressionSchema = ajv.getSchema(`${schemaId("vectors.schema.json")}#/$defs/regression`);
  for (const path of listTree(dir).filter((p) => p.startsWith("regressions/"))) {
    const data = JSON.parse(readFileSync(join(dir, path), "utf8"));
    if (regressionSchema && !regressionSchema(data)) {
      problems.push({
        file: rel(path),
        message: `breaks spec/schemas/vectors.schema.json#/$defs/regression: ${regressionSchema.errors?.[0]?.instancePath} ${regressionSchema.errors?.[0]?.message}`,
      });
    }
  }
  const regenerated = fresh ?? (await generateVectors());
  for (const f of regenerated) {
    const p = join(dir, f.path);
    if (!existsSync(p)) {
      if (!problems.some((x) => x.file === rel(f.path)))
        problems.push({ file: rel(f.path), message: "the generator makes it, but it is not committed" });
      continue;
    }
    const bytes = readFileSync(p);
    if (!Buffer.from(f.bytes).equals(bytes))
      problems.push({
        file: rel(f.path),
        message:
          "stale: regenerating the vectors gives other bytes (run `npx asl-conform vectors generate` and commit)",
      });
  }
  return problems;
}
