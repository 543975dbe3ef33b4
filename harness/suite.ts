// The whole suite: every check the vectors define (vectors/index.json) and every differential property,
// and the digest of the spec it was built from (report.json carries it, so merged shards can be told
// apart when they come from different spec versions).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { SPEC_DIR } from "../catalog/load.ts";
import { sha256Parts, toHex } from "../reference/common/hash.ts";
import { ARTIFACT_ID_CHECK } from "./checks/artifact-id.ts";
import { batchChecks } from "./checks/batch.ts";
import { LARGE_SEGMENT_CHECK } from "./checks/large-segment.ts";
import type { Check } from "./checks/types.ts";
import { vectorChecks } from "./checks/vectors.ts";
import { crashChecks, KILL_MODE, POWER_CUT_MODE, TORN_TAIL_CHECK } from "./durability/index.ts";
import { propertyChecks } from "./properties/index.ts";

export interface Suite {
  checks: Check[];
  /** Checks listed in vectors/index.json, the batch checks made from its units, and the coded sequences. */
  vectorCount: number;
}

export async function loadSuite(vectorsDir?: string): Promise<Suite> {
  const vectors = vectorChecks(vectorsDir);
  const batches = batchChecks(vectorsDir);
  // Cases written as code, not recorded: answers that admit more than one form, or a segment too large to keep.
  const coded = [ARTIFACT_ID_CHECK, LARGE_SEGMENT_CHECK];
  const checks = [
    ...vectors.checks,
    ...batches,
    ...coded,
    ...propertyChecks(),
    ...crashChecks([KILL_MODE, POWER_CUT_MODE]),
    TORN_TAIL_CHECK,
  ];
  const seen = new Set<string>();
  for (const c of checks) {
    if (seen.has(c.id)) throw new Error(`two checks share the id ${c.id}`);
    seen.add(c.id);
  }
  return { checks, vectorCount: vectors.indexed + batches.length + coded.length };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** SHA-256 over every spec file (path and bytes), in path order. */
export function specDigest(specDir = SPEC_DIR): string {
  const parts: Uint8Array[] = [];
  for (const f of filesUnder(specDir).sort()) {
    parts.push(
      new TextEncoder().encode(`${relative(dirname(specDir), f)}\n`),
      new Uint8Array(readFileSync(f)),
    );
  }
  return toHex(sha256Parts(parts));
}
