// Benchmarks of the semantic half of the reference engine: the content index (lookup must stay flat as
// the log grows, snapshots must not copy the map) and the store (bytes/s in and out, reopen time).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContentIndex, type IndexState } from "../reference/content-index/index.ts";
import { openDiskStore, type Store } from "../reference/store/index.ts";
import { type Benchmark, measure, timeOnce } from "./framework.ts";

const key = (i: number) => i.toString(16).padStart(64, "0");
const loc = (i: number) => ({ blockId: BigInt(i >>> 20), offset: BigInt(i & 0xfffff), length: 64n });

/** An index with n entries over n/2 keys (so half the keys have two versions), and a snapshot at n/2. */
const built = new Map<number, { ci: ContentIndex; mid: IndexState; keys: number }>();
function indexWith(n: number) {
  let b = built.get(n);
  if (b === undefined) {
    built.clear(); // keep one large index alive at a time
    const ci = new ContentIndex();
    const keys = Math.max(1, n >> 1);
    let mid: IndexState | undefined;
    for (let i = 0; i < n; i++) {
      if (i === n >> 1) mid = ci.snapshot();
      ci.put(key(i % keys), loc(i));
    }
    b = { ci, mid: mid ?? ci.snapshot(), keys };
    built.set(n, b);
  }
  return b;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "asl-bench-"));
}

const lookups: Benchmark[] = [1e3, 1e4, 1e5, 1e6].map((n) => ({
  name: "content-index/lookup",
  params: { log_length: n },
  run() {
    const { ci, mid, keys } = indexWith(n);
    // Keys are made before timing: the figure is the lookup, not the making of a hex string.
    const sample = Array.from({ length: 4096 }, (_, i) => key((i * 2654435761) % keys));
    let x = 12345;
    const atCurrent = measure(() => {
      for (let i = 0; i < 1000; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        ci.lookup(sample[x & 4095]!);
      }
      return 1000;
    }, 300);
    const atSnapshot = measure(() => {
      for (let i = 0; i < 1000; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        ci.lookup(key(x % keys), {
          snapshot: mid.snapshot,
          position: mid.position + (x % (n - mid.position + 1)),
        });
      }
      return 1000;
    }, 300);
    return { ...atCurrent, extra: { at_retained_state_ns: atSnapshot.ns_per_op } };
  },
}));

const puts: Benchmark = {
  name: "content-index/put",
  params: { keys: "fresh" },
  run() {
    const ci = new ContentIndex();
    let i = 0;
    return measure(() => {
      for (let j = 0; j < 1000; j++, i++) ci.put(key(i), loc(i));
      return 1000;
    });
  },
};

const snapshots: Benchmark[] = [1e3, 1e5].map((live) => ({
  name: "content-index/snapshot",
  params: { live_keys: live },
  run() {
    const ci = new ContentIndex();
    for (let i = 0; i < live; i++) ci.put(key(i), loc(i));
    let i = live;
    // Each snapshot needs a new state (equal states share an id), so an op is put + snapshot; the put
    // alone is measured too, and the difference is the snapshot's own cost.
    const both = measure(() => {
      for (let j = 0; j < 100; j++, i++) {
        ci.put(key(i % live), loc(i));
        ci.snapshot();
      }
      return 100;
    });
    const putOnly = measure(() => {
      for (let j = 0; j < 100; j++, i++) ci.put(key(i % live), loc(i));
      return 100;
    });
    const map = new Map(Array.from({ length: live }, (_, k) => [k, { v: k }]));
    const copy = measure(() => {
      new Map(map);
      return 1;
    }, 200);
    const own = Math.max(0, both.ns_per_op - putOnly.ns_per_op);
    return {
      ns_per_op: own,
      ops_per_s: 1e9 / Math.max(own, 1),
      extra: { put_plus_snapshot_ns: both.ns_per_op, eager_map_copy_ns: copy.ns_per_op },
    };
  },
}));

const replay: Benchmark = {
  name: "content-index/replay",
  params: { entries: 1e5 },
  async run() {
    const n = 1e5;
    const ms = await timeOnce(() => {
      const ci = new ContentIndex();
      for (let i = 0; i < n; i++) {
        if (i % 10 === 9) ci.tombstone(key(i - 5));
        else ci.put(key(i % 50000), loc(i));
      }
    });
    return {
      ops_per_s: (n * 1000) / ms,
      ns_per_op: (ms * 1e6) / n,
      extra: { entries_per_s: (n * 1000) / ms },
    };
  },
};

function storeBench(kind: "put" | "get", size: number, sync: "always" | "batch"): Benchmark {
  return {
    name: `store/${kind}`,
    params: { size, backend: "disk", sync },
    run() {
      const dir = tempDir();
      const store: Store = openDiskStore(dir, { sync });
      try {
        const payload = new Uint8Array(size);
        let counter = 0;
        const next = () => {
          new DataView(payload.buffer).setUint32(0, counter++);
          return payload;
        };
        const batch = size >= 1 << 20 ? 2 : 200;
        if (kind === "put") {
          const r = measure(() => {
            for (let j = 0; j < batch; j++) store.put(next());
            if (sync === "batch") store.sync();
            return batch;
          });
          return { ...r, bytes_per_s: r.ops_per_s * size };
        }
        const keys = Array.from({ length: size >= 1 << 20 ? 16 : 2000 }, () => store.put(next()).key);
        let j = 0;
        const r = measure(() => {
          for (let k = 0; k < batch; k++) store.get(keys[j++ % keys.length]!);
          return batch;
        });
        return { ...r, bytes_per_s: r.ops_per_s * size };
      } finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const reopen: Benchmark = {
  name: "store/reopen",
  params: { entries: 1e5, size: 64 },
  async run() {
    const dir = tempDir();
    try {
      const n = 1e5;
      let store = openDiskStore(dir, { sync: "batch" });
      const payload = new Uint8Array(64);
      for (let i = 0; i < n; i++) {
        new DataView(payload.buffer).setUint32(0, i);
        store.put(payload);
        if (i % 20000 === 0) store.snapshot();
      }
      store.close();
      const ms = await timeOnce(() => {
        store = openDiskStore(dir);
      });
      store.close();
      return {
        ops_per_s: 1000 / ms,
        ns_per_op: ms * 1e6,
        extra: { reopen_ms: ms, entries_per_s: (n * 1000) / ms },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const benchmarks: Benchmark[] = [
  ...lookups,
  puts,
  ...snapshots,
  replay,
  storeBench("put", 64, "batch"),
  storeBench("put", 64, "always"),
  storeBench("put", 1 << 20, "batch"),
  storeBench("get", 64, "batch"),
  storeBench("get", 1 << 20, "batch"),
  reopen,
];
