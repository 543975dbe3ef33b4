// Model-based tests of the content index against model.ts (full copies, DEC-020 written out literally).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AslError } from "../../../reference/common/errors.ts";
import { ContentIndex } from "../../../reference/content-index/index.ts";
import { Model, type V } from "./model.ts";

const KEYS = Array.from({ length: 5 }, (_, i) => (i + 1).toString(16).padStart(64, "0"));
const NUM_RUNS = 150;

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof AslError) return e.code;
    throw e;
  }
}

const toV = (
  v:
    | { location: { blockId: bigint; offset: bigint; length: bigint }; typeTag: number | undefined }
    | undefined,
) =>
  v === undefined
    ? undefined
    : {
        blockId: v.location.blockId,
        offset: v.location.offset,
        length: v.location.length,
        typeTag: v.typeTag,
      };

/** Every key and the digest at every (S, P) with P from S.position - 1 to CURRENT + 1, retired S too. */
function checkEverywhere(m: Model, r: ContentIndex): void {
  expect(r.current()).toEqual({ snapshot: m.baseId, position: m.tail });
  for (const s of m.snaps.values()) {
    for (let p = Math.max(0, s.position - 1); p <= m.tail + 1; p++) {
      const want = m.at(s.id, p);
      const at = { snapshot: s.id, position: p };
      if (typeof want === "string") {
        expect(
          codeOf(() => r.digest(at)),
          `(${s.id.slice(0, 8)}, ${p})`,
        ).toBe(want);
        expect(codeOf(() => r.lookup(KEYS[0]!, at))).toBe(want);
        continue;
      }
      for (const k of KEYS)
        expect(toV(r.lookup(k, at)), `key ${k.slice(-2)} at (${s.id.slice(0, 8)}, ${p})`).toEqual(
          want.get(k),
        );
      expect(r.digest(at)).toBe(m.digestOfState(want));
    }
  }
}

type Cmd = fc.Command<Model, ContentIndex>;
const vArb = fc.record({
  blockId: fc.bigInt({ min: 0n, max: 3n }),
  offset: fc.oneof(fc.bigInt({ min: 0n, max: 9n }), fc.constant((1n << 64n) - 1n)),
  length: fc.bigInt({ min: 0n, max: 9n }),
  typeTag: fc.option(fc.oneof(fc.nat(3), fc.constant(0xffffffff)), { nil: undefined }),
});

class Put implements Cmd {
  constructor(
    readonly k: number,
    readonly v: V,
  ) {}
  check = () => true;
  run(m: Model, r: ContentIndex) {
    const { blockId, offset, length, typeTag } = this.v;
    expect(r.put(KEYS[this.k]!, { blockId, offset, length }, typeTag)).toBe(m.put(KEYS[this.k]!, this.v));
    expect(r.digest()).toBe(m.digestOfState(m.now));
  }
  toString = () => `put(${this.k}, ${this.v.blockId}/${this.v.offset}/${this.v.length}/${this.v.typeTag})`;
}
class Tombstone implements Cmd {
  constructor(readonly k: number) {}
  check = () => true;
  run(m: Model, r: ContentIndex) {
    expect(r.tombstone(KEYS[this.k]!)).toBe(m.tombstone(KEYS[this.k]!));
    expect(r.digest()).toBe(m.digestOfState(m.now));
  }
  toString = () => `tombstone(${this.k})`;
}
class Snapshot implements Cmd {
  check = () => true;
  run(m: Model, r: ContentIndex) {
    const before = r.current();
    expect(r.snapshot()).toEqual(m.snapshot());
    expect(r.current()).toEqual(before);
  }
  toString = () => "snapshot()";
}
class Install implements Cmd {
  constructor(readonly pick: number) {}
  check = () => true;
  run(m: Model, r: ContentIndex) {
    const ids = [...m.snaps.keys()];
    const id = ids[this.pick % ids.length]!;
    expect(codeOf(() => r.install(id))).toBe(m.install(id));
  }
  toString = () => `install(#${this.pick})`;
}
class Retire implements Cmd {
  constructor(readonly pick: number) {}
  check = () => true;
  run(m: Model, r: ContentIndex) {
    const ids = [...m.snaps.keys()];
    const id = ids[this.pick % ids.length]!;
    expect(codeOf(() => r.retire(id))).toBe(m.retire(id));
  }
  toString = () => `retire(#${this.pick})`;
}
class CheckAll implements Cmd {
  check = () => true;
  run(m: Model, r: ContentIndex) {
    checkEverywhere(m, r);
  }
  toString = () => "checkEverywhere()";
}

const commands = [
  fc.tuple(fc.nat(KEYS.length - 2), vArb).map(([k, v]) => new Put(k, v)),
  fc.nat(KEYS.length - 1).map((k) => new Tombstone(k)), // the last key is never put: tombstones of unknown keys
  fc.constant(new Snapshot()),
  fc.nat(20).map((p) => new Install(p)),
  fc.nat(20).map((p) => new Retire(p)),
  fc.constant(new CheckAll()),
];

describe("content index against a full-copy model", () => {
  it("[STO-CUR-001][STO-CUR-004][STO-CUR-005][STO-LOG-003][STO-LOG-004][STO-SNAP-002][STO-SNAP-003][STO-SNAP-006][STO-SNAP-007][STO-DIG-001][IDX-CI-001][IDX-CI-002][IDX-CI-003][IDX-CI-006][IDX-CI-007] Index(S,P) equals the model at every reachable (S,P), including after installs and retires", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        const model = new Model();
        const real = new ContentIndex();
        fc.modelRun(() => ({ model, real }), cmds);
        checkEverywhere(model, real);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("[STO-CUR-003][IDX-CI-004][STO-SNAP-001][STO-SNAP-004][STO-SNAP-005][STO-LOG-001] two engines given the same operations reach the same digests and snapshot ids at every step", () => {
    fc.assert(
      fc.property(fc.commands(commands.slice(0, 5), { maxCommands: 40 }), (cmds) => {
        const a = new ContentIndex();
        const b = new ContentIndex();
        const ma = new Model();
        const mb = new Model();
        for (const c of cmds) {
          c.run(ma, a);
          c.run(mb, b);
          expect(a.current()).toEqual(b.current());
          expect(a.digest()).toBe(b.digest());
          expect(a.listSnapshots()).toEqual(b.listSnapshots());
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("[STO-DIG-001][STO-SNAP-004] two states give equal digests exactly when they give the same answer for every key", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), vArb), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(2), vArb), { maxLength: 6 }),
        (xs, ys) => {
          const a = new ContentIndex();
          const b = new ContentIndex();
          for (const [k, v] of xs) a.put(KEYS[k]!, v, v.typeTag);
          for (const [k, v] of ys) b.put(KEYS[k]!, v, v.typeTag);
          const same =
            JSON.stringify(a.dump(), (_, x) => (typeof x === "bigint" ? `${x}` : x)) ===
            JSON.stringify(b.dump(), (_, x) => (typeof x === "bigint" ? `${x}` : x));
          expect(a.digest() === b.digest()).toBe(same);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
