// Deterministic semantic traces for the content index and the store, recorded by running the reference
// implementation (adapters/reference, the one converter between the engine and the wire form) over
// scripted and seeded-random operation sequences. Each step is a protocol request with the reference's
// answer (harness/traces/form.ts). Rules exercised: IDX-CI-001..007, IDX-PUT-001, IDX-GET-001/002,
// STO-SNAP-002..007, STO-LOG-001..004, STO-CUR-001..005, STO-DIG-001; decisions DEC-018, DEC-020, DEC-021,
// DEC-030, DEC-032. The same seeds give the same traces, byte for byte, on every machine: keys come from
// SHA-256 of fixed text, choices from a fixed PRNG, and no clock or environment is read.
import type { Trace } from "../../harness/traces/form.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { adequacyDerivedTraces } from "./adequacy/derived.ts";
import { keyOf, loc, prng, Recorder, traceOf, U64_MAX, utf8 } from "./trace-recorder.ts";

type Scenario = {
  id: string;
  title: string;
  target: "content-index" | "store";
  /** Extensions whose operations change state in the trace (the whole trace needs them). */
  extensions?: "snapshot-retire"[];
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
    const r = new Recorder(s.target === "store");
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
  return out;
}
