// Mutants of the content index (ASL/INDEXES/1 2.1, ASL-STORE-INDEX 1, 3, 4, 6): replay bounds, install,
// tombstones, the state digest, retention and SnapshotIDs, each broken the way a log-structured index
// tends to break.
import { sha256, toHex } from "../../reference/common/hash.ts";
import { addInto, entryHash } from "../../reference/content-index/digest.ts";
import { GENESIS_ID } from "../../reference/content-index/index.ts";
import type { At, Location, State } from "../interface.ts";
import { defineMutant, type Handlers, type Mutant, refuse } from "./mutant.ts";

const caps = ["content-index"] as const;

function codeOf(e: unknown): string | undefined {
  return e && typeof e === "object" && typeof (e as { code?: unknown }).code === "string"
    ? (e as { code: string }).code
    : undefined;
}

/** Lookups at an explicit (S, P) below CURRENT replay log[S.position : P + 1]: one entry too many. */
const replayOffByOne = defineMutant(
  {
    id: "ci-replay-off-by-one",
    description: "a lookup at (S, P) replays log[S.position : P + 1], seeing one entry too many",
    rules: ["STO-CUR-001", "STO-LOG-004"],
    capabilities: [...caps],
  },
  ({ ref }) => ({
    "ci.lookup": (a) => {
      if (!a.at) return ref["ci.lookup"](a);
      try {
        const next = String(BigInt(a.at.position) + 1n);
        return ref["ci.lookup"]({ ...a, at: { ...a.at, position: next } });
      } catch {
        return ref["ci.lookup"](a);
      }
    },
  }),
);

/**
 * Install leaves the tail where it was: positions keep counting from the old CURRENT, as if the log were
 * one global sequence. Every position the mutant shows is the reference's plus a shift fixed at install.
 */
const installKeepsPosition = defineMutant(
  {
    id: "ci-install-keeps-position",
    description:
      "installing a snapshot keeps the old log position, so the next append does not get S.position",
    rules: ["STO-SNAP-007", "STO-LOG-003"],
    capabilities: [...caps],
  },
  ({ ref, onReset }) => {
    let shift = 0n;
    /** Snapshots made on an earlier line keep the shift of that line. */
    const shiftOf = new Map<string, bigint>();
    onReset(() => {
      shift = 0n;
      shiftOf.clear();
    });
    const out = (p: string) => String(BigInt(p) + shift);
    const outState = (s: State): State => {
      shiftOf.set(s.snapshot, shift);
      return { ...s, position: out(s.position) };
    };
    const inAt = (at: At): At => {
      if (!at || typeof at !== "object" || !/^[0-9]+$/.test(String(at.position))) return at;
      const p = BigInt(at.position) - (shiftOf.get(at.snapshot) ?? shift);
      if (p < 0n) refuse("CI_POSITION_BEFORE_SNAPSHOT", `position ${at.position} is before the snapshot`);
      return { ...at, position: String(p) };
    };
    return {
      "ci.put": (a) => ({ position: out(ref["ci.put"](a).position) }),
      "ci.tombstone": (a) => ({ position: out(ref["ci.tombstone"](a).position) }),
      "ci.lookup": (a) => ref["ci.lookup"]({ ...a, at: inAt(a.at) }),
      "ci.digest": (a) => ref["ci.digest"]({ ...a, at: inAt(a.at) }),
      "ci.current": () => outState(ref["ci.current"]({})),
      "ci.snapshot": () => outState(ref["ci.snapshot"]({})),
      "ci.install": (a) => {
        const tail = BigInt(ref["ci.current"]({}).position) + shift;
        const s = ref["ci.install"](a);
        shift = tail - BigInt(s.position);
        return outState(s);
      },
      "store.put": (a) => {
        const r = ref["store.put"](a);
        return { ...r, position: r.position === null ? null : out(r.position) };
      },
      "store.get": (a) => ref["store.get"]({ ...a, at: inAt(a.at) }),
    };
  },
);

/** The tombstone is remembered apart from the log, and a later PUT of the key does not clear it. */
const putAfterTombstoneHidden = defineMutant(
  {
    id: "ci-put-after-tombstone-hidden",
    description: "a PUT after a tombstone does not make the key visible again: the tombstone keeps hiding it",
    rules: ["IDX-CI-006"],
    capabilities: [...caps],
  },
  ({ ref, onReset }) => {
    const tombstoned = new Map<string, bigint>();
    onReset(() => tombstoned.clear());
    const hidden = (key: string, at: At): boolean => {
      const t = tombstoned.get(key);
      if (t === undefined) return false;
      const p = at ? BigInt(at.position) : BigInt(ref["ci.current"]({}).position);
      return p > t;
    };
    return {
      "ci.tombstone": (a) => {
        const r = ref["ci.tombstone"](a);
        if (!tombstoned.has(a.key)) tombstoned.set(a.key, BigInt(r.position));
        return r;
      },
      "ci.install": (a) => {
        const s = ref["ci.install"](a);
        tombstoned.clear();
        return s;
      },
      "ci.lookup": (a) => {
        const v = ref["ci.lookup"](a);
        return v.found && hidden(a.key, a.at) ? { found: false } : v;
      },
    };
  },
);

/** A tombstone forgets to subtract the hidden value's entry hash from the running digest (DEC-018). */
const digestIgnoresTombstone = defineMutant(
  {
    id: "ci-digest-ignores-tombstone",
    description: "the state digest is not updated when a tombstone hides a visible key",
    rules: ["STO-DIG-001"],
    capabilities: [...caps, "state-digest"],
  },
  ({ ref, onReset }) => {
    /** (position of the tombstone, entry hash it failed to subtract), on the current line. */
    let missed: { position: bigint; hash: Uint8Array }[] = [];
    onReset(() => {
      missed = [];
    });
    const hashOf = (key: string, l: Location, tag: number | null) =>
      entryHash(
        key,
        { blockId: BigInt(l.block_id), offset: BigInt(l.offset), length: BigInt(l.length) },
        tag ?? undefined,
      );
    const wrong = (digest: string, before: bigint | undefined): string => {
      const acc = Uint8Array.from(Buffer.from(digest, "hex"));
      for (const m of missed) if (before === undefined || m.position < before) addInto(acc, m.hash);
      return toHex(acc);
    };
    return {
      "ci.tombstone": (a) => {
        const v = ref["ci.lookup"]({ key: a.key, at: null });
        const r = ref["ci.tombstone"](a);
        if (v.found)
          missed.push({ position: BigInt(r.position), hash: hashOf(a.key, v.location, v.type_tag) });
        return r;
      },
      "ci.install": (a) => {
        const s = ref["ci.install"](a);
        const p = BigInt(s.position);
        missed = missed.filter((m) => m.position < p).map((m) => ({ ...m, position: -1n }));
        return s;
      },
      "ci.digest": (a) => {
        const d = ref["ci.digest"](a).digest;
        return { digest: wrong(d, a.at ? BigInt(a.at.position) : undefined) };
      },
    };
  },
);

/** Retire records the snapshot as retired, but lookups, digests and installs never look at the mark. */
const retiredStillReadable = defineMutant(
  {
    id: "ci-retired-still-readable",
    description: "a retired snapshot can still be read and installed: reads never check the retired mark",
    rules: ["STO-RET-001", "STO-CUR-005"],
    capabilities: [...caps, "snapshot-retire"],
  },
  ({ ref, onReset }) => {
    const retired = new Set<string>();
    onReset(() => retired.clear());
    return {
      "ci.retire": (a) => {
        try {
          ref["ci.digest"]({ at: { snapshot: a.snapshot, position: "0" } });
        } catch (e) {
          const code = codeOf(e);
          if (code !== "CI_POSITION_BEFORE_SNAPSHOT") throw e;
        }
        if (retired.has(a.snapshot)) refuse("CI_SNAPSHOT_RETIRED", `snapshot ${a.snapshot} was retired`);
        if (a.snapshot === GENESIS_ID || a.snapshot === ref["ci.current"]({}).snapshot)
          refuse("CI_SNAPSHOT_IN_USE", `snapshot ${a.snapshot} is in use`);
        retired.add(a.snapshot);
        return {};
      },
    };
  },
);

/** A position past CURRENT is clamped to CURRENT instead of refused. */
const beyondCurrentClamped = defineMutant(
  {
    id: "ci-beyond-current-clamped",
    description:
      "a state whose position is past CURRENT is answered at CURRENT instead of CI_POSITION_BEYOND_CURRENT",
    rules: ["STO-CUR-005"],
    capabilities: [...caps],
  },
  ({ ref }) => {
    const clamp =
      <O extends "ci.lookup" | "ci.digest">(op: O) =>
      (a: Parameters<Handlers[O]>[0]) => {
        const h = ref[op] as (x: typeof a) => ReturnType<Handlers[O]>;
        try {
          return h(a);
        } catch (e) {
          if (codeOf(e) !== "CI_POSITION_BEYOND_CURRENT") throw e;
          return h({ ...a, at: null });
        }
      };
    return { "ci.lookup": clamp("ci.lookup"), "ci.digest": clamp("ci.digest") };
  },
);

/**
 * SnapshotID = SHA-256 of the position alone: two states at one position on different lines (after an
 * install) get the same id, and the newer one takes it over.
 */
const snapshotIdByPosition = defineMutant(
  {
    id: "ci-snapshot-id-by-position",
    description: "SnapshotIDs are derived from the log position alone, so two different states can share one",
    rules: ["STO-SNAP-004", "STO-SNAP-001"],
    capabilities: [...caps],
  },
  ({ ref, onReset }) => {
    const toReal = new Map<string, string>();
    onReset(() => toReal.clear());
    const fake = (s: State): State => {
      const id = toHex(sha256(new TextEncoder().encode(`snapshot@${s.position}`)));
      toReal.set(id, s.snapshot);
      return { ...s, snapshot: id };
    };
    const real = (id: string) => toReal.get(id) ?? id;
    const inAt = (at: At): At => (at && typeof at === "object" ? { ...at, snapshot: real(at.snapshot) } : at);
    return {
      "ci.current": () => fake(ref["ci.current"]({})),
      "ci.snapshot": () => fake(ref["ci.snapshot"]({})),
      "ci.install": (a) => fake(ref["ci.install"]({ snapshot: real(a.snapshot) })),
      "ci.retire": (a) => ref["ci.retire"]({ snapshot: real(a.snapshot) }),
      "ci.lookup": (a) => ref["ci.lookup"]({ ...a, at: inAt(a.at) }),
      "ci.digest": (a) => ref["ci.digest"]({ ...a, at: inAt(a.at) }),
      "store.get": (a) => ref["store.get"]({ ...a, at: inAt(a.at) }),
      "store.reopen": () => fake(ref["store.reopen"]({})),
    };
  },
);

export const contentIndexMutants: Mutant[] = [
  replayOffByOne,
  installKeepsPosition,
  putAfterTombstoneHidden,
  digestIgnoresTombstone,
  retiredStillReadable,
  beyondCurrentClamped,
  snapshotIdByPosition,
];
