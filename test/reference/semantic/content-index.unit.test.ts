// Example-based checks of the content index: the cases a reader of DEC-018/DEC-020 looks for first.
import { describe, expect, it } from "vitest";
import type { AslError } from "../../../reference/common/errors.ts";
import { sha256Parts, toHex } from "../../../reference/common/hash.ts";
import { ContentIndex, GENESIS_ID } from "../../../reference/content-index/index.ts";

const key = (i: number) => i.toString(16).padStart(64, "0");
const loc = (o: number) => ({ blockId: 0n, offset: BigInt(o), length: 1n });
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AslError).code;
  }
  return "no error";
};

describe("content index", () => {
  it("[STO-SNAP-005][STO-CUR-002] genesis is (SHA-256('ASL-SNAPSHOT/1' || 0 u64 || 32 zero bytes), 0) with the all-zero digest", () => {
    const ci = new ContentIndex();
    const expected = toHex(
      sha256Parts([new TextEncoder().encode("ASL-SNAPSHOT/1"), new Uint8Array(8), new Uint8Array(32)]),
    );
    expect(GENESIS_ID).toBe(expected);
    expect(ci.current()).toEqual({ snapshot: expected, position: 0 });
    expect(ci.digest()).toBe("0".repeat(64));
  });

  it("[STO-LOG-003] positions start at the base's position and rise by exactly one per append, also after install", () => {
    const ci = new ContentIndex();
    expect([ci.put(key(1), loc(0)), ci.tombstone(key(2)), ci.put(key(1), loc(1))]).toEqual([0, 1, 2]);
    const s = ci.snapshot();
    ci.put(key(3), loc(2));
    ci.install(s.snapshot);
    expect(ci.put(key(4), loc(3))).toBe(3);
    expect(ci.current().position).toBe(4);
  });

  it("[IDX-CI-007] a tombstone of an unknown key leaves the digest unchanged but takes a position", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0));
    const d = ci.digest();
    expect(ci.tombstone(key(9))).toBe(1);
    expect(ci.digest()).toBe(d);
    expect(ci.lookup(key(9))).toBeUndefined();
  });

  it("[IDX-CI-005][IDX-CI-006][STO-CUR-004] a PUT after a tombstone makes the key visible again with the new location; a re-PUT of the old value restores the old digest", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0), 5);
    const d1 = ci.digest();
    ci.tombstone(key(1));
    expect(ci.digest()).toBe("0".repeat(64));
    ci.put(key(1), loc(7));
    expect(ci.lookup(key(1))).toEqual({ location: loc(7), typeTag: undefined });
    ci.put(key(1), loc(0), 5);
    expect(ci.digest()).toBe(d1);
  });

  it("[STO-SNAP-006][STO-SNAP-004] a snapshot captures CURRENT without changing it; snapshotting the same state twice gives the same id", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0));
    const c = ci.current();
    const s = ci.snapshot();
    expect(ci.current()).toEqual(c);
    expect(ci.snapshot()).toEqual(s);
    expect(ci.digest({ snapshot: s.snapshot, position: s.position })).toBe(ci.digest());
  });

  it("[STO-CUR-005] every DEC-020 error in its case", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0));
    const s1 = ci.snapshot();
    ci.put(key(2), loc(1));
    const s2 = ci.snapshot();
    expect(code(() => ci.lookup(key(1), { snapshot: key(77), position: 0 }))).toBe("CI_UNKNOWN_SNAPSHOT");
    expect(code(() => ci.lookup(key(1), { snapshot: s2.snapshot, position: 3 }))).toBe(
      "CI_POSITION_BEYOND_CURRENT",
    );
    expect(code(() => ci.lookup(key(1), { snapshot: s2.snapshot, position: 2n ** 64n - 1n }))).toBe(
      "CI_POSITION_BEYOND_CURRENT",
    );
    expect(code(() => ci.lookup(key(1), { snapshot: s2.snapshot, position: 1 }))).toBe(
      "CI_POSITION_BEFORE_SNAPSHOT",
    );
    expect(code(() => ci.retire(GENESIS_ID))).toBe("CI_SNAPSHOT_IN_USE");
    ci.install(s2.snapshot);
    expect(code(() => ci.retire(s2.snapshot))).toBe("CI_SNAPSHOT_IN_USE");
    expect(code(() => ci.lookup(key(1), { snapshot: s1.snapshot, position: 2 }))).toBe(
      "CI_STATE_NOT_RETAINED",
    );
    expect(ci.lookup(key(1), { snapshot: s1.snapshot, position: 1 })).toBeDefined();
    ci.retire(s1.snapshot);
    expect(code(() => ci.lookup(key(1), { snapshot: s1.snapshot, position: 1 }))).toBe("CI_SNAPSHOT_RETIRED");
    expect(code(() => ci.install(s1.snapshot))).toBe("CI_SNAPSHOT_RETIRED");
    expect(code(() => ci.retire(s1.snapshot))).toBe("CI_SNAPSHOT_RETIRED");
    for (const bad of [
      () => ci.put(key(1).toUpperCase().replace(/^0/, "A"), loc(0)),
      () => ci.put("00", loc(0)),
      () => ci.put(key(1), { blockId: 0n, offset: -1n, length: 0n }),
      () => ci.put(key(1), { blockId: 0n, offset: 2n ** 64n, length: 0n }),
      () => ci.put(key(1), { blockId: 0, offset: 0n, length: 0n } as never),
      () => ci.put(key(1), loc(0), 2 ** 32),
      () => ci.put(key(1), loc(0), 1.5),
      () => ci.lookup(key(1), { snapshot: s2.snapshot, position: -1 }),
      () => ci.lookup(key(1), { snapshot: s2.snapshot, position: 0.5 }),
      () => ci.install("zz"),
    ]) {
      expect(code(bad)).toBe("CI_INVALID_ARGUMENT");
    }
  });

  it("[STO-CUR-005] put, tombstone and lookup refuse every key but 64 lowercase hex digits, changing nothing", () => {
    // The check and the parse are one pass (parseKeyInto): each digit position and each way of being
    // wrong, including characters whose low 7 bits spell a hex digit (U+0130 is 0x30 = "0" in them).
    const ci = new ContentIndex();
    ci.put(key(3), loc(3));
    const good = key(0x7e);
    const bad: unknown[] = [undefined, 7, good.slice(1), `${good}0`, good.toUpperCase(), ""];
    for (const at of [0, 1, 31, 62, 63])
      for (const c of ["g", "G", "A", "/", ":", "`", " ", "\u0130", "\u00e0", "\ud83d"])
        bad.push(good.slice(0, at) + c + good.slice(at + 1));
    for (const k of bad) {
      for (const op of [
        () => ci.put(k as string, loc(0)),
        () => ci.tombstone(k as string),
        () => ci.lookup(k as string),
        () => ci.lookup(k as string, ci.current()),
      ])
        expect([JSON.stringify(k), code(op)]).toEqual([JSON.stringify(k), "CI_INVALID_ARGUMENT"]);
    }
    expect(ci.current().position).toBe(1);
    expect(ci.lookup(key(3))?.location).toEqual(loc(3));
    for (const k of [good, "0".repeat(64), "f".repeat(64), "0123456789abcdef".repeat(4)]) {
      ci.put(k, loc(9));
      expect(ci.lookup(k)?.location).toEqual(loc(9));
    }
  });

  it("[STO-SNAP-002][IDX-CI-003] a snapshot's answers do not change after later appends, installs and other lines", () => {
    const ci = new ContentIndex();
    for (let i = 0; i < 50; i++) ci.put(key(i % 7), loc(i));
    const s = ci.snapshot();
    const before = ci.dump(s);
    for (let i = 0; i < 50; i++) ci.tombstone(key(i % 9));
    ci.install(GENESIS_ID);
    ci.put(key(1), loc(999));
    expect(ci.dump(s)).toEqual(before);
    ci.install(s.snapshot);
    expect(ci.dump()).toEqual(before);
  });

  it("[STO-CUR-004] lookups at early positions of a key with many versions binary-search its versions (correct answer at every position)", () => {
    const ci = new ContentIndex();
    for (let i = 0; i < 300; i++) i % 3 === 2 ? ci.tombstone(key(1)) : ci.put(key(1), loc(i));
    for (let p = 0; p <= 300; p++) {
      const last = p - 1;
      const want = p === 0 || last % 3 === 2 ? undefined : { location: loc(last), typeTag: undefined };
      expect(ci.lookup(key(1), { snapshot: GENESIS_ID, position: p })).toEqual(want);
    }
  });
});
