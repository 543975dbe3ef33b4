// `asl-conform release --out DIR`: the suite's data as a reproducible tarball,
// asl-conformance-vectors-<contract version>.tar.gz (the consensus-spec-tests way): spec/ (rules,
// decisions, errors, capabilities, the protocol document and schemas, the contract) and vectors/, under
// one folder, with manifest.json first (harness/release.ts). Two runs give the same bytes: entries in
// byte order of their paths, a fixed mtime, modes normalised, no owner names (node-tar's portable mode,
// as npm packs), gzip at level 9 with no name or time in its header.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { c as tarCreate } from "tar";
import { readContract } from "../catalog/contract.ts";
import { loadCatalog } from "../catalog/load.ts";
import { REPO_ROOT, TOOL_VERSION } from "../catalog/paths.ts";
import { filesUnder, RELEASE_SCHEMA, type ReleaseManifest, sha256Hex } from "../harness/release.ts";

/** Every entry's time: a fixed date (not the epoch, which some unpackers take for "no time"). */
const MTIME = new Date("2000-01-01T00:00:00Z");

function counts(root: string): Record<string, number> {
  const index = JSON.parse(readFileSync(join(root, "vectors/index.json"), "utf8")) as {
    checks: { id: string }[];
  };
  const c: Record<string, number> = {};
  const add = (k: string) => {
    c[k] = (c[k] ?? 0) + 1;
  };
  for (const { id } of index.checks) {
    const p = id.split("/");
    if (p[0] === "trace") add("trace checks");
    else if (p[1] === "seg") add(`segment checks (${p.at(-1)})`);
    else if (p[1] === "set") add("segment-set checks");
    else if (p[1] === "unit") add("unit checks");
    else if (p[1] === "reg") add("regression checks");
    else add("other checks");
  }
  const catalog = loadCatalog(join(root, "spec"));
  c.rules = catalog.rules.length;
  c.decisions = catalog.decisions.length;
  c["error codes"] = catalog.errors.length;
  return Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface ReleaseResult {
  file: string;
  sha256: string;
  manifest: ReleaseManifest;
}

export async function writeRelease(outDir: string, root = REPO_ROOT): Promise<ReleaseResult> {
  const contract = readContract(join(root, "spec"));
  const name = `asl-conformance-vectors-${contract.version}`;
  const paths = [
    ...filesUnder(join(root, "spec")).map((p) => `spec/${p}`),
    ...filesUnder(join(root, "vectors")).map((p) => `vectors/${p}`),
  ];
  const files = paths.map((path) => {
    const bytes = readFileSync(join(root, path));
    return { path, bytes: bytes.length, sha256: sha256Hex(bytes) };
  });
  const manifest: ReleaseManifest = {
    schema: RELEASE_SCHEMA,
    name,
    contract,
    tool: { name: "asl-conform", version: TOOL_VERSION },
    counts: counts(root),
    files,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  // Staged in a scratch folder shaped as the tarball, so that tar reads plain files in our order.
  const stage = mkdtempSync(join(tmpdir(), "asl-release-"));
  try {
    const top = join(stage, name);
    mkdirSync(top, { recursive: true });
    writeFileSync(join(top, "manifest.json"), manifestText);
    for (const p of paths) {
      const dest = join(top, ...p.split("/"));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(join(root, p), dest);
    }
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `${name}.tar.gz`);
    await tarCreate(
      {
        file,
        cwd: stage,
        gzip: { level: 9 },
        portable: true,
        mtime: MTIME,
        noDirRecurse: true,
        // every file 0644, whatever the umask of the machine that copied it
        filter: (_path, stat) => {
          if ("mode" in stat) stat.mode = 0o100644;
          return true;
        },
      },
      [`${name}/manifest.json`, ...paths.map((p) => `${name}/${p}`)],
    );
    return { file, sha256: sha256Hex(readFileSync(file)), manifest };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
