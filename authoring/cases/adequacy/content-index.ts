// Cases of the content index written to kill machine-made mutants of reference/content-index that the
// suite let live (adequacy/report.md): a trace, recorded like authoring/cases/traces.ts, and single requests.
//
// - ci-hash-twins: two keys whose 32-bit hash in the reference's key table (key-table.ts) is the same,
//   so they start their probe at the same slot and carry the same stored hash. An index must still keep
//   them apart (IDX-CI-001: a key maps to its own location, nothing else's): a lookup of the second
//   before it is written is absent, each then reads its own value, and a tombstone of one leaves the other
//   (IDX-CI-006, IDX-CI-007). A table that takes a hash match, or any compared prefix, for the key fails.
//   The keys are keyOf("hash-twins", 50995) and keyOf("hash-twins", 57611), the first pair of
//   that family to collide (hashing keys 0 to 57,611).
// - request-value/<op>/key-with-a-non-ascii-letter: a key of 64 characters whose last is U+00E1 (a with
//   acute), whose code point's low 7 bits are those of "a": not 64 lowercase hex digits, a
//   malformed value (DEC-033 step 4): CI_INVALID_ARGUMENT (STO-CUR-005), as the uppercase key is; a reader
//   that looks at the low 7 bits of each character takes it for a key.
// - request-value/ci.lookup/key-63-digits and <op>/key-65-digits: a key one digit short or one too long
//   (DEC-033 step 4: CI_INVALID_ARGUMENT); a reader that parses the first 64 digits without checking the
//   length takes 65 digits for a key. ci.lookup is the one request whose key reaches the index unchecked
//   by the store (reference/store/store.ts checks put and tombstone keys first).
import type { Trace } from "../../../harness/traces/form.ts";
import { keyOf, loc, Recorder, traceOf } from "../trace-recorder.ts";
import type { RequestUnit } from "./types.ts";

const TWIN_A = keyOf("hash-twins", 50995);
const TWIN_B = keyOf("hash-twins", 57611);

async function hashTwins(r: Recorder): Promise<void> {
  const genesis = await r.current();
  await r.lookup(TWIN_A);
  await r.put(TWIN_A, loc(1, 0, 10));
  // B shares A's hash and start slot: absent all the same.
  await r.lookup(TWIN_B);
  await r.do("ci.tombstone", { key: TWIN_B }); // harmless for an absent key (IDX-CI-007)
  await r.lookup(TWIN_A);
  await r.put(TWIN_B, loc(2, 0, 20), 7);
  const both = await r.snapshot();
  await r.lookup(TWIN_A);
  await r.lookup(TWIN_B);
  await r.do("ci.tombstone", { key: TWIN_A });
  await r.lookup(TWIN_A);
  await r.lookup(TWIN_B);
  await r.put(TWIN_A, loc(3, 0, 30));
  await r.lookup(TWIN_A);
  await r.lookup(TWIN_B);
  await r.digest();
  for (const p of [0, 1, 2, 3, 4, 5]) {
    await r.lookup(TWIN_A, r.at(genesis, p));
    await r.lookup(TWIN_B, r.at(genesis, p));
  }
  await r.digest(r.at(both));
  // A new line from the snapshot holding both: the installed state keeps them apart too.
  await r.do("ci.install", { snapshot: both.snapshot });
  await r.lookup(TWIN_A);
  await r.lookup(TWIN_B);
  await r.put(TWIN_B, loc(4, 0, 40));
  await r.lookup(TWIN_A);
  await r.lookup(TWIN_B);
  await r.digest();
}

/** The content-index traces of this file, in a fixed order. */
export async function adequacyContentIndexTraces(): Promise<Trace[]> {
  const r = new Recorder(false);
  try {
    await hashTwins(r);
  } finally {
    r.close();
  }
  return [
    traceOf(
      "ci-hash-twins",
      "Two keys that share the reference key table's 32-bit hash: each absent until written, each its own value, a tombstone of one leaves the other",
      ["content-index"],
      r,
    ),
  ];
}

/** Single requests of ci.*, each to a fresh implementation. */
export async function adequacyContentIndexUnits(request: RequestUnit): Promise<void> {
  const key = `${keyOf("non-ascii", 0).slice(0, 63)}\u00e1`;
  const place = { block_id: "1", offset: "0", length: "1" };
  const k64 = keyOf("key-length", 0);
  for (const [name, bad] of [
    ["key-63-digits", k64.slice(1)],
    ["key-65-digits", `${k64}0`],
  ] as const) {
    const ops =
      name === "key-63-digits"
        ? (["ci.lookup"] as const)
        : (["ci.put", "ci.tombstone", "ci.lookup"] as const);
    for (const op of ops) {
      const args =
        op === "ci.put"
          ? { key: bad, location: place, type_tag: null }
          : op === "ci.lookup"
            ? { key: bad, at: null }
            : { key: bad };
      await request(
        `request-value/${op}/${name}`,
        op,
        args,
        ["STO-CUR-005"],
        ["content-index"],
        "CI_INVALID_ARGUMENT",
      );
    }
  }
  for (const [op, args] of [
    ["ci.put", { key, location: place, type_tag: null }],
    ["ci.tombstone", { key }],
    ["ci.lookup", { key, at: null }],
  ] as const) {
    await request(
      `request-value/${op}/key-with-a-non-ascii-letter`,
      op,
      args,
      ["STO-CUR-005"],
      ["content-index"],
      "CI_INVALID_ARGUMENT",
    );
  }
}
