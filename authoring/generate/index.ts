// asl-conform vectors generate: every golden vector under vectors/, byte for byte the same on every
// machine (fixed seeds, no timestamps, canonical JSON with sorted keys), in the protocol's wire form
// (spec/protocol.md) so an implementation in any language can read them without this code. One part per
// manifest; the index lists every check the files define and every file with its hash.
import { PROFILE } from "../../adapters/interface.ts";
import type { IndexEntry } from "../../harness/vectors/read.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import type { ExtraCases } from "../cases/segments/index.ts";
import { jsonFile, type VectorFile } from "./canonical.ts";
import { regressionFiles } from "./regressions.ts";
import { segmentFiles } from "./segments.ts";
import { traceFiles } from "./traces.ts";
import { unitFiles } from "./units.ts";

export type { VectorFile } from "./canonical.ts";
export { canonicalJsonText } from "./canonical.ts";
export { REGRESSIONS_DIR } from "./regressions.ts";

export const INDEX_SCHEMA = "asl-conformance/vectors-index/2";

export async function generateVectors(
  opts: { regressionsDir?: string; extraSegments?: ExtraCases } = {},
): Promise<VectorFile[]> {
  const parts = [
    segmentFiles(opts.extraSegments),
    await unitFiles(),
    await traceFiles(),
    await regressionFiles(opts.regressionsDir),
  ];
  const files = parts.flatMap((p) => p.files);
  const index: IndexEntry[] = parts.flatMap((p) => p.entries).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (let i = 1; i < index.length; i++)
    if (index[i]!.id === index[i - 1]!.id)
      throw new Error(`vectors: two checks share the id ${index[i]!.id}`);
  const listed = files
    .map((f) => ({ path: f.path, size: f.bytes.length, sha256: toHex(sha256(f.bytes)) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  files.push(
    jsonFile("index.json", {
      schema: INDEX_SCHEMA,
      schema_file: "spec/schemas/vectors.schema.json",
      profile: PROFILE,
      generator: "asl-conform vectors generate",
      number_of_checks: index.length,
      checks: index,
      files: listed,
    }),
  );
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
