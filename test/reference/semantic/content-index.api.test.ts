// Parts of the content index API that mutation testing found untested: the errors of a state request
// (their code, rule and what the message names), retiring the base or genesis, a retired snapshot made
// anew, the snapshot list's order and current-line flags, and the log prefix that CURRENT replays.
import { describe, expect, it } from "vitest";
import type { AslError } from "../../../reference/common/errors.ts";
import { ContentIndex, GENESIS_ID } from "../../../reference/content-index/index.ts";

const key = (i: number) => i.toString(16).padStart(64, "0");
const loc = (o: number) => ({ blockId: 1n, offset: BigInt(o), length: 4n });
const err = (f: () => unknown): AslError => {
  try {
    f();
  } catch (e) {
    return e as AslError;
  }
  throw new Error("expected an error");
};

describe("content index state requests (DEC-020)", () => {
  it("[STO-CUR-005] a state that is not {snapshot, position} is CI_INVALID_ARGUMENT for lookup, digest and dump", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0));
    for (const bad of [null, "x", 5]) {
      const at = bad as unknown as { snapshot: string; position: number };
      for (const f of [() => ci.lookup(key(1), at), () => ci.digest(at), () => ci.dump(at)]) {
        const e = err(f);
        expect([e.code, e.rule, e.message]).toEqual([
          "CI_INVALID_ARGUMENT",
          "STO-CUR-005",
          "state must be {snapshot, position}",
        ]);
      }
    }
  });

  it("[STO-CUR-005] each unretained state has its own error, naming the positions and snapshot", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0));
    const s = ci.snapshot(); // position 1 on line 0
    ci.put(key(2), loc(1));
    let e = err(() => ci.lookup(key(1), { snapshot: s.snapshot, position: 0 }));
    expect([e.code, e.rule]).toEqual(["CI_POSITION_BEFORE_SNAPSHOT", "STO-CUR-005"]);
    expect(e.message).toBe(`position 0 is before snapshot ${s.snapshot} at 1`);
    e = err(() => ci.lookup(key(1), { snapshot: s.snapshot, position: 3 }));
    expect([e.code, e.rule]).toEqual(["CI_POSITION_BEYOND_CURRENT", "STO-CUR-005"]);
    expect(e.message).toBe("position 3 is past CURRENT's 2");
    ci.install(GENESIS_ID);
    ci.put(key(3), loc(2));
    e = err(() => ci.lookup(key(1), { snapshot: s.snapshot, position: 2 }));
    expect([e.code, e.rule]).toEqual(["CI_STATE_NOT_RETAINED", "STO-CUR-005"]);
    expect(e.message).toBe(
      `snapshot ${s.snapshot} was made on a line an install has since left; only position 1 is retained, not 2`,
    );
    // The snapshot's own position is still retained, off the current line, and reads its state.
    expect(ci.lookup(key(1), { snapshot: s.snapshot, position: 1 })).toEqual({
      location: loc(0),
      typeTag: undefined,
    });
    expect(ci.lookup(key(3), { snapshot: s.snapshot, position: 1 })).toBeUndefined();
    expect(ci.lookup(key(9), { snapshot: s.snapshot, position: 1 })).toBeUndefined();
  });

  it("[STO-RET-001] the base of CURRENT and genesis cannot be retired, and the error says which it is", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0));
    const s = ci.snapshot();
    ci.install(s.snapshot);
    let e = err(() => ci.retire(s.snapshot));
    expect([e.code, e.rule]).toEqual(["CI_SNAPSHOT_IN_USE", "STO-CUR-005"]);
    expect(e.message).toBe(`snapshot ${s.snapshot} is the base of CURRENT and cannot be retired`);
    e = err(() => ci.retire(GENESIS_ID));
    expect([e.code, e.rule]).toEqual(["CI_SNAPSHOT_IN_USE", "STO-CUR-005"]);
    expect(e.message).toBe(
      `snapshot ${GENESIS_ID} is the genesis snapshot, which always exists and cannot be retired`,
    );
  });

  it("[STO-RET-001][STO-SNAP-003][STO-SNAP-004] a retired snapshot made again from the same state is live again, with the same id", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0), 7);
    const s = ci.snapshot();
    ci.retire(s.snapshot);
    expect(err(() => ci.lookup(key(1), s)).code).toBe("CI_SNAPSHOT_RETIRED");
    expect(ci.snapshot()).toEqual(s);
    expect(ci.lookup(key(1), s)).toEqual({ location: loc(0), typeTag: 7 });
    expect(ci.listSnapshots().find((x) => x.id === s.snapshot)?.retired).toBe(false);
    // Made again after an install took CURRENT off its line: the id is on the current line again.
    ci.put(key(2), loc(1));
    ci.install(GENESIS_ID);
    ci.put(key(1), loc(0), 7);
    expect(ci.listSnapshots().find((x) => x.id === s.snapshot)?.onCurrentLine).toBe(false);
    expect(ci.snapshot()).toEqual(s);
    expect(ci.listSnapshots().find((x) => x.id === s.snapshot)?.onCurrentLine).toBe(true);
    ci.put(key(3), loc(2));
    expect(ci.lookup(key(3), { snapshot: s.snapshot, position: 2 })).toEqual({
      location: loc(2),
      typeTag: undefined,
    });
  });

  it("[STO-SNAP-001] snapshots are listed by position, then id, with retired and current-line flags", () => {
    const ci = new ContentIndex();
    ci.put(key(1), loc(0));
    const a = ci.snapshot();
    ci.put(key(2), loc(1));
    const a2 = ci.snapshot();
    ci.install(GENESIS_ID);
    ci.put(key(3), loc(2));
    const b = ci.snapshot(); // position 1 again, another state, so another id
    ci.retire(a2.snapshot);
    const list = ci.listSnapshots();
    const [first, second] = [a.snapshot, b.snapshot].sort();
    expect(list.map((x) => [x.position, x.id])).toEqual([
      [0, GENESIS_ID],
      [1, first],
      [1, second],
      [2, a2.snapshot],
    ]);
    const flags = Object.fromEntries(list.map((x) => [x.id, [x.retired, x.onCurrentLine]]));
    expect(flags).toEqual({
      [GENESIS_ID]: [false, true],
      [a.snapshot]: [false, false],
      [b.snapshot]: [false, true],
      [a2.snapshot]: [true, false],
    });
    expect(list.find((x) => x.id === b.snapshot)?.digest).toBe(ci.digest(b));
  });

  it("[STO-LOG-001][STO-CUR-003] lineEntries is the log prefix of the current line, in position order", () => {
    const ci = new ContentIndex();
    ci.put(key(9), loc(9));
    const s = ci.snapshot();
    ci.install(s.snapshot);
    ci.put(key(1), loc(0), 5);
    ci.put(key(2), loc(1));
    ci.tombstone(key(1));
    ci.put(key(1), loc(2), 0);
    expect([...ci.lineEntries()]).toEqual([
      { position: 1, op: "put", key: key(1), location: loc(0), typeTag: 5 },
      { position: 2, op: "put", key: key(2), location: loc(1) },
      { position: 3, op: "tombstone", key: key(1) },
      { position: 4, op: "put", key: key(1), location: loc(2), typeTag: 0 },
    ]);
    const entries = [...ci.lineEntries()];
    expect("typeTag" in entries[1]!).toBe(false);
  });
});

describe("engine limits (issue: a Map past 2^24 keys threw RangeError after the key was half-added)", () => {
  it("a new key past the limit is INTERNAL 'engine limit' and changes nothing; known keys still write", () => {
    const ci = new ContentIndex({ limit: 3 });
    for (let i = 0; i < 3; i++) ci.put(key(i), loc(i));
    const before = ci.current();
    const e = err(() => ci.put(key(9), loc(9)));
    expect([e.code, e.message]).toEqual([
      "INTERNAL",
      "engine limit: the content index holds at most 3 distinct keys; nothing was changed",
    ]);
    expect(err(() => ci.tombstone(key(9))).code).toBe("INTERNAL");
    expect(ci.current()).toEqual(before);
    expect(ci.lookup(key(9))).toBeUndefined();
    expect([...ci.lineEntries()].length).toBe(3);
    expect(ci.put(key(1), loc(7))).toBe(3); // an existing key is no new entry in the key table
    expect(ci.lookup(key(1))?.location.offset).toBe(7n);
  });

  it("a snapshot past the limit is refused the same way; the same state again is no new snapshot", () => {
    const ci = new ContentIndex({ limit: 2 }); // genesis + one
    ci.put(key(1), loc(0));
    const s = ci.snapshot();
    expect(ci.snapshot()).toEqual(s);
    ci.put(key(2), loc(1));
    const e = err(() => ci.snapshot());
    expect(e.message).toBe("engine limit: the content index holds at most 2 snapshots; nothing was changed");
    expect(ci.listSnapshots().length).toBe(2);
  });
});
