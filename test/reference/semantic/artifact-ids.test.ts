// The store's artifact_id table (reference/store/artifact-ids.ts): an open-addressing table that must
// answer exactly what a Map would, through its growth, for small and large ids alike.
import { describe, expect, it } from "vitest";
import { ArtifactIds } from "../../../reference/store/artifact-ids.ts";

const key = (i: number) => i.toString(16).padStart(64, "0");

describe("artifact_id table (DEC-015, ATXI-INV-001)", () => {
  it("[ATXI-INV-001] answers like a Map through growth: small ids, ids above 2^63, absent ids, first key kept", () => {
    const t = new ArtifactIds();
    const ids: bigint[] = [];
    const u64 = (1n << 64n) - 1n;
    for (let i = 0; i < 50_000; i++)
      ids.push(BigInt(i), ((1n << 63n) + BigInt(i) * 0x9e3779b97f4a7c15n) & u64);
    ids.push(u64);
    for (let i = 0; i < ids.length; i++) t.set(ids[i]!, key(i));
    const wrong = ids.filter((id, i) => t.get(id) !== key(i));
    expect(wrong).toEqual([]);
    expect(t.get(50_000n)).toBeUndefined();
    expect(t.get(1n << 62n)).toBeUndefined();
    t.set(7n, key(999_999)); // an id already held keeps its key: the store refuses the second one
    expect(t.get(7n)).toBe(key(14));
  });
});
