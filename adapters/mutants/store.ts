// Mutants of the store (PUT/GET, reopen), the structural index and the materialization cache
// (ASL/INDEXES/1 2.1 to 2.3 and 4, ASL-STORE-INDEX 5): DEC-021 deduplication, durability, and the rule
// that visibility is the content index's alone.
import { statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { sha256, sha256Parts, toHex } from "../../reference/common/hash.ts";
import { recomputeEntries } from "../../reference/materialization-cache/index.ts";
import { canonicalNode, encodeNodeWith } from "../../reference/structural-index/node.ts";
import type { DagNode } from "../interface.ts";
import { locationArg, locationWire } from "../reference/convert.ts";
import { defineMutant, dirOf, type Mutant, storeOf } from "./mutant.ts";

/** DEC-021 skipped: PUT appends a new entry even when the key is already visible at CURRENT. */
const putAlwaysAppends = defineMutant(
  {
    id: "store-put-always-appends",
    description: "PUT of bytes whose key is already visible appends another entry instead of returning it",
    rules: ["IDX-PUT-001"],
    capabilities: ["store"],
  },
  ({ engine, ref }) => ({
    "store.put": (a) => {
      const r = ref["store.put"](a);
      if (r.created) return r;
      const position = storeOf(engine).indexPut(r.key, locationArg(r.location), a.type_tag ?? undefined);
      return { ...r, created: true, position: String(position) };
    },
  }),
);

/** DEC-021 asked of (key, type tag): the same bytes under another tag count as a new artifact. */
const putTagIdentity = defineMutant(
  {
    id: "store-put-type-tag-identity",
    description:
      "PUT treats the type tag as part of the artifact's identity: the same bytes with another tag append again",
    rules: ["IDX-PUT-001"],
    capabilities: ["store"],
  },
  ({ engine, ref }) => ({
    "store.put": (a) => {
      const key = toHex(sha256(a.bytes));
      const visible = storeOf(engine).lookup(key);
      const tag = a.type_tag ?? undefined;
      if (visible === undefined || visible.typeTag === tag) return ref["store.put"](a);
      const r = ref["store.put"](a);
      const position = storeOf(engine).indexPut(key, visible.location, tag);
      return { ...r, location: locationWire(visible.location), created: true, position: String(position) };
    },
  }),
);

/** The last journal frame is never flushed before close: reopen finds it torn and drops it. */
const reopenLosesLast = defineMutant(
  {
    id: "store-reopen-loses-last-entry",
    description: "closing the store does not flush the last journal record, so reopen loses the last entry",
    rules: ["STO-REC-001"],
    capabilities: ["store"],
  },
  ({ engine, ref }) => ({
    "store.reopen": () => {
      const dir = dirOf(engine);
      if (dir !== undefined) {
        const log = join(dir, "log");
        try {
          const size = statSync(log).size;
          if (size > 0) truncateSync(log, size - 1);
        } catch {}
      }
      return ref["store.reopen"]({});
    },
  }),
);

/** GET looks in the materialization cache too, and serves a key recorded there that is no longer visible. */
const getFromCache = defineMutant(
  {
    id: "store-get-from-cache",
    description:
      "GET serves a key the materialization cache records even when the content index does not show it",
    rules: ["IDX-GET-001", "IDX-GET-002", "IDX-CI-008"],
    capabilities: ["store", "materialization-cache"],
  },
  ({ engine, ref, onReset }) => {
    const kept = new Map<string, Uint8Array>();
    onReset(() => kept.clear());
    return {
      "store.put": (a) => {
        const r = ref["store.put"](a);
        kept.set(r.key, a.bytes);
        return r;
      },
      "store.get": (a) => {
        try {
          return ref["store.get"](a);
        } catch (e) {
          const cached = storeOf(engine)
            .cache.entries()
            .some(([, key]) => key === a.key);
          const bytes = kept.get(a.key);
          if (cached && bytes !== undefined) return { bytes };
          throw e;
        }
      },
    };
  },
);

/** Recompute adds its entries to the cache instead of replacing it: entries that no longer hold stay. */
const recomputeKeepsStale = defineMutant(
  {
    id: "mc-recompute-keeps-stale",
    description: "recomputing the cache keeps old entries whose key is no longer visible",
    rules: ["IDX-MC-003"],
    capabilities: ["materialization-cache"],
  },
  ({ engine, ref }) => ({
    "mc.recompute": (a) => {
      const cache = storeOf(engine).cache;
      const before = cache.entries();
      const fresh = ref["mc.recompute"](a).entries;
      const have = new Set(fresh.map((e) => e.sid));
      for (const [sid, key] of before) if (!have.has(sid)) cache.record(sid, key);
      return { entries: cache.entries().map(([sid, key]) => ({ sid, key })) };
    },
  }),
);

/** Recompute records every computable node, without asking whether its key is visible at the state. */
const recomputeIgnoresVisibility = defineMutant(
  {
    id: "mc-recompute-ignores-visibility",
    description: "recomputing the cache records a SID for every computable node, visible key or not",
    rules: ["IDX-MC-003"],
    capabilities: ["materialization-cache"],
  },
  ({ engine, ref }) => ({
    "mc.recompute": (a) => {
      ref["mc.recompute"](a); // the state checks, as the reference makes them
      const store = storeOf(engine);
      const readBytes = (key: string) => {
        try {
          return ref["store.get"]({ key, at: a.at ?? null }).bytes;
        } catch {
          return undefined as unknown as Uint8Array;
        }
      };
      const entries = recomputeEntries(store.structure, { lookup: () => true }, readBytes);
      store.cache.drop();
      for (const [sid, key] of entries) store.cache.record(sid, key);
      return { entries: entries.map(([sid, key]) => ({ sid, key })) };
    },
  }),
);

/**
 * SIDs hash the params in the order they were given rather than the canonical byte order of their keys.
 * The mutant keeps its own SIDs consistent: it maps them to the engine's and back.
 */
const sidParamsUnsorted = defineMutant(
  {
    id: "si-sid-params-unsorted",
    description: "a SID hashes a node's params in the order given, not in the canonical order of their keys",
    rules: ["IDX-SI-002"],
    capabilities: ["structural-index"],
  },
  ({ ref, onReset }) => {
    const toMine = new Map<string, string>();
    const toReal = new Map<string, string>();
    onReset(() => {
      toMine.clear();
      toReal.clear();
    });
    const real = (sid: string) => toReal.get(sid) ?? sid;
    const mine = (sid: string) => toMine.get(sid) ?? sid;
    const inNode = (n: DagNode): DagNode =>
      n && typeof n === "object" && Array.isArray(n.inputs)
        ? { ...n, inputs: n.inputs.map((i) => (i && "sid" in i ? { sid: real(i.sid) } : i)) }
        : n;
    const outNode = (n: DagNode): DagNode => ({
      ...n,
      inputs: n.inputs.map((i) => ("sid" in i ? { sid: mine(i.sid) } : i)),
    });
    /** The mutant's SID of a node as given (its inputs already in the engine's SIDs). */
    const sidAsGiven = (given: DagNode, realSid: string): string => {
      const c = canonicalNode(given);
      const asGiven = {
        ...c,
        params: { ...given.params },
        inputs: c.inputs.map((i) => ("sid" in i ? { sid: mine(i.sid) } : i)),
      };
      const sid = toHex(sha256Parts([encodeNodeWith(asGiven, Object.entries(given.params))]));
      toMine.set(realSid, sid);
      toReal.set(sid, realSid);
      return sid;
    };
    const outEntries = (es: { sid: string; node: DagNode }[]) =>
      es.map((e) => ({ sid: mine(e.sid), node: outNode(e.node) })).sort((x, y) => (x.sid < y.sid ? -1 : 1));
    return {
      "si.register": (a) => {
        const node = inNode(a.node);
        const r = ref["si.register"]({ node });
        return { sid: sidAsGiven(node, r.sid) };
      },
      "store.put": (a) => {
        const structure = a.structure ? inNode(a.structure) : a.structure;
        const r = ref["store.put"]({ ...a, structure });
        return r.sid && structure ? { ...r, sid: sidAsGiven(structure, r.sid) } : r;
      },
      "si.get": (a) => {
        const r = ref["si.get"]({ sid: real(a.sid) });
        return r.found ? { found: true, node: outNode(r.node) } : r;
      },
      "si.entries": () => ({ entries: outEntries(ref["si.entries"]({}).entries) }),
      "si.rebuild": (a) => {
        const nodes = Array.isArray(a.nodes) ? a.nodes.map(inNode) : a.nodes;
        const r = ref["si.rebuild"]({ nodes });
        return { entries: outEntries(r.entries) };
      },
      "mc.get": (a) => ref["mc.get"]({ sid: real(a.sid) }),
      "mc.entries": () => ({
        entries: ref["mc.entries"]({})
          .entries.map((e) => ({ sid: mine(e.sid), key: e.key }))
          .sort((x, y) => (x.sid < y.sid ? -1 : 1)),
      }),
      "mc.recompute": (a) => ({
        entries: ref["mc.recompute"](a)
          .entries.map((e) => ({ sid: mine(e.sid), key: e.key }))
          .sort((x, y) => (x.sid < y.sid ? -1 : 1)),
      }),
    };
  },
);

/** Rebuild treats a node's inputs as a set: a repeated input is dropped, which changes the node. */
const rebuildDedupsInputs = defineMutant(
  {
    id: "si-rebuild-dedups-inputs",
    description: "rebuilding the structural index drops repeated inputs of a node, so it is not identical",
    rules: ["IDX-SI-003"],
    capabilities: ["structural-index"],
  },
  ({ ref }) => ({
    "si.rebuild": (a) => {
      if (!Array.isArray(a.nodes)) return ref["si.rebuild"](a);
      const nodes = a.nodes.map((n) => {
        if (!n || !Array.isArray(n.inputs)) return n;
        const seen = new Set<string>();
        const inputs = n.inputs.filter((i) => {
          const k = JSON.stringify(i);
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
        return { ...n, inputs };
      });
      return ref["si.rebuild"]({ nodes });
    },
  }),
);

/**
 * Artifacts indexed by artifact_id alone (DEC-015's id, the key's first 8 bytes): a PUT whose id is
 * already held answers as a repeat of that artifact, and GET of its key returns the other's bytes.
 */
const dedupByArtifactId = defineMutant(
  {
    id: "store-dedup-by-artifact-id",
    description:
      "takes an artifact whose artifact_id is already held (another key with the same first 8 bytes) for that artifact: PUT answers created = false under the same artifact_id, and GET of its key returns the other's bytes",
    rules: ["ATXI-INV-001"],
    capabilities: ["store"],
  },
  ({ ref, onReset }) => {
    const byId = new Map<string, string>();
    onReset(() => byId.clear());
    return {
      "store.put": (a) => {
        const key = toHex(sha256(a.bytes));
        const held = byId.get(key.slice(0, 16));
        if (held !== undefined && held !== key) {
          const r = ref["store.put"]({ ...a, bytes: ref["store.get"]({ key: held }).bytes });
          return { ...r, key, created: false };
        }
        const r = ref["store.put"](a);
        byId.set(key.slice(0, 16), key);
        return r;
      },
      "store.get": (a) => {
        const held = byId.get(a.key.slice(0, 16));
        return ref["store.get"]({ ...a, key: held ?? a.key });
      },
    };
  },
);

export const storeMutants: Mutant[] = [
  putAlwaysAppends,
  putTagIdentity,
  reopenLosesLast,
  getFromCache,
  recomputeKeepsStale,
  recomputeIgnoresVisibility,
  sidParamsUnsorted,
  rebuildDedupsInputs,
  dedupByArtifactId,
];
