// Deterministic semantic traces for the content index and the store, recorded by running the reference
// implementation (adapters/reference, the one converter between the engine and the wire form) over
// scripted and seeded-random operation sequences. Each step is a protocol request with the reference's
// answer (harness/traces/form.ts). Rules exercised: IDX-CI-001..007, IDX-PUT-001, IDX-GET-001/002,
// STO-SNAP-002..007, STO-LOG-001..004, STO-CUR-001..005, STO-DIG-001; decisions DEC-018, DEC-020, DEC-021,
// DEC-030, DEC-032. The same seeds give the same traces, byte for byte, on every machine: keys come from
// SHA-256 of fixed text, choices from a fixed PRNG, and no clock or environment is read.
import type { Trace } from "../../harness/traces/form.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { adequacyContentIndexTraces } from "./adequacy/content-index.ts";
import { adequacyDerivedTraces } from "./adequacy/derived.ts";
import { keyOf, loc, prng, Recorder, traceOf, U64_MAX, utf8 } from "./trace-recorder.ts";

type Scenario = {
  id: string;
  title: string;
  target: "content-index" | "store";
  /**
   * Capabilities beyond the target's that the whole trace needs: extensions whose operations change state
   * in it, or the structural index for a store.put that carries a structure.
   */
  extensions?: ("snapshot-retire" | "structural-index" | "materialization-cache")[];
  /** A store trace that writes only through ci.* (every location given) pins the DEC-018 ids too. */
  derivedIds?: boolean;
  run(r: Recorder): Promise<void>;
};

const SCENARIOS: Scenario[] = [
  {
    id: "ci-shadowing",
    title: "PUT, overwrite and lookup at every position: the newest entry of a key decides",
    target: "content-index",
    async run(r) {
      const [a, b] = [keyOf("shadow", 0), keyOf("shadow", 1)];
      await r.do("ci.current", {});
      await r.put(a, loc(0, 0, 10));
      await r.put(b, loc(0, 10, 5), 7);
      await r.put(a, loc(1, 0, 10), 0);
      await r.put(a, loc(U64_MAX, U64_MAX, U64_MAX), 0xffffffff);
      await r.do("ci.current", {});
      await r.digest();
      await r.everywhere([a, b]);
    },
  },
  {
    id: "ci-tombstone-unknown",
    title: "A tombstone of a key never put takes a position and changes no answer and no digest",
    target: "content-index",
    async run(r) {
      const [a, ghost] = [keyOf("ghost", 0), keyOf("ghost", 1)];
      await r.do("ci.current", {});
      await r.do("ci.tombstone", { key: ghost });
      await r.digest();
      await r.put(a, loc(0, 0, 3));
      await r.digest();
      await r.do("ci.tombstone", { key: ghost });
      await r.digest();
      await r.lookup(ghost);
      await r.do("ci.current", {});
      await r.everywhere([a, ghost]);
    },
  },
  {
    id: "ci-put-after-tombstone",
    title: "A tombstone hides a key until a later PUT makes it visible again with the new location",
    target: "content-index",
    async run(r) {
      const [a, b] = [keyOf("revive", 0), keyOf("revive", 1)];
      await r.do("ci.current", {});
      await r.put(a, loc(0, 0, 8), 1);
      await r.put(b, loc(0, 8, 8));
      await r.do("ci.tombstone", { key: a });
      await r.lookup(a);
      await r.digest();
      await r.put(a, loc(2, 0, 8));
      await r.lookup(a);
      await r.do("ci.tombstone", { key: a });
      await r.do("ci.tombstone", { key: a });
      await r.put(a, loc(0, 0, 8), 1);
      await r.everywhere([a, b]);
    },
  },
  {
    id: "ci-install-old-snapshot",
    title:
      "Install an older snapshot: a new line starts at its position; states of the old line are not retained",
    target: "content-index",
    async run(r) {
      const k = [0, 1, 2].map((i) => keyOf("install", i));
      await r.do("ci.current", {});
      await r.put(k[0]!, loc(0, 0, 1));
      await r.put(k[1]!, loc(0, 1, 1));
      const s1 = await r.snapshot();
      await r.do("ci.tombstone", { key: k[0]! });
      await r.put(k[2]!, loc(0, 2, 1));
      const s2 = await r.snapshot();
      await r.put(k[1]!, loc(0, 3, 1));
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.do("ci.current", {});
      await r.put(k[2]!, loc(5, 0, 1));
      await r.lookup(k[2]!, r.at(s2));
      await r.lookup(k[2]!, r.at(s2, s2.position + 1));
      await r.lookup(k[0]!, r.at(r.snapshots()[0]!, 1));
      await r.everywhere(k);
      await r.do("ci.install", { snapshot: s2.snapshot });
      await r.put(k[0]!, loc(6, 0, 1));
      await r.everywhere(k);
    },
  },
  {
    id: "ci-errors",
    title: "Each content-index error code of a state request, in the case DEC-020 gives it",
    target: "content-index",
    async run(r) {
      const [a, b] = [keyOf("errors", 0), keyOf("errors", 1)];
      const genesis = await r.current();
      await r.put(a, loc(0, 0, 4));
      const s1 = await r.snapshot();
      await r.put(b, loc(0, 4, 4));
      const s2 = await r.snapshot();
      const unknown = keyOf("errors", 99);
      await r.lookup(a, { snapshot: unknown, position: "0" });
      await r.do("ci.install", { snapshot: unknown });
      await r.lookup(a, r.at(s2, s2.position + 1));
      await r.digest(r.at(s2, 2 ** 53 + 10));
      await r.lookup(a, { ...r.at(s2), position: U64_MAX });
      await r.lookup(a, r.at(s2, s2.position - 1));
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.lookup(a, r.at(s2));
      await r.lookup(a, r.at(s2, s2.position + 1));
      await r.lookup(a, r.at(s1, s1.position + 1));
      await r.do("ci.install", { snapshot: s2.snapshot });
      await r.lookup(a, r.at(genesis, 1));
      await r.lookup(a, r.at(genesis, 0));
      // CI_INVALID_ARGUMENT: malformed keys, locations, tags, positions and ids.
      await r.put(a.toUpperCase(), loc(0, 0, 1));
      await r.put(a.slice(2), loc(0, 0, 1));
      await r.put(a, { block_id: "0", offset: "-1", length: "1" });
      await r.put(a, { block_id: "0", offset: "0", length: "18446744073709551616" });
      // A type tag outside u32 is a malformed request shape over the protocol (DEC-033: PROTO_BAD_REQUEST),
      // not a content-index answer, so no trace step sends one.
      await r.do("ci.tombstone", { key: "not-a-key" });
      await r.lookup(a, { ...r.at(s2), position: "-1" });
      await r.lookup(a, { ...r.at(s2), position: "two" });
      await r.do("ci.install", { snapshot: "zz" });
      await r.do("ci.current", {});
    },
  },
  {
    id: "ci-retire",
    title:
      "Retiring snapshots (the snapshot-retire extension): each error of DEC-020, and a retired state read, installed and made again",
    target: "content-index",
    extensions: ["snapshot-retire"],
    async run(r) {
      const [a, b] = [keyOf("retire", 0), keyOf("retire", 1)];
      const genesis = await r.current();
      await r.put(a, loc(0, 0, 4));
      const s1 = await r.snapshot();
      await r.put(b, loc(0, 4, 4));
      const s2 = await r.snapshot();
      await r.do("ci.retire", { snapshot: keyOf("retire", 99) });
      await r.do("ci.retire", { snapshot: "zz" });
      await r.do("ci.retire", { snapshot: genesis.snapshot });
      await r.do("ci.retire", { snapshot: s1.snapshot });
      await r.lookup(a, r.at(s1));
      await r.digest(r.at(s1));
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.do("ci.retire", { snapshot: s1.snapshot });
      await r.do("ci.install", { snapshot: s2.snapshot });
      await r.do("ci.retire", { snapshot: s2.snapshot });
      await r.do("ci.install", { snapshot: genesis.snapshot });
      await r.do("ci.retire", { snapshot: s2.snapshot });
      await r.lookup(a, r.at(s2));
      await r.put(a, loc(0, 0, 4));
      await r.snapshot();
      await r.lookup(a, r.at(s1));
      await r.everywhere([a, b]);
    },
  },
  {
    id: "ci-snapshot-identity",
    title: "Equal states give equal SnapshotIDs however they were reached (DEC-018)",
    target: "content-index",
    async run(r) {
      const [a, b] = [keyOf("ident", 0), keyOf("ident", 1)];
      await r.do("ci.current", {});
      await r.do("ci.snapshot", {});
      await r.put(a, loc(0, 0, 1));
      await r.put(b, loc(0, 1, 1));
      await r.do("ci.snapshot", {});
      await r.do("ci.snapshot", {});
      const genesis = r.snapshots()[0]!;
      await r.do("ci.install", { snapshot: genesis.id });
      await r.put(b, loc(0, 1, 1));
      await r.put(a, loc(0, 0, 1));
      await r.do("ci.snapshot", {});
      await r.do("ci.install", { snapshot: genesis.id });
      await r.put(b, loc(0, 1, 1));
      await r.do("ci.tombstone", { key: b });
      await r.digest();
      await r.do("ci.snapshot", {});
    },
  },
  {
    id: "store-put-get",
    title: "Store PUT appends only when the key is not visible; GET answers from the content index alone",
    target: "store",
    async run(r) {
      const [x, y] = [utf8.encode("first artifact"), utf8.encode("second")];
      const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
      const kx = toHex(sha256(x));
      await r.do("ci.current", {});
      await r.storePut(b64(x));
      await r.get(kx);
      await r.storePut(b64(x));
      await r.storePut(b64(x), 9);
      await r.storePut(b64(y), 9);
      await r.storePut("");
      await r.get(toHex(sha256(new Uint8Array(0))));
      const s1 = await r.snapshot();
      await r.do("ci.tombstone", { key: kx });
      await r.get(kx);
      await r.get(kx, r.at(s1));
      await r.get(keyOf("store", 1));
      await r.storePut(b64(x));
      await r.get(kx);
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.get(kx);
      await r.get(kx, r.at(s1, s1.position + 1));
      await r.storePut(b64(x));
      await r.do("ci.current", {});
    },
  },
  {
    id: "ci-retire-remade",
    title:
      "A retired snapshot made again is retained again, and stays readable at its position once an install leaves its line; the genesis snapshot cannot be retired when it is not the base",
    target: "content-index",
    extensions: ["snapshot-retire"],
    async run(r) {
      const [a, b] = [keyOf("remade", 0), keyOf("remade", 1)];
      const genesis = await r.current();
      await r.put(a, loc(0, 0, 4));
      const s1 = await r.snapshot();
      await r.put(b, loc(0, 4, 4), 2);
      const s2 = await r.snapshot();
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.do("ci.retire", { snapshot: genesis.snapshot });
      await r.do("ci.retire", { snapshot: s2.snapshot });
      await r.lookup(b, r.at(s2));
      await r.put(b, loc(0, 4, 4), 2);
      await r.snapshot();
      await r.lookup(b, r.at(s2));
      await r.do("ci.install", { snapshot: genesis.snapshot });
      await r.do("ci.retire", { snapshot: genesis.snapshot });
      await r.lookup(b, r.at(s2));
      await r.lookup(a, r.at(s2));
      await r.digest(r.at(s2));
      await r.lookup(b, r.at(s2, s2.position + 1));
      await r.do("ci.install", { snapshot: s2.snapshot });
      await r.lookup(a);
      await r.lookup(b);
      await r.do("ci.retire", { snapshot: s1.snapshot });
      await r.do("ci.retire", { snapshot: s2.snapshot });
      await r.everywhere([a, b]);
    },
  },
  {
    id: "ci-long-line",
    title:
      "A line of more than 1024 entries and keys; a state on an older line read by keys made after it; a snapshot of a line that starts past 0 installed",
    target: "content-index",
    async run(r) {
      const N = 1030;
      const k = (i: number) => keyOf("long", i);
      const genesis = await r.current();
      await r.put(k(0), loc(0, 0, 1));
      await r.put(k(1), loc(0, 1, 1), 3);
      await r.put(k(2), loc(0, 2, 1));
      const s0 = await r.snapshot();
      await r.do("ci.install", { snapshot: genesis.snapshot });
      for (let i = 0; i < N; i++) await r.put(k(i), loc(1, i, 1 + (i % 7)), i % 5 === 0 ? i : undefined);
      const mid = await r.snapshot();
      await r.do("ci.tombstone", { key: k(1025) });
      await r.put(k(1024), loc(2, 0, 9));
      await r.put(k(N), loc(2, 1, 1));
      await r.digest();
      for (const i of [0, 1, 1023, 1024, 1025, 1029, N]) await r.lookup(k(i));
      for (const p of [0, 1, 1023, 1024, 1025, 1026, N, N + 2]) {
        await r.digest(r.at(genesis, p));
        for (const i of [0, 1023, 1024, 1025]) await r.lookup(k(i), r.at(genesis, p));
      }
      for (const i of [0, 1, 3, 1024, 1029, N]) await r.lookup(k(i), r.at(s0));
      await r.digest(r.at(s0));
      await r.do("ci.install", { snapshot: mid.snapshot });
      await r.put(k(N + 1), loc(3, 0, 1));
      await r.put(k(N + 2), loc(3, 1, 1), 1);
      await r.digest();
      for (const i of [0, 1024, 1025, N, N + 1, N + 2]) await r.lookup(k(i));
      const s3 = await r.snapshot();
      await r.put(k(0), loc(4, 0, 1));
      await r.do("ci.install", { snapshot: s3.snapshot });
      await r.digest();
      for (const i of [0, 1, 1024, N + 1, N + 2]) await r.lookup(k(i));
      await r.lookup(k(0), r.at(mid, N));
    },
  },
  {
    id: "store-reopen-index",
    title:
      "Every content-index write survives store.reopen: u64 extremes and type tags, tombstones, snapshots, an install's new line, and positions that go on where they were",
    target: "store",
    derivedIds: true,
    async run(r) {
      const k = [0, 1, 2, 3, 4, 5].map((i) => keyOf("reopen-ci", i));
      await r.reopen();
      await r.do("ci.current", {});
      await r.put(k[0]!, loc(0, 0, 10));
      await r.reopen();
      await r.lookup(k[0]!);
      await r.put(k[1]!, loc(U64_MAX, U64_MAX, U64_MAX), 0xffffffff);
      await r.put(k[2]!, loc("9007199254740993", "4294967296", "1"), 0);
      await r.do("ci.tombstone", { key: k[0]! });
      await r.do("ci.tombstone", { key: k[5]! });
      await r.reopen();
      for (const key of [k[0]!, k[1]!, k[2]!, k[5]!]) await r.lookup(key);
      await r.digest();
      const s1 = await r.snapshot();
      await r.put(k[0]!, loc(2, 0, 1));
      await r.put(k[3]!, loc(3, 0, 1), 7);
      const s2 = await r.snapshot();
      await r.put(k[4]!, loc(4, 0, 1));
      await r.reopen();
      await r.do("ci.current", {});
      await r.everywhere(k);
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.reopen();
      await r.lookup(k[3]!);
      await r.lookup(k[3]!, r.at(s2));
      await r.lookup(k[3]!, r.at(s2, s2.position + 1));
      await r.lookup(k[4]!, r.at(s1, s1.position + 1));
      await r.put(k[4]!, loc(5, 0, 1));
      await r.snapshot();
      await r.reopen();
      await r.everywhere(k);
      await r.do("ci.install", { snapshot: s2.snapshot });
      await r.reopen();
      await r.put(k[5]!, loc(6, 0, 1));
      await r.reopen();
      await r.reopen();
      await r.do("ci.current", {});
      await r.everywhere(k);
      await r.get(k[3]!);
    },
  },
  {
    id: "store-reopen-retire",
    title:
      "Retirement survives store.reopen, and so does a retired snapshot made again; the base and the genesis snapshot stay in use",
    target: "store",
    derivedIds: true,
    extensions: ["snapshot-retire"],
    async run(r) {
      const [a, b] = [keyOf("reopen-retire", 0), keyOf("reopen-retire", 1)];
      const genesis = await r.reopen();
      await r.put(a, loc(0, 0, 4));
      const s1 = await r.snapshot();
      await r.put(b, loc(0, 4, 4), 1);
      const s2 = await r.snapshot();
      await r.do("ci.retire", { snapshot: s1.snapshot });
      await r.reopen();
      await r.lookup(a, r.at(s1));
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.do("ci.retire", { snapshot: s1.snapshot });
      await r.do("ci.install", { snapshot: genesis.snapshot });
      await r.do("ci.retire", { snapshot: genesis.snapshot });
      await r.reopen();
      await r.do("ci.retire", { snapshot: genesis.snapshot });
      await r.put(a, loc(0, 0, 4));
      await r.snapshot();
      await r.reopen();
      await r.lookup(a, r.at(s1));
      await r.digest(r.at(s1));
      await r.do("ci.install", { snapshot: s2.snapshot });
      await r.reopen();
      await r.lookup(b);
      await r.lookup(a, r.at(s1));
      await r.lookup(a, r.at(s1, s1.position + 1));
      await r.do("ci.retire", { snapshot: s2.snapshot });
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.do("ci.retire", { snapshot: s2.snapshot });
      await r.reopen();
      await r.lookup(b, r.at(s2));
      await r.do("ci.install", { snapshot: s2.snapshot });
      await r.do("ci.current", {});
      await r.everywhere([a, b]);
    },
  },
  {
    id: "store-reopen-put",
    title:
      "Stored artifacts survive store.reopen: GET at CURRENT and at retained states, type tags, PUT of a visible key appending nothing, PUT after a tombstone storing again, appends after a reopen",
    target: "store",
    async run(r) {
      const blobs = ["first", "second artifact", "", "z".repeat(1000), "after reopen"].map((t) =>
        utf8.encode(t),
      );
      const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
      const [kx, ky, ke, kz, kw] = blobs.map((u) => toHex(sha256(u)));
      const [x, y, e, z, w] = blobs.map(b64);
      await r.reopen();
      await r.storePut(x!, 7);
      await r.reopen();
      await r.get(kx!);
      await r.lookupStored(kx!);
      await r.storePut(x!);
      await r.reopen();
      await r.storePut(y!);
      await r.storePut(e!);
      await r.storePut(z!, 0);
      await r.reopen();
      for (const key of [kx!, ky!, ke!, kz!]) {
        await r.get(key);
        await r.lookupStored(key);
      }
      const s1 = await r.snapshot();
      await r.do("ci.tombstone", { key: kx! });
      await r.reopen();
      await r.get(kx!);
      await r.get(kx!, r.at(s1));
      await r.storePut(x!, 3);
      await r.reopen();
      await r.get(kx!);
      await r.lookupStored(kx!);
      await r.get(kx!, r.at(s1, s1.position + 1));
      await r.do("ci.install", { snapshot: s1.snapshot });
      await r.reopen();
      await r.get(kx!);
      await r.storePut(x!);
      await r.storePut(w!);
      await r.reopen();
      for (const key of [kx!, ky!, ke!, kz!, kw!]) await r.get(key);
      await r.do("ci.current", {});
      await r.everywhere([kx!, ky!, ke!, kz!, kw!], { stored: true });
      // ci.put next to store.put (DEC-021): GET reads the location given. Bytes that are not the key's, or
      // missing however long the location, are STORE_CORRUPT_BLOCK; a location of length 0 misses no byte.
      const [other, far, huge] = [1, 2, 3].map((i) => keyOf("reopen-put", i));
      await r.put(other!, loc(0, 0, blobs[0]!.length));
      await r.put(far!, loc(0, U64_MAX, 1));
      await r.put(huge!, loc(0, 0, "1099511627776"));
      await r.put(ke!, loc(99, 0, 0));
      for (const key of [other!, far!, huge!, ke!]) await r.get(key);
      await r.reopen();
      for (const key of [other!, far!, huge!, ke!]) await r.get(key);
      await r.storePut(e!);
    },
  },
  {
    id: "store-get-missing-block",
    title:
      "GET of a key whose content-index entry names a block that does not exist is STORE_CORRUPT_BLOCK, even when another block holds the key's bytes at that offset (DEC-021)",
    target: "store",
    async run(r) {
      const x = utf8.encode("held in the open block");
      const kx = toHex(sha256(x));
      const far = keyOf("missing-block", 0);
      // store.put opens the block its bytes go to; the entries below then name block 2^64 - 1 at the same
      // offset and length, which no store has: the bytes there are missing, whatever is in the open block.
      await r.storePut(Buffer.from(x).toString("base64"));
      await r.get(kx);
      await r.put(kx, loc(U64_MAX, 0, x.length));
      await r.get(kx);
      r.alsoObserves("IDX-GET-001");
      await r.put(far, loc(U64_MAX, 0, 0));
      await r.get(far);
      await r.get(kx);
    },
  },
  {
    id: "store-reopen-artifact-ids",
    title:
      "Keys that share their first 8 bytes given only to ci.put never collide, before or after store.reopen; sixty-four stored artifacts, one stored again after a tombstone, and two with distinct artifact_ids stored twice around a reopen, all survive store.reopen (DEC-015)",
    target: "store",
    async run(r) {
      // DEC-015: only keys whose bytes store.put stored count for an artifact_id collision; keys given
      // only to ci.put never count, also when store.reopen replays them. The reference's artifact_id is
      // the key's first 8 bytes, so these keys would collide if they counted; for any implementation they
      // are just index entries.
      const x = utf8.encode("artifact-ids: stored");
      const kx = toHex(sha256(x));
      const prefix = keyOf("artifact-ids-prefix", 0).slice(0, 16);
      const [p1, p2, p3] = [1, 2, 3].map((i) => prefix + keyOf("artifact-ids-prefix", i).slice(16));
      const shadow = kx.slice(0, 16) + keyOf("artifact-ids-prefix", 4).slice(16);
      await r.put(p1!, loc(0, 0, 0));
      await r.put(p2!, loc(0, 0, 0), 5);
      // Two artifacts stored first whose artifact_ids the reference's table of artifact ids places in its
      // first two slots (found by a search over these texts): every later lookup probes past them.
      for (const i of [64, 56])
        await r.storePut(Buffer.from(utf8.encode(`artifact-ids: slot ${i}`)).toString("base64"));
      await r.storePut(Buffer.from(x).toString("base64"));
      await r.put(shadow, loc(0, 0, 0));
      await r.reopen();
      await r.put(p3!, loc(0, 0, 0));
      for (const key of [p1!, p2!, p3!, shadow]) await r.lookup(key);
      await r.get(kx);
      await r.reopen();
      for (const key of [p1!, p2!, p3!, shadow]) await r.lookup(key);
      // More stored artifacts than the reference's first table of artifact ids holds (64), then a reopen that
      // replays them all: each is read back whole; one stored again after a tombstone is not a collision.
      const many = Array.from({ length: 64 }, (_, i) => utf8.encode(`artifact-ids: stored ${i}`));
      for (const b of many) await r.storePut(Buffer.from(b).toString("base64"));
      const k0 = toHex(sha256(many[0]!));
      await r.do("ci.tombstone", { key: k0 });
      await r.storePut(Buffer.from(many[0]!).toString("base64"));
      await r.reopen();
      for (const b of many) await r.get(toHex(sha256(b)));
      await r.do("ci.tombstone", { key: k0 });
      await r.storePut(Buffer.from(many[0]!).toString("base64"));
      await r.get(k0);
      await r.get(kx);
      // Two artifacts whose artifact_ids differ (DEC-015: no collision) but which the reference's table
      // of artifact ids hashes alike (the pair was found by a search over these texts): both are stored.
      const alike = [89647, 137046].map((i) => utf8.encode(`artifact-ids: same table hash ${i}`));
      for (const b of alike) await r.storePut(Buffer.from(b).toString("base64"));
      await r.reopen();
      for (const b of alike) await r.storePut(Buffer.from(b).toString("base64"));
      for (const b of alike) await r.get(toHex(sha256(b)));
    },
  },
  {
    id: "store-put-refused-structure",
    title:
      "A PUT whose structure cannot be registered stores and appends nothing, before and after store.reopen (DEC-021)",
    target: "store",
    extensions: ["structural-index", "materialization-cache"],
    async run(r) {
      const x = Buffer.from(utf8.encode("refused at first")).toString("base64");
      const kx = toHex(sha256(utf8.encode("refused at first")));
      const unknown = { op: "concat", params: {}, inputs: [{ sid: keyOf("refused", 0) }] };
      const malformed = { op: "concat", params: {}, inputs: [{ artifact: kx.toUpperCase() }] };
      const free = { free: ["artifact_id", "location"] };
      await r.do("ci.current", {});
      await r.do("store.put", { bytes: x, type_tag: null, structure: unknown }, free);
      await r.do("store.put", { bytes: x, type_tag: 4, structure: malformed }, free);
      await r.do("ci.current", {});
      r.alsoObserves("IDX-PUT-002");
      await r.get(kx);
      r.alsoObserves("IDX-PUT-002");
      await r.reopen();
      await r.get(kx);
      r.alsoObserves("IDX-PUT-002");
      await r.storePut(x);
      r.alsoObserves("IDX-PUT-002");
      await r.do("store.put", { bytes: x, type_tag: null, structure: unknown }, free);
      await r.reopen();
      await r.get(kx);
    },
  },
];

const RANDOM_SEEDS = [1, 2, 3, 4];
const RETIRE_SEEDS = [1, 2];

/**
 * A seeded mix of every operation, with lookups at random (valid and invalid) states. With `retire`, the
 * mix also retires snapshots (the snapshot-retire extension), and the trace needs that capability.
 */
async function randomTrace(seed: number, retire: boolean): Promise<Trace> {
  const r = new Recorder(false);
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const keys = Array.from({ length: 5 }, (_, i) => keyOf(`random-${retire ? "retire-" : ""}${seed}`, i));
  await r.do("ci.current", {});
  for (let i = 0; i < 60; i++) {
    const x = rand();
    const snaps = r.snapshots().filter((s) => !s.retired);
    if (x < 0.45) {
      const key = pick(keys);
      const location = loc(Math.floor(rand() * 3), Math.floor(rand() * 100), 1 + Math.floor(rand() * 9));
      await r.put(key, location, rand() < 0.3 ? Math.floor(rand() * 4) : undefined);
    } else if (x < 0.6) {
      await r.do("ci.tombstone", { key: pick(keys) });
    } else if (x < 0.68) {
      await r.do("ci.snapshot", {});
    } else if (x < 0.73) {
      await r.do("ci.install", { snapshot: pick(snaps).id });
    } else if (x < 0.77) {
      if (retire) await r.do("ci.retire", { snapshot: pick(r.snapshots()).id });
      else await r.lookup(pick(keys));
    } else if (x < 0.92) {
      const s = pick(r.snapshots());
      const p = s.position + Math.floor(rand() * 6) - 1;
      await r.lookup(pick(keys), r.at(s, Math.max(0, p)));
    } else {
      await r.digest();
    }
  }
  await r.everywhere(keys);
  r.close();
  const id = retire ? `ci-random-retire-${seed}` : `ci-random-${seed}`;
  const title = `Seeded random operations${retire ? " with retirement" : ""} (seed ${seed}), then every key at every retained state`;
  return traceOf(id, title, retire ? ["content-index", "snapshot-retire"] : ["content-index"], r);
}

/** Every trace, in a fixed order. */
export async function generateTraces(): Promise<Trace[]> {
  const out: Trace[] = [];
  for (const s of SCENARIOS) {
    const r = new Recorder(s.target === "store", s.derivedIds ? { derivedIds: true } : {});
    try {
      await s.run(r);
    } finally {
      r.close();
    }
    const capabilities = [
      ...(s.target === "store" ? ["store", "content-index"] : ["content-index"]),
      ...(s.extensions ?? []),
    ];
    out.push(traceOf(s.id, s.title, capabilities, r));
  }
  for (const seed of RANDOM_SEEDS) out.push(await randomTrace(seed, false));
  for (const seed of RETIRE_SEEDS) out.push(await randomTrace(seed, true));
  out.push(...(await adequacyDerivedTraces()));
  out.push(...(await adequacyContentIndexTraces()));
  return out;
}
