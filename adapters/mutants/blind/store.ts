// Mutants written blind, from the spec alone: the store (PUT's DEC-021 no-op, reopen per DEC-034) and the
// materialization cache as PUT consults it (IDX-MC-004).
import { sha256, toHex } from "../../../reference/common/hash.ts";
import { computeSid } from "../../../reference/structural-index/index.ts";
import type { Location, OpResult } from "../../interface.ts";
import { bytesArg, nodeShape, optU32, state } from "../../reference/convert.ts";
import { defineMutant, type Mutant, storeOf } from "../mutant.ts";

type PutResult = OpResult<"store.put">;

const putDedupesOnEverStored = defineMutant(
  {
    id: "blind-store-put-dedupes-on-ever-stored",
    description:
      "PUT treats bytes as already there when their key was ever stored, not when it is visible at CURRENT, so a PUT after a tombstone answers created = false with the old location and appends nothing.",
    rules: ["IDX-PUT-001"],
    capabilities: ["store"],
  },
  ({ engine, ref, onReset }) => {
    const stored = new Map<string, Location>();
    onReset(() => stored.clear());
    return {
      "store.put": (a): PutResult => {
        const bytes = bytesArg(a.bytes, "bytes");
        optU32(a.type_tag, "type_tag");
        const store = storeOf(engine);
        const key = toHex(sha256(bytes));
        const known = stored.get(key);
        if (known === undefined || store.lookup(key) !== undefined) {
          const r = ref["store.put"](a);
          stored.set(r.key, r.location);
          return r;
        }
        let sid: string | null = null;
        if (a.structure !== null && a.structure !== undefined) {
          sid = store.structure.register(store.structure.check(nodeShape(a.structure, "structure")));
          store.cache.record(sid, key);
        }
        return {
          key,
          artifact_id: store.artifactId(key).toString(),
          location: known,
          created: false,
          position: String(store.current().position),
          sid,
        };
      },
    };
  },
);

const reopenRollsBackToLastSnapshot = defineMutant(
  {
    id: "blind-store-reopen-rolls-back-to-last-snapshot",
    description:
      "Reopen restores the newest snapshot of the current line and drops the log entries appended after it (a checkpoint-only recovery), instead of giving back exactly the CURRENT it had.",
    rules: ["STO-REC-001", "STO-LOG-002"],
    capabilities: ["store"],
  },
  ({ engine, ref }) => ({
    "store.reopen": (a) => {
      const r = ref["store.reopen"](a);
      const store = storeOf(engine);
      const cur = store.current();
      let last: { id: string; position: number } | undefined;
      for (const s of store.listSnapshots())
        if (s.onCurrentLine && !s.retired && (last === undefined || s.position >= last.position)) last = s;
      if (last !== undefined && last.position < cur.position) return state(store.install(last.id));
      return r;
    },
  }),
);

const cacheHitSkipsVisibility = defineMutant(
  {
    id: "blind-mc-cache-hit-skips-visibility",
    description:
      "A PUT whose structure has a cache entry naming the same key trusts the entry and answers created = false with the last location it stored, without checking that the key is still visible, so bytes whose key was tombstoned stay invisible.",
    rules: ["IDX-MC-004", "IDX-CI-008"],
    capabilities: ["materialization-cache", "store"],
  },
  ({ engine, ref, onReset }) => {
    const locations = new Map<string, Location>();
    onReset(() => locations.clear());
    return {
      "store.put": (a): PutResult => {
        const bytes = bytesArg(a.bytes, "bytes");
        optU32(a.type_tag, "type_tag");
        const store = storeOf(engine);
        const key = toHex(sha256(bytes));
        if (a.structure !== null && a.structure !== undefined) {
          const node = store.structure.check(nodeShape(a.structure, "structure"));
          const sid = computeSid(node);
          const known = locations.get(key);
          if (store.cache.get(sid) === key && known !== undefined) {
            store.structure.register(node);
            store.cache.record(sid, key);
            return {
              key,
              artifact_id: store.artifactId(key).toString(),
              location: known,
              created: false,
              position: String(store.current().position),
              sid,
            };
          }
        }
        const r = ref["store.put"](a);
        locations.set(r.key, r.location);
        return r;
      },
    };
  },
);

export const storeMutants: readonly Mutant[] = [
  putDedupesOnEverStored,
  reopenRollsBackToLastSnapshot,
  cacheHitSkipsVisibility,
];
