// Mutants written blind, from the spec alone: the content index (positions and prefix replay, SnapshotIDs,
// install, the DEC-020 order of state errors, DEC-033 values) and its two extensions, state-digest
// (DEC-018) and snapshot-retire (DEC-020).
import { sha256, toHex } from "../../../reference/common/hash.ts";
import { checkKey, GENESIS_ID } from "../../../reference/content-index/index.ts";
import type { At } from "../../interface.ts";
import { state, stateArg, str } from "../../reference/convert.ts";
import { defineMutant, type Mutant, refuse, storeOf } from "../mutant.ts";
import { u64Text } from "./common.ts";

type Engine = Parameters<typeof storeOf>[0];

/**
 * The state a reader off by one resolves (S, P) to: it checks (S, P) as the reference does, then reads
 * (S, P + 1) whenever that state exists, i.e. it replays log[S.position : P + 1], the entry at P included.
 */
function inclusiveAt(engine: Engine, at: At): At {
  if (at === null || at === undefined) return at;
  const store = storeOf(engine);
  store.digest(stateArg(at)); // the DEC-020 errors of (S, P) itself
  const p = u64Text(at.position);
  if (p === undefined) return at;
  const next = { snapshot: at.snapshot, position: (p + 1n).toString() };
  try {
    store.digest(stateArg(next));
    return next;
  } catch {
    return at;
  }
}

const lookupIncludesEntryAtPosition = defineMutant(
  {
    id: "blind-ci-lookup-includes-entry-at-position",
    description:
      "A read at (S, P) replays the log up to and including the entry at position P (log[S.position : P + 1]) instead of stopping before it.",
    rules: ["STO-CUR-001", "STO-LOG-004", "IDX-CI-002"],
    capabilities: ["content-index"],
  },
  ({ engine, ref }) => ({
    "ci.lookup": (a) => {
      checkKey(str(a.key, "key"));
      return ref["ci.lookup"]({ ...a, at: inclusiveAt(engine, a.at) });
    },
    "ci.digest": (a) => ref["ci.digest"]({ ...a, at: inclusiveAt(engine, a.at) }),
    "store.get": (a) => {
      checkKey(str(a.key, "key"));
      return ref["store.get"]({ ...a, at: inclusiveAt(engine, a.at) });
    },
  }),
);

const SNAPSHOT_TAG = new TextEncoder().encode("ASL-SNAPSHOT/1");

const snapshotIdWithoutPosition = defineMutant(
  {
    id: "blind-ci-snapshot-id-without-position",
    description:
      "SnapshotIDs hash the state digest alone (DEC-018 without the position), so a later snapshot of an equal state at another position gets the id of the first one, which names the earlier position.",
    rules: ["STO-SNAP-004", "STO-SNAP-001"],
    capabilities: ["content-index"],
  },
  ({ engine, ref, onReset }) => {
    // The mutant's id -> the snapshot it names (the first one made with that id: no second is made).
    const named = new Map<string, string>();
    onReset(() => named.clear());
    const idOf = (real: string): string => {
      const info = storeOf(engine)
        .listSnapshots()
        .find((s) => s.id === real);
      if (info === undefined) return real;
      const buf = new Uint8Array(SNAPSHOT_TAG.length + 32);
      buf.set(SNAPSHOT_TAG, 0);
      for (let i = 0; i < 32; i++)
        buf[SNAPSHOT_TAG.length + i] = Number.parseInt(info.digest.slice(2 * i, 2 * i + 2), 16);
      const mine = toHex(sha256(buf));
      if (!named.has(mine)) named.set(mine, real);
      return mine;
    };
    const ready = () => {
      if (named.size === 0) idOf(GENESIS_ID);
    };
    const real = (id: unknown): string => {
      ready();
      return typeof id === "string" ? (named.get(id) ?? id) : (id as string);
    };
    const realAt = (at: At): At =>
      at !== null && typeof at === "object" ? { ...at, snapshot: real(at.snapshot) } : at;
    const mine = (s: { snapshot: string; position: string }) => {
      ready();
      return { snapshot: idOf(s.snapshot), position: s.position };
    };
    return {
      "ci.current": (a) => mine(ref["ci.current"](a)),
      "ci.snapshot": (a) => mine(ref["ci.snapshot"](a)),
      "ci.install": (a) => mine(ref["ci.install"]({ snapshot: real(a.snapshot) })),
      "ci.retire": (a) => ref["ci.retire"]({ snapshot: real(a.snapshot) }),
      "ci.lookup": (a) => ref["ci.lookup"]({ ...a, at: realAt(a.at) }),
      "ci.digest": (a) => ref["ci.digest"]({ ...a, at: realAt(a.at) }),
      "store.get": (a) => ref["store.get"]({ ...a, at: realAt(a.at) }),
      "store.reopen": (a) => mine(ref["store.reopen"](a)),
      "mc.recompute": (a) => ref["mc.recompute"]({ ...a, at: realAt(a.at) }),
    };
  },
);

const installOfBaseIsNoop = defineMutant(
  {
    id: "blind-ci-install-of-base-is-noop",
    description:
      "Installing the snapshot that is already CURRENT's base returns CURRENT unchanged instead of starting a new line at the base's position (the line's entries are kept).",
    rules: ["STO-SNAP-007"],
    capabilities: ["content-index"],
  },
  ({ engine, ref }) => ({
    "ci.install": (a) => {
      const cur = storeOf(engine).current();
      if (a.snapshot === cur.snapshot) return state(cur);
      return ref["ci.install"](a);
    },
  }),
);

/** DEC-020 order broken: "not retained" is decided before "position before the snapshot". */
function retentionFirst(engine: Engine, at: At): void {
  if (at === null || at === undefined || typeof at !== "object") return;
  const p = u64Text(at.position);
  if (p === undefined || typeof at.snapshot !== "string") return;
  const info = storeOf(engine)
    .listSnapshots()
    .find((s) => s.id === at.snapshot);
  if (info === undefined || info.retired || info.onCurrentLine) return;
  if (p !== BigInt(info.position))
    refuse(
      "CI_STATE_NOT_RETAINED",
      `snapshot ${info.id} is off the current line; only position ${info.position} is retained`,
    );
}

const retentionCheckedBeforePosition = defineMutant(
  {
    id: "blind-ci-retention-checked-before-position",
    description:
      "For a snapshot of an abandoned line, a position other than its own is refused CI_STATE_NOT_RETAINED before the position is compared with the snapshot's, so a position below it gets CI_STATE_NOT_RETAINED instead of CI_POSITION_BEFORE_SNAPSHOT.",
    rules: ["STO-CUR-005"],
    capabilities: ["content-index"],
  },
  ({ engine, ref }) => ({
    "ci.lookup": (a) => {
      checkKey(str(a.key, "key"));
      retentionFirst(engine, a.at);
      return ref["ci.lookup"](a);
    },
    "ci.digest": (a) => {
      retentionFirst(engine, a.at);
      return ref["ci.digest"](a);
    },
    "store.get": (a) => {
      checkKey(str(a.key, "key"));
      retentionFirst(engine, a.at);
      return ref["store.get"](a);
    },
    "mc.recompute": (a) => {
      retentionFirst(engine, a.at);
      return ref["mc.recompute"](a);
    },
  }),
);

const MIXED_CASE_HEX64 = /^[0-9a-fA-F]{64}$/;
const lower = (key: string): string => (MIXED_CASE_HEX64.test(key) ? key.toLowerCase() : key);

const uppercaseKeyAccepted = defineMutant(
  {
    id: "blind-ci-uppercase-key-accepted",
    description:
      "ArtifactKeys are normalised to lowercase before they are checked, so a key with uppercase hex digits is read as its lowercase spelling instead of being refused with CI_INVALID_ARGUMENT (DEC-033).",
    rules: ["STO-CUR-005"],
    capabilities: ["content-index"],
  },
  ({ ref }) => ({
    "ci.put": (a) => ref["ci.put"]({ ...a, key: lower(a.key) }),
    "ci.tombstone": (a) => ref["ci.tombstone"]({ ...a, key: lower(a.key) }),
    "ci.lookup": (a) => ref["ci.lookup"]({ ...a, key: lower(a.key) }),
    "store.get": (a) => ref["store.get"]({ ...a, key: lower(a.key) }),
  }),
);

// --- extensions ----------------------------------------------------------------------------------------

const ENTRY_TAG = new TextEncoder().encode("ASL-CI-ENTRY/1");

/** DEC-018 entry hash with one field in the wrong byte order: the type tag written big-endian. */
function entryHashTagBigEndian(
  key: string,
  loc: { blockId: bigint; offset: bigint; length: bigint },
  tag: number | undefined,
): Uint8Array {
  const buf = new Uint8Array(ENTRY_TAG.length + 32 + 24 + 1 + 4);
  const dv = new DataView(buf.buffer);
  buf.set(ENTRY_TAG, 0);
  let o = ENTRY_TAG.length;
  for (let i = 0; i < 32; i++) buf[o + i] = Number.parseInt(key.slice(2 * i, 2 * i + 2), 16);
  o += 32;
  dv.setBigUint64(o, loc.blockId, true);
  dv.setBigUint64(o + 8, loc.offset, true);
  dv.setBigUint64(o + 16, loc.length, true);
  o += 24;
  buf[o] = tag === undefined ? 0 : 1;
  dv.setUint32(o + 1, tag ?? 0, false);
  return sha256(buf);
}

const digestTypeTagBigEndian = defineMutant(
  {
    id: "blind-digest-type-tag-big-endian",
    description:
      "The DEC-018 entry hash writes type_tag as a big-endian u32 (every other field little-endian), so the digest of any state holding a tagged value differs from DEC-018's.",
    rules: ["STO-DIG-001"],
    capabilities: ["state-digest"],
  },
  ({ engine, ref }) => ({
    "ci.digest": (a) => {
      ref["ci.digest"](a); // the state's errors, as the reference
      let sum = 0n;
      for (const [key, v] of storeOf(engine).index.dump(stateArg(a.at))) {
        const e = entryHashTagBigEndian(key, v.location, v.typeTag);
        sum = (sum + BigInt(`0x${toHex(e)}`)) & ((1n << 256n) - 1n);
      }
      return { digest: sum.toString(16).padStart(64, "0") };
    },
  }),
);

const snapshotAgainStaysRetired = defineMutant(
  {
    id: "blind-retire-snapshot-again-stays-retired",
    description:
      "ci.snapshot of a state whose (content-derived) id was retired returns that id but leaves it retired, instead of retaining it again (DEC-020), so reading or installing it still fails with CI_SNAPSHOT_RETIRED.",
    rules: ["STO-RET-001"],
    capabilities: ["snapshot-retire"],
  },
  ({ engine, ref }) => ({
    "ci.snapshot": (a) => {
      const store = storeOf(engine);
      const retired = new Set(
        store
          .listSnapshots()
          .filter((s) => s.retired)
          .map((s) => s.id),
      );
      const r = ref["ci.snapshot"](a);
      if (retired.has(r.snapshot) && r.snapshot !== store.current().snapshot) store.retire(r.snapshot);
      return r;
    },
  }),
);

export const contentIndexMutants: readonly Mutant[] = [
  lookupIncludesEntryAtPosition,
  snapshotIdWithoutPosition,
  installOfBaseIsNoop,
  retentionCheckedBeforePosition,
  uppercaseKeyAccepted,
];

export const extensionMutants: readonly Mutant[] = [digestTypeTagBigEndian, snapshotAgainStaysRetired];
