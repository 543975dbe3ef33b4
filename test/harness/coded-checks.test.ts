// The checks written as code (harness/checks/artifact-id.ts, harness/checks/large-segment.ts): each passes
// the reference and fails a broken implementation, and the artifact_id check also passes an implementation
// that issues its own artifact_ids (dense ordinals), the other answer DEC-015 admits.
import { describe, expect, it } from "vitest";
import type { Implementation, OpArgs, OpName, OpResult } from "../../adapters/interface.ts";
import { MUTANTS } from "../../adapters/mutants/index.ts";
import { createReferenceImplementation } from "../../adapters/reference/index.ts";
import { ARTIFACT_ID_CHECK } from "../../harness/checks/artifact-id.ts";
import { LARGE_SEGMENT_CHECK, LARGE_SEGMENT_RECORDS } from "../../harness/checks/large-segment.ts";
import type { Check } from "../../harness/checks/types.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { bloomNumBits } from "../../reference/filters/bloom.ts";
import { judgeImplementation } from "../helpers/check.ts";

const judge = (check: Check, impl: Implementation) =>
  judgeImplementation(impl, { checks: [check], seed: 1, runs: 1 });

/** A store that issues artifact_ids as dense ordinals (1, 2, ...): no two keys ever share one. */
function denseIds(): Implementation {
  let stored = new Map<string, { bytes: Uint8Array; id: number }>();
  let durable = stored;
  return {
    info: { name: "dense-artifact-ids", version: "1", language: "typescript" },
    capabilities: ["store"],
    reset() {
      stored = new Map();
      durable = stored;
    },
    handle<O extends OpName>(op: O, args: OpArgs<O>): OpResult<O> {
      const a = args as { bytes?: Uint8Array; key?: string };
      if (op === "store.put") {
        const key = toHex(sha256(a.bytes!));
        const had = stored.get(key);
        const v = had ?? { bytes: a.bytes!, id: stored.size + 1 };
        stored.set(key, v);
        const location = { block_id: "0", offset: "0", length: String(v.bytes.length) };
        return {
          key,
          artifact_id: String(v.id),
          location,
          created: !had,
          position: String(stored.size),
          sid: null,
        } as never;
      }
      if (op === "store.get") {
        const v = stored.get(a.key!);
        if (!v) throw { code: "STORE_NOT_FOUND", message: a.key };
        return { bytes: v.bytes } as never;
      }
      if (op === "store.reopen") {
        stored = new Map(durable);
        return { snapshot: null, position: String(stored.size) } as never;
      }
      throw { code: "PROTO_NOT_SUPPORTED", message: op };
    },
  };
}

describe("checks written as code", () => {
  it("[ATXI-INV-001] trace/store-artifact-id-pair: the reference refuses the pair's second PUT and conforms", async () => {
    const o = await judge(ARTIFACT_ID_CHECK, createReferenceImplementation());
    expect(o.findings).toEqual([]);
    expect(o.notes?.join(" ")).toContain(
      "B refused (STORE_ARTIFACT_ID_COLLISION), the same after store.reopen",
    );
  });

  it("[ATXI-INV-001] trace/store-artifact-id-pair: dense artifact_ids store both and conform", async () => {
    const o = await judge(ARTIFACT_ID_CHECK, denseIds());
    expect(o.fault).toBeUndefined();
    expect(o.findings).toEqual([]);
    expect(o.notes?.join(" ")).toContain("B stored under its own artifact_id");
  });

  it("[ATXI-INV-001] trace/store-artifact-id-pair: a store that takes B for A fails", async () => {
    const o = await judge(
      ARTIFACT_ID_CHECK,
      MUTANTS.find((m) => m.id === "store-dedup-by-artifact-id")!.create(),
    );
    expect(o.findings[0]?.rules).toEqual(["ATXI-INV-001"]);
    expect(o.findings[0]?.message).toMatch(/both stored under artifact_id 13685373658456226652/);
  });

  it("[ATXI-FLT-002] vec/seg/bloom-104852-keys/query: its record count is the least past 2^16 whose bloom is whole 64 KiB pages", () => {
    const pages = (n: number) => bloomNumBits(n) / 8 / 65_536;
    let n = 65_537;
    while (!Number.isInteger(pages(n))) n++;
    expect(n).toBe(LARGE_SEGMENT_RECORDS);
  });

  it("[ATXI-FLT-002] vec/seg/bloom-104852-keys/query: the reference opens and answers it", async () => {
    const o = await judge(LARGE_SEGMENT_CHECK, createReferenceImplementation());
    expect(o.findings).toEqual([]);
    expect(o.notes?.join(" ")).toMatch(/^\d+-byte segment, 6 lookups/);
  });

  /** The reference, but seg.query answered by `alter` (given the reference's answer and the request). */
  const reader = (
    alter: (answer: { answers: unknown[] }, args: { queries: { artifact_id: string }[] }) => unknown,
  ) => {
    const ref = createReferenceImplementation();
    const impl: Implementation = {
      ...ref,
      handle: async (op, args) => {
        const r = await ref.handle(op, args);
        return (op === "seg.query" ? alter(r as never, args as never) : r) as never;
      },
    };
    return impl;
  };

  it("[ATXI-FLT-002] vec/seg/bloom-104852-keys/query: a reader that refuses a segment past 2^16 keys fails", async () => {
    const o = await judge(
      LARGE_SEGMENT_CHECK,
      reader(() => {
        throw { code: "SEG_FILTER_FALSE_NEGATIVE", message: "keys past 2^16 unread" };
      }),
    );
    expect(o.findings[0]?.rules).toEqual(["ATXI-FLT-002", "ATXI-FLT-003"]);
    expect(o.findings[0]?.message).toContain(`${LARGE_SEGMENT_RECORDS} ASL records`);
    expect(o.findings[0]?.message).toContain("the set was refused with SEG_FILTER_FALSE_NEGATIVE");
  });

  it("[ATXI-FLT-003] vec/seg/bloom-104852-keys/query: a reader that misses the keys past 2^16 fails", async () => {
    // Artifact ids are 0x5eed00000000 + i * 0x10001 (large-segment.ts): those of records i >= 2^16 read as absent.
    const pastFirstBatch = (id: string) => (BigInt(id) - 0x5eed_0000_0000n) / 0x1_0001n >= 65_536n;
    const o = await judge(
      LARGE_SEGMENT_CHECK,
      reader((r, args) => ({
        answers: r.answers.map((a, i) =>
          pastFirstBatch(args.queries[i]!.artifact_id) ? { ok: { found: false } } : a,
        ),
      })),
    );
    expect(o.findings[0]?.rules).toEqual(["ATXI-FLT-003"]);
    expect(o.findings.length).toBe(4); // two keys past 2^16 present, each with filters used and ignored
  });
});
