// The content index past 2^24 keys (issue 15): a V8 Map stops at 2^24 entries, and the index used to stop
// with it (an "engine limit" error at 16,777,215 keys). This puts 2e7 distinct keys and reads back the
// first, the last, the ones either side of 2^24 and one in the middle, at CURRENT and at an older
// position. About 35 s of CPU (measured on 2 busy cores) and 1.7 GB of memory; the figures are in
// bench/scale-content-index.bench.ts, and nothing here asserts a time.
import { describe, expect, it } from "vitest";
import { ContentIndex, GENESIS_ID } from "../../../reference/content-index/index.ts";

const N = 20_000_000;
const TWO_24 = 2 ** 24;
const key = (i: number) => i.toString(16).padStart(64, "0");
const loc = (i: number) => ({ blockId: 7n, offset: BigInt(i), length: 64n });

describe("content index past 2^24 keys (issue 15)", () => {
  it("[IDX-CI-001][STO-CUR-001] holds 2e7 distinct keys and answers first, last and middle keys", {
    timeout: 600_000,
  }, () => {
    const ci = new ContentIndex();
    for (let i = 0; i < N; i++) ci.put(key(i), loc(i));
    expect(ci.current()).toEqual({ snapshot: GENESIS_ID, position: N });
    for (const i of [0, 1, TWO_24 - 2, TWO_24 - 1, TWO_24, TWO_24 + 1, N >> 1, N - 2, N - 1])
      expect([i, ci.lookup(key(i))]).toEqual([i, { location: loc(i), typeTag: undefined }]);
    expect(ci.lookup(key(N))).toBeUndefined();
    // An older position on the current line: key N-1 was put at position N-1, so it is absent there.
    expect(ci.lookup(key(N - 1), { snapshot: GENESIS_ID, position: N - 1 })).toBeUndefined();
    expect(ci.lookup(key(N - 2), { snapshot: GENESIS_ID, position: N - 1 })?.location).toEqual(loc(N - 2));
    // A new version of a key past 2^24 shadows the old one at CURRENT only.
    ci.put(key(TWO_24 + 1), loc(1), 5);
    expect(ci.lookup(key(TWO_24 + 1))).toEqual({ location: loc(1), typeTag: 5 });
    expect(ci.lookup(key(TWO_24 + 1), { snapshot: GENESIS_ID, position: N })?.location).toEqual(
      loc(TWO_24 + 1),
    );
    ci.tombstone(key(N - 1));
    expect(ci.lookup(key(N - 1))).toBeUndefined();
    expect(ci.current().position).toBe(N + 2);
  });
});
