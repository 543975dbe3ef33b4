// The content-index scale bench (heavy: runs only when named, e.g. `npm run bench -- --json scale`):
// `--size N` distinct keys (default 1e8) put into one ContentIndex, then looked up. Keys are made in
// batches outside the timed loops: the figures are the index's, not the making of hex strings. Memory (bytes_per_key) is what the process
// holds after a full GC (JS heap and ArrayBuffers), per key; the growth of the RSS is in extra. Side by side in the same run, at 1e6 keys (or --size if smaller): lmdb (an embedded
// B+tree store, no fsync, no compression) and a naive index keyed by hex strings in a sharded Map of Maps
// (what the engine would be without its key table), each against the reference, as ratios of rates per
// CPU second (lmdb's bytes per key are its file's).
// Figures are reported, never asserted; a lookup that answers wrongly stops the bench.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { open } from "lmdb";
import { byHexPrefix, ShardedMap } from "../reference/common/sharded-map.ts";
import {
  type ArtifactLocation,
  ContentIndex,
  checkKey,
  checkLocation,
  GENESIS_ID,
} from "../reference/content-index/index.ts";
import { blockFileName, storePaths, writeSnapshotFile } from "../reference/store/disk-files.ts";
import { openDiskStore } from "../reference/store/index.ts";
import { encodeHeader, encodeRecord } from "../reference/store/journal-codec.ts";
import { type Benchmark, type BenchResult, scaleSize } from "./framework.ts";

const BATCH = 65_536;
// At most what fits in half the machine's memory at 100 bytes a key (1.2e8 keys on 24 GB): `--size 1e9`,
// which sizes the segment-set bench, must not make this one run the machine out of memory.
const FITS = Math.floor(totalmem() / 2 / 100);
const KEYS = Math.min(scaleSize(1e8), FITS);
const PEER_KEYS = Math.min(KEYS, 1e6);
const LOOKUPS = 1 << 20;

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

// Key i's 32 bytes: 8 bytes mixed from i (distinct for distinct i below 2^32: mix is a bijection), then 24
// fixed random-looking bytes. Keys are made as Buffer.toString("hex") makes them: flat strings, as a
// decoder (JSON.parse) hands them over. A key glued from pieces is a rope that the first read inside the
// timed put flattens: that was 40 % of the put's measured time, and none of it the index's.
const keyBytes = Buffer.alloc(32);
for (let w = 0; w < 6; w++) {
  keyBytes.writeUInt16BE(mix(w) >>> 16, 8 + 4 * w);
  keyBytes.writeUInt16BE(mix(w + 99) & 0xffff, 10 + 4 * w);
}

/**
 * Key i. The index hashes and compares all 32 bytes either way; mixing two words instead of eight keeps
 * the bench's own cost (not timed, but part of its run time) at a quarter.
 */
function key(i: number): string {
  keyBytes.writeUInt32BE(mix(i), 0);
  keyBytes.writeUInt32BE(mix(i + 0x2545f491), 4);
  return keyBytes.toString("hex");
}

/** Key i's location: one per batch of keys, so that making locations costs the bench nothing. */
const locations: ArtifactLocation[] = [];
function loc(i: number): ArtifactLocation {
  const b = Math.floor(i / BATCH);
  locations[b] ??= { blockId: BigInt(b), offset: BigInt(b * 64), length: 64n };
  return locations[b];
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

// A full GC before each memory reading, so that what is read is what the index holds, not garbage.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Memory the process holds after a full GC: the JS heap plus ArrayBuffers (where the index lives). */
function held(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Built {
  ci: ContentIndex;
  n: number;
  put: BenchResult;
}

/**
 * Puts keys 0..n-1; times only the puts (wall and CPU). bytes_per_key is what the index holds after a
 * full GC (JS heap and ArrayBuffers) per key; extra.rss_growth_per_key is the growth of the RSS.
 */
function build(n: number): Built {
  const held0 = held();
  const rss0 = process.memoryUsage().rss;
  const ci = new ContentIndex();
  let ns = 0;
  let cpu = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i += BATCH) {
    const m = Math.min(BATCH, n - i);
    const keys = new Array<string>(m);
    const locs = new Array<ArtifactLocation>(m);
    for (let j = 0; j < m; j++) {
      keys[j] = key(i + j);
      locs[j] = loc(i + j);
    }
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    for (let j = 0; j < m; j++) ci.put(keys[j]!, locs[j]!);
    ns += Number(process.hrtime.bigint() - t);
    cpu += cpuSeconds(c);
  }
  const bytes = held() - held0;
  const rss = process.memoryUsage().rss;
  return {
    ci,
    n,
    put: {
      ops_per_s: n / (ns / 1e9),
      ns_per_op: ns / n,
      rss_bytes: rss,
      bytes_per_key: bytes / n,
      extra: {
        puts_per_cpu_s: n / cpu,
        rss_growth_per_key: (rss - rss0) / n,
        build_s: Number(process.hrtime.bigint() - started) / 1e9,
      },
    },
  };
}

let built: Built | undefined;
function index(): Built {
  built ??= build(KEYS);
  return built;
}

/** Random present keys (distinct), made before timing. */
function sampleKeys(n: number, count: number, seed: number): { keys: string[]; ids: number[] } {
  const ids = Array.from({ length: count }, (_, j) => mix(seed + j) % n);
  return { keys: ids.map(key), ids };
}

function checkAnswer(got: { location: ArtifactLocation } | undefined, i: number): void {
  if (got === undefined || got.location.offset !== loc(i).offset || got.location.blockId !== loc(i).blockId)
    throw new Error(`scale/content-index: key ${i} answered ${JSON.stringify(got, (_, v) => String(v))}`);
}

/** Lookups per second (wall and CPU) of present keys at CURRENT, over LOOKUPS distinct random keys. */
function lookupRate(get: (k: string) => { location: ArtifactLocation } | undefined, n: number) {
  let ns = 0;
  let cpu = 0;
  let done = 0;
  for (let part = 0; done < LOOKUPS; part++) {
    const { keys, ids } = sampleKeys(n, BATCH * 4, part * BATCH * 4 + 7);
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    const answers = keys.map(get);
    ns += Number(process.hrtime.bigint() - t);
    cpu += cpuSeconds(c);
    for (let j = 0; j < answers.length; j++) checkAnswer(answers[j], ids[j]!);
    done += keys.length;
  }
  return { ops_per_s: done / (ns / 1e9), ns_per_op: ns / done, per_cpu_s: done / cpu };
}

const put: Benchmark = {
  name: "scale/content-index/put",
  params: { keys: KEYS },
  heavy: true,
  run: () => index().put,
};

const lookup: Benchmark = {
  name: "scale/content-index/lookup",
  params: { keys: KEYS },
  heavy: true,
  run() {
    const { ci, n, put: p } = index();
    const current = lookupRate((k) => ci.lookup(k), n);
    // Absent keys (the ones after n), and present keys at an older position on the line.
    const absent = sampleKeys(2 ** 32 - n, BATCH, 99).ids.map((i) => key(n + i));
    const ta = process.hrtime.bigint();
    for (const k of absent)
      if (ci.lookup(k) !== undefined) throw new Error("scale/content-index: absent key found");
    const absentNs = Number(process.hrtime.bigint() - ta) / absent.length;
    const older = { snapshot: GENESIS_ID, position: n >> 1 };
    const { keys: oldKeys } = sampleKeys(n, BATCH, 5);
    const to = process.hrtime.bigint();
    for (const k of oldKeys) ci.lookup(k, older);
    const olderNs = Number(process.hrtime.bigint() - to) / oldKeys.length;
    // The lazy DEC-018 digest: the first query folds the entries before its position (one SHA-256 an
    // entry here), later queries at or before it cost a checkpoint plus at most 7 folds.
    const fold = Math.min(n, 1e6);
    const tf = process.hrtime.bigint();
    ci.digest({ snapshot: GENESIS_ID, position: fold });
    const foldNs = Number(process.hrtime.bigint() - tf) / fold;
    const tq = process.hrtime.bigint();
    for (let j = 0; j < 1000; j++) ci.digest({ snapshot: GENESIS_ID, position: mix(j) % fold });
    const queryNs = Number(process.hrtime.bigint() - tq) / 1000;
    const result: BenchResult = {
      ops_per_s: current.ops_per_s,
      ns_per_op: current.ns_per_op,
      rss_bytes: process.memoryUsage().rss,
      ...(p.bytes_per_key === undefined ? {} : { bytes_per_key: p.bytes_per_key }),
      extra: {
        lookups_per_cpu_s: current.per_cpu_s,
        absent_ns: absentNs,
        at_older_position_ns: olderNs,
        digest_fold_ns_per_entry: foldNs,
        digest_query_ns: queryNs,
      },
    };
    built = undefined; // the segment-set bench runs next in the same process: free the index
    gc();
    return result;
  },
};

/** A peer: put n keys (timed), look up random keys (timed), report its memory (or disk) per key. */
interface Peer {
  put(keys: string[], locs: ArtifactLocation[]): void;
  get(k: string): { location: ArtifactLocation } | undefined;
  bytes(): number;
  close(): void;
}

function lmdbPeer(): Peer {
  const dir = mkdtempSync(join(tmpdir(), "asl-bench-lmdb-"));
  const db = open({ path: dir, encoding: "binary", keyEncoding: "binary", noSync: true, compression: false });
  return {
    put(keys, locs) {
      db.transactionSync(() => {
        for (let j = 0; j < keys.length; j++) {
          const v = Buffer.allocUnsafe(28);
          v.writeBigUInt64LE(locs[j]!.blockId, 0);
          v.writeBigUInt64LE(locs[j]!.offset, 8);
          v.writeBigUInt64LE(locs[j]!.length, 16);
          v.writeUInt32LE(0, 24);
          db.putSync(Buffer.from(keys[j]!, "hex"), v);
        }
      });
    },
    get(k) {
      const v = db.getBinary(Buffer.from(k, "hex"));
      if (v === undefined) return undefined;
      return {
        location: {
          blockId: v.readBigUInt64LE(0),
          offset: v.readBigUInt64LE(8),
          length: v.readBigUInt64LE(16),
        },
      };
    },
    bytes: () => statSync(join(dir, "data.mdb")).size,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The reference's figures at n keys (per CPU second), measured once for both peers (in the same run);
 * the index is dropped before a peer runs.
 */
let referenceFigures: { put: number; lookup: number; bytesPerKey: number } | undefined;
function reference(n: number): { put: number; lookup: number; bytesPerKey: number } {
  referenceFigures ??= measureReference(n);
  return referenceFigures;
}

function measureReference(n: number): { put: number; lookup: number; bytesPerKey: number } {
  build(Math.min(n, 1e5)); // a warm-up, so that the reference is not measured cold against warm peers
  const b = build(n);
  const lookups = lookupRate((k) => b.ci.lookup(k), n);
  return {
    put: Number(b.put.extra?.["puts_per_cpu_s"] ?? 0),
    lookup: lookups.per_cpu_s,
    bytesPerKey: b.put.bytes_per_key ?? 0,
  };
}

/** The key table's naive alternative: values in a Map keyed by the hex key, sharded past 2^24 keys. */
function mapOfMapsPeer(): Peer {
  const map = new ShardedMap<string, { location: ArtifactLocation; typeTag: number | undefined }>(
    byHexPrefix,
  );
  const held0 = held();
  return {
    put(keys, locs) {
      // The same argument checks a ContentIndex.put makes.
      for (let j = 0; j < keys.length; j++)
        map.set(checkKey(keys[j]), { location: checkLocation(locs[j]), typeTag: undefined });
    },
    get: (k) => map.get(checkKey(k)),
    bytes: () => held() - held0,
    close() {},
  };
}

function peerBench(name: "lmdb" | "map-of-maps", make: () => Peer): Benchmark {
  return {
    name: "scale/content-index/peer",
    params: { keys: PEER_KEYS, peer: name },
    heavy: true,
    run() {
      // The reference first, then the peer, each with the same keys, in the same process; rates are per
      // CPU second, so that other processes on the machine do not tilt the ratios.
      const ours = reference(PEER_KEYS);
      const peer = make();
      try {
        const started = process.hrtime.bigint();
        let ns = 0;
        let cpu = 0;
        for (let i = 0; i < PEER_KEYS; i += BATCH) {
          const m = Math.min(BATCH, PEER_KEYS - i);
          const keys = Array.from({ length: m }, (_, j) => key(i + j));
          const locs = Array.from({ length: m }, (_, j) => loc(i + j));
          const c = process.cpuUsage();
          const t = process.hrtime.bigint();
          peer.put(keys, locs);
          ns += Number(process.hrtime.bigint() - t);
          cpu += cpuSeconds(c);
        }
        const peerPut = PEER_KEYS / cpu;
        const peerLookup = lookupRate(peer.get, PEER_KEYS);
        return {
          ops_per_s: peerLookup.ops_per_s,
          ns_per_op: peerLookup.ns_per_op,
          rss_bytes: process.memoryUsage().rss,
          bytes_per_key: peer.bytes() / PEER_KEYS,
          extra: {
            peer_puts_per_s: PEER_KEYS / (ns / 1e9),
            peer_puts_per_cpu_s: peerPut,
            reference_puts_per_cpu_s: ours.put,
            put_ratio: ours.put / peerPut,
            peer_lookups_per_cpu_s: peerLookup.per_cpu_s,
            reference_lookups_per_cpu_s: ours.lookup,
            lookup_ratio: ours.lookup / peerLookup.per_cpu_s,
            reference_bytes_per_key: ours.bytesPerKey,
            peer_s: Number(process.hrtime.bigint() - started) / 1e9,
          },
        };
      } finally {
        peer.close();
      }
    },
  };
}

/**
 * Reopen of a disk store whose log holds n stored PUTs (64-byte artifacts in sparse 64 MiB block files)
 * and a snapshot after every quarter: the log is written directly with the journal codec (the same
 * frames Store.put appends), then openDiskStore streams it (4 MiB positional reads) through a fresh
 * content index, checking every frame, block extent and snapshot file (DEC-038).
 */
const reopen: Benchmark = {
  name: "store-scale/reopen",
  params: { entries: Math.min(scaleSize(1e7), FITS) },
  heavy: true,
  async run() {
    const n = Math.min(scaleSize(1e7), FITS);
    const dir = mkdtempSync(join(tmpdir(), "asl-bench-reopen-"));
    try {
      const paths = storePaths(dir);
      mkdirSync(paths.blocks);
      mkdirSync(paths.snapshots);
      const fd = openSync(paths.log, "w");
      const buf = new Uint8Array(4 << 20);
      let used = 0;
      const emit = (frame: Uint8Array) => {
        if (used + frame.length > buf.length) {
          writeSync(fd, buf, 0, used);
          used = 0;
        }
        buf.set(frame, used);
        used += frame.length;
      };
      emit(encodeHeader());
      const twin = new ContentIndex(); // computes the snapshot ids the log must name
      let position = 0;
      for (let i = 0; i < n; i++) {
        const k = key(i);
        const location = { blockId: BigInt(i >>> 20), offset: BigInt((i & 0xfffff) * 64), length: 64n };
        emit(encodeRecord({ kind: "put", position, key: k, location, typeTag: undefined, stored: true }));
        twin.put(k, location);
        position++;
        if ((i + 1) % Math.ceil(n / 4) === 0 || i === n - 1) {
          const s = twin.snapshot();
          writeSnapshotFile(paths.snapshots, s.snapshot, s.position, twin.digest());
          emit(encodeRecord({ kind: "snapshot", position: s.position, id: s.snapshot }));
        }
      }
      writeSync(fd, buf, 0, used);
      closeSync(fd);
      const logBytes = statSync(paths.log).size;
      for (let b = 0; b <= (n - 1) >>> 20; b++) {
        const file = join(paths.blocks, blockFileName(BigInt(b)));
        closeSync(openSync(file, "w"));
        truncateSync(file, Math.min(1 << 20, n - b * (1 << 20)) * 64);
      }
      const digest = twin.digest();
      gc();
      const held0 = held();
      const c = process.cpuUsage();
      const t = process.hrtime.bigint();
      const store = openDiskStore(dir, { sync: "batch" });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      const cpu = cpuSeconds(c);
      const bytes = held() - held0;
      const ok = store.digest() === digest && store.current().position === position;
      const rss = process.memoryUsage().rss;
      store.close();
      if (!ok) throw new Error("store-scale/reopen: the reopened store is not the state written");
      return {
        ops_per_s: n / (ms / 1000),
        ns_per_op: (ms * 1e6) / n,
        rss_bytes: rss,
        bytes_per_key: bytes / n,
        bytes_per_s: logBytes / (ms / 1000),
        extra: { reopen_s: ms / 1000, entries_per_cpu_s: n / cpu, log_bytes: logBytes },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const benchmarks: Benchmark[] = [
  peerBench("lmdb", lmdbPeer),
  peerBench("map-of-maps", mapOfMapsPeer),
  put,
  lookup,
  reopen,
];
