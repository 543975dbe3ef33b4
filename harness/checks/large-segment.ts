// vec/seg/bloom-104852-keys/query: a segment too large to hold as a vector (104,852 ASL records, 2.5 MB,
// whose decoded form would be 10 MB of manifest), made at run time by the reference writer (the oracle,
// ctx.reference) and queried through the implementation with filters consulted. Its size is chosen at two
// edges of a writer or reader that works through the keys in batches: more keys than 2^16 (a batch size
// the reference uses, so a second batch holds the last 39,316 keys), and a bloom filter of exactly
// 131,072 bytes (DEC-009's 10 bits a key) before 65,536 keys of 24 bytes, so a copy of filter and keys
// that runs even one key long crosses a 64 KiB page. The answers must be the oracle's, compared by value
// as the set vectors' are, with filters used and ignored: the segment opens (no false negative,
// ATXI-FLT-002) and every lookup is answered the same either way (ATXI-FLT-003).
import type { Outcome } from "../../adapters/interface.ts";
import type { QueryCase } from "../vectors/read.ts";
import { runQueries } from "./queries.ts";
import type { Check, CheckContext, CheckOutcome } from "./types.ts";

/** Records: the least count past 2^16 whose bloom filter (10 bits a key, 64-bit words) is a multiple of 64 KiB. */
export const LARGE_SEGMENT_RECORDS = 104_852;
const RULES = ["ATXI-FLT-002", "ATXI-FLT-003"];

const artifactId = (i: number) => String(0x5eed_0000_0000n + BigInt(i) * 0x1_0001n);

/** The encoder input (spec/protocol.md section 6): one PUT per artifact, a bloom filter on artifact ids. */
export function largeSegmentInput(): Record<string, unknown> {
  return {
    segment_id: "104852",
    logseq_min: "1",
    logseq_max: String(LARGE_SEGMENT_RECORDS),
    asl_records: Array.from({ length: LARGE_SEGMENT_RECORDS }, (_, i) => ({
      logseq: String(i + 1),
      artifact_id: artifactId(i),
      type_tag: null,
      tombstone: false,
    })),
    tgk_records: [],
    edges: [],
    node_projections: false,
    filters: [{ kind: "bloom", domain: "asl" }],
  };
}

/** The first, the last of the first 2^16 and the first after them, the last, and two absent ids. */
function queries(): Record<string, unknown>[] {
  const at = String(LARGE_SEGMENT_RECORDS);
  const ids = [0, 65_535, 65_536, LARGE_SEGMENT_RECORDS - 1].map(artifactId);
  ids.push(String(0x5eed_0000_0000n - 1n), artifactId(LARGE_SEGMENT_RECORDS));
  return ids.map((id) => ({ kind: "artifact", artifact_id: id, at }));
}

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const made = await ctx.reference.call("seg.encode", { input: largeSegmentInput() } as never);
  if (!("ok" in made))
    throw new Error(`the reference writer refused the large segment: ${JSON.stringify(made).slice(0, 200)}`);
  const bytes = (made.ok as { bytes: Uint8Array }).bytes;
  // The oracle's answers become the expected ones; runQueries compares them as the set vectors' are
  // compared (by value, error codes only), once with filters used and once ignored.
  const asked = queries();
  const want = await ctx.reference.call("seg.query", {
    segments: [bytes],
    use_filters: false,
    queries: asked,
  } as never);
  if (!("ok" in want))
    throw new Error(`the reference refused its own large segment: ${JSON.stringify(want)}`);
  const answers = (want.ok as { answers: Outcome<unknown>[] }).answers;
  const cases: QueryCase[] = asked.map((query, i) => {
    const a = answers[i]!;
    return {
      query: query as QueryCase["query"],
      expect: "error" in a ? { error: a.error.code } : { ok: a.ok },
    };
  });
  const o = await runQueries(ctx.adapter, [bytes], cases, undefined);
  const what = `a segment of ${LARGE_SEGMENT_RECORDS} ASL records (${bytes.length} bytes, a bloom filter on their artifact ids)`;
  return {
    ...o,
    findings: o.findings.map((f) => ({
      ...f,
      // A wrong answer (field answers[i]) breaks ATXI-FLT-003; a set refused or answered short, the filter
      // answering "absent" for a key it holds or the reader failing on it, breaks both rules.
      rules: f.field?.startsWith("answers[") ? ["ATXI-FLT-003"] : RULES,
      message: `${what}: ${f.message}`,
    })),
    ...(o.findings.length === 0 && !o.fault
      ? { notes: [`${bytes.length}-byte segment, ${asked.length} lookups`] }
      : {}),
  };
}

export const LARGE_SEGMENT_CHECK: Check = {
  id: "vec/seg/bloom-104852-keys/query",
  title:
    "A segment of 104,852 ASL records (past 2^16 keys) whose bloom filter is exactly 128 KiB, made by the reference writer at run time: it opens and its lookups with filters consulted are the reference's",
  kind: "vector",
  rules: RULES,
  capabilities: ["segment-query", "filter-bloom"],
  run,
};
