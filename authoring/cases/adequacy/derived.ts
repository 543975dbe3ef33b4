// Cases of the structural index and the materialization cache written to kill machine-made mutants of
// reference/structural-index and reference/materialization-cache that the suite let live
// (adequacy/report.md): traces (recorded like authoring/cases/traces.ts) and single requests.
//
// - si-canonical-order: DEC-017's key order (byte order, a key that is a prefix of another first), SIDs
//   that do not depend on the order params are given in, si.get of an unregistered SID, rebuilds that
//   replace the index (IDX-SI-001..003).
// - dag-recompute-stand-ins: every shape of DEC-028's stand-in ops that has no result (odd or non-hex or
//   uppercase "hex", a literal with an input or without "hex", another op, a concat reaching an input
//   without result) next to those that have one, recomputed at CURRENT and at an older state; a damaged
//   input (a content-index entry whose bytes are not there) fails mc.recompute only when evaluation reaches
//   it, and leaves the cache as it was; a PUT whose cache entry names a tombstoned key stores again
//   (IDX-MC-001..004, DEC-021, DEC-028).
import type { Step, Trace } from "../../../harness/traces/form.ts";
import { sha256, toHex } from "../../../reference/common/hash.ts";
import { keyOf, loc, Recorder, traceOf } from "../trace-recorder.ts";
import type { RequestUnit } from "./types.ts";

type Node = {
  op: string;
  params: Record<string, string>;
  inputs: ({ sid: string } | { artifact: string })[];
};

const bytesOf = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const keyOfHex = (hex: string) => toHex(sha256(bytesOf(hex)));
const literal = (hex: string | undefined, extra: Record<string, string> = {}): Node => ({
  op: "literal",
  params: hex === undefined ? { ...extra } : { ...extra, hex },
  inputs: [],
});
const concat = (...inputs: Node["inputs"]): Node => ({ op: "concat", params: {}, inputs });
const sid = (s: string) => ({ sid: s });
const artifact = (k: string) => ({ artifact: k });

/** Adds rules to the step just recorded: what it observes beyond what its operation alone names. */
function alsoObserves(r: Recorder, ...rules: string[]): void {
  const step = r.steps[r.steps.length - 1] as Step;
  step.rules = [...new Set([...(step.rules ?? []), ...rules])].sort();
}

async function register(r: Recorder, node: Node): Promise<string> {
  const ok = (await r.do("si.register", { node })) as { sid?: string } | undefined;
  if (ok?.sid === undefined) throw new Error(`derived: the reference refused ${JSON.stringify(node)}`);
  return ok.sid;
}

/** The structural index alone: DEC-017 order, SIDs independent of the order given, rebuilds (IDX-SI-001..003). */
async function siCanonicalOrder(r: Recorder): Promise<void> {
  // Keys written out of order; "z" is a prefix of "za", "a" of "ab": the prefix comes first (DEC-017), and
  // two keys that share a first byte are ordered by their later bytes. The trace's JSON lists members
  // sorted, so these arrive in order: si-register/params-arrive-out-of-byte-order (a unit below) is the
  // case whose params reach the implementation out of byte order.
  const nodeA: Node = { op: "literal", params: { hex: "", zb: "1", za: "2", z: "3" }, inputs: [] };
  const nodeB: Node = { op: "literal", params: { ab: "x", a: "y", hex: "01" }, inputs: [] };
  // A prefix key with a longer value against the longer key: the order is by key alone; U+00E9 is two
  // bytes (C3 A9), after every ASCII key.
  const nodeC: Node = { op: "literal", params: { "\u00e9": "", e: "zzzz", ee: "", hex: "ff" }, inputs: [] };
  const a = await register(r, nodeA);
  const b = await register(r, nodeB);
  await r.do("si.get", { sid: a });
  await r.do("si.get", { sid: b });
  // The same nodes with their params given in another order: the same SIDs (IDX-SI-002).
  await register(r, { op: "literal", params: { z: "3", za: "2", zb: "1", hex: "" }, inputs: [] });
  await register(r, { op: "literal", params: { a: "y", hex: "01", ab: "x" }, inputs: [] });
  const c = await register(r, nodeC);
  const never = keyOf("derived-si", 0);
  const nodeD = concat(sid(a), sid(b), artifact(never), sid(a), sid(c));
  const d = await register(r, nodeD);
  await r.do("si.get", { sid: d });
  // A param named "__proto__" is a param like any other: kept by si.get, hashed into the SID (the node
  // without it has another SID).
  const proto = await register(r, {
    op: "literal",
    params: JSON.parse('{"hex": "", "__proto__": "x"}'),
    inputs: [],
  });
  await r.do("si.get", { sid: proto });
  await register(r, literal(""));
  await r.do("si.get", { sid: keyOf("derived-si", 1) });
  await r.do("si.entries", {});
  // Rebuilt from a DAG in an order where inputs come first: the same SIDs and nodes (IDX-SI-003).
  await r.do("si.rebuild", {
    nodes: [
      nodeB,
      nodeA,
      { op: "literal", params: { ee: "", e: "zzzz", hex: "ff", "\u00e9": "" }, inputs: [] },
      nodeD,
    ],
  });
  await r.do("si.entries", {});
  await r.do("si.get", { sid: d });
  // A smaller DAG replaces the index: what it leaves out is gone, and a node naming it is refused.
  await r.do("si.rebuild", { nodes: [nodeB] });
  await r.do("si.get", { sid: a });
  await r.do("si.register", { node: concat(sid(a)) });
  await r.do("si.register", { node: concat(sid(b), sid(b)) });
  await r.do("si.entries", {});
  await r.do("si.rebuild", { nodes: [] });
  await r.do("si.entries", {});
  await r.do("si.get", { sid: b });
}

/** DEC-028's stand-in ops over the store, at CURRENT and at an older state (IDX-MC-001..004). */
async function dagRecompute(r: Recorder): Promise<void> {
  const free = { free: ["artifact_id", "location"] };
  const put = async (hex: string, structure: Node | null) => {
    const ok = (await r.do("store.put", { bytes: b64(hex), type_tag: null, structure }, free)) as {
      sid: string | null;
    };
    return ok.sid;
  };
  await r.do("ci.current", {});
  const empty = await put("", literal(""));
  for (const hex of ["00", "0000", "ab", "00ab"]) await put(hex, null);
  await r.do("mc.entries", {});
  await r.do("mc.get", { sid: empty! });
  // Nodes without a result (DEC-028): "hex" odd, not hex, uppercase; a literal with an input or without
  // "hex"; another op. Each would give a visible key if it were evaluated anyway.
  const odd = await register(r, literal("0"));
  const notHex = await register(r, literal("zz"));
  await register(r, literal("AB"));
  await register(r, literal("0g"));
  await register(r, { op: "literal", params: { hex: "00" }, inputs: [artifact(keyOfHex(""))] });
  await register(r, literal(undefined, { bytes: "00" }));
  await register(r, { op: "other", params: {}, inputs: [] });
  await register(r, { op: "Concat", params: {}, inputs: [artifact(keyOfHex("ab"))] });
  // Nodes with a result: other params of a literal are ignored; concat of visible keys and of SIDs.
  const zero = await register(r, literal("00"));
  await register(r, literal("ab", { note: "ignored" }));
  await register(r, concat(artifact(keyOfHex("00")), artifact(keyOfHex("ab"))));
  await register(r, concat(sid(zero), artifact(keyOfHex("ab"))));
  await register(r, concat(sid(zero), sid(zero)));
  await register(r, concat());
  const ab = await register(r, concat(artifact(keyOfHex("ab"))));
  // A concat whose result is computable but not visible, and ones that reach an input without result.
  await register(r, concat(sid(zero), sid(zero), sid(zero)));
  await register(r, concat(artifact(keyOf("derived-mc", 0))));
  await register(r, concat(sid(notHex), artifact(keyOfHex("ab"))));
  await register(r, concat(artifact(keyOfHex("00")), sid(odd)));
  await r.do("mc.get", { sid: zero });
  await r.do("mc.recompute", { at: null });
  await r.do("mc.get", { sid: zero });
  await r.do("mc.get", { sid: odd });
  await r.do("mc.entries", {});
  // Registering and recomputing changed nothing of the content index (IDX-SI-004, IDX-DEP-001, IDX-DEP-003).
  await r.do("ci.current", {});
  alsoObserves(r, "IDX-SI-004", "IDX-DEP-001", "IDX-DEP-003");
  await r.do("ci.lookup", { key: keyOfHex("00"), at: null }, { free: ["location"] });
  alsoObserves(r, "IDX-DEP-001", "IDX-DEP-003");
  const older = await r.snapshot();
  await r.do("ci.tombstone", { key: keyOfHex("ab") });
  // At CURRENT the key of "ab" is gone: its entries and those of every concat reading it go; at the
  // older state they come back (IDX-MC-003 at a state).
  await r.do("mc.recompute", { at: null });
  await r.do("mc.get", { sid: ab });
  await r.do("mc.recompute", { at: r.at(older) });
  await r.do("mc.get", { sid: ab });
  await r.do("mc.recompute", { at: { snapshot: keyOf("derived-mc", 1), position: "0" } });
  await r.do("mc.entries", {});
  // A content-index entry whose bytes are not in the store: reading it is STORE_CORRUPT_BLOCK. A concat
  // that stops before it (an input without result first) reads nothing (DEC-028).
  const damaged = keyOf("derived-mc", 2);
  await r.put(damaged, loc(999, 0, 1));
  await register(r, concat(artifact(keyOf("derived-mc", 0)), artifact(damaged)));
  await register(r, concat(sid(notHex), artifact(damaged)));
  await register(r, { op: "literal", params: { hex: "00" }, inputs: [artifact(damaged)] });
  await r.do("mc.recompute", { at: null });
  await r.do("mc.entries", {});
  const reads = await register(r, concat(sid(zero), artifact(damaged)));
  await r.do("mc.recompute", { at: null });
  // The failed recompute left the cache as it was (DEC-028).
  await r.do("mc.entries", {});
  await r.do("mc.get", { sid: reads });
  // At the older state the damaged key is not visible: nothing reads it.
  await r.do("mc.recompute", { at: r.at(older) });
  await r.do("ci.tombstone", { key: damaged });
  await r.do("mc.recompute", { at: null });
  // A PUT whose structure computes other bytes is still recorded as given (IDX-MC-001); recomputing
  // gives the node's own result instead.
  const other = await put("ee", literal("00"));
  await r.do("mc.get", { sid: other! });
  await r.do("mc.recompute", { at: null });
  await r.do("mc.get", { sid: other! });
  // The cache names a key that a tombstone hid: PUT of that structure stores the bytes again, as if the
  // cache were empty (IDX-MC-004).
  const cd = await put("cd", literal("cd"));
  await r.do("ci.tombstone", { key: keyOfHex("cd") });
  await put("cd", literal("cd"));
  alsoObserves(r, "IDX-MC-004");
  await r.get(keyOfHex("cd"));
  alsoObserves(r, "IDX-MC-004");
  await r.do("mc.get", { sid: cd! });
  // Dropping forgets every entry and changes no GET (IDX-MC-002); a PUT of visible bytes still records
  // its structure (created false, DEC-021).
  await r.do("mc.drop", {});
  await r.do("mc.entries", {});
  await r.do("mc.get", { sid: zero });
  await r.get(keyOfHex("ab"), r.at(older));
  alsoObserves(r, "IDX-MC-002", "IDX-DEP-003");
  await put("00", literal("00"));
  await r.do("mc.get", { sid: zero });
  await r.do("mc.entries", {});
  // A rebuilt structural index: recomputing evaluates its nodes only.
  await r.do("si.rebuild", { nodes: [literal("00"), concat(sid(zero), sid(zero)), literal("zz")] });
  await r.do("mc.recompute", { at: null });
  await r.do("mc.entries", {});
}

/** Every trace of this file, in a fixed order. */
export async function adequacyDerivedTraces(): Promise<Trace[]> {
  const out: Trace[] = [];
  const scenarios: {
    id: string;
    title: string;
    store: boolean;
    capabilities: string[];
    run(r: Recorder): Promise<void>;
  }[] = [
    {
      id: "si-canonical-order",
      title:
        "Structural index: params in DEC-017 byte order whatever order they are given in, lookups of unknown SIDs, rebuilds that replace the index",
      store: false,
      capabilities: ["structural-index"],
      run: siCanonicalOrder,
    },
    {
      id: "dag-recompute-stand-ins",
      title:
        "Materialization cache: every DEC-028 node shape with and without a result, recomputed at CURRENT and at an older state, a damaged input, a cache entry naming a tombstoned key",
      store: true,
      capabilities: ["store", "content-index", "structural-index", "materialization-cache"],
      run: dagRecompute,
    },
  ];
  for (const s of scenarios) {
    const r = new Recorder(s.store);
    try {
      await s.run(r);
    } finally {
      r.close();
    }
    out.push(traceOf(s.id, s.title, s.capabilities, r));
  }
  return out;
}

/** Single requests of si.* and mc.*, each to a fresh implementation. */
export async function adequacyDerivedUnits(request: RequestUnit): Promise<void> {
  const hex64 = keyOf("derived-unit", 0);
  // 65 lowercase hex digits is not a key or a SID (DEC-017: exactly 64): SI_INVALID_NODE, not a key
  // read from its last (or first) 64 digits.
  await request(
    "si-register/artifact-input-65-digits",
    "si.register",
    { node: { op: "literal", params: { hex: "" }, inputs: [{ artifact: `0${hex64}` }] } },
    ["IDX-SI-002"],
    ["structural-index"],
    "SI_INVALID_NODE",
  );
  await request(
    "si-register/sid-input-65-digits",
    "si.register",
    { node: { op: "concat", params: {}, inputs: [{ sid: `${hex64}0` }] } },
    ["IDX-SI-002"],
    ["structural-index"],
    "SI_INVALID_NODE",
  );
  await request("si-get/unregistered", "si.get", { sid: hex64 }, ["IDX-SI-001"], ["structural-index"]);
  // A rebuild whose DAG names a SID that none of its nodes produces (DEC-017: an input SID must be
  // registered first): SI_UNKNOWN_INPUT, whether that node comes first or after others.
  await request(
    "si-rebuild/unknown-input-first",
    "si.rebuild",
    { nodes: [{ op: "concat", params: {}, inputs: [{ sid: hex64 }] }] },
    ["IDX-SI-001", "IDX-SI-003"],
    ["structural-index"],
    "SI_UNKNOWN_INPUT",
  );
  await request(
    "si-rebuild/unknown-input-last",
    "si.rebuild",
    {
      nodes: [
        { op: "literal", params: { hex: "00" }, inputs: [] },
        { op: "concat", params: {}, inputs: [{ artifact: hex64 }] },
        { op: "concat", params: {}, inputs: [{ artifact: hex64 }, { sid: keyOf("derived-unit", 1) }] },
      ],
    },
    ["IDX-SI-001", "IDX-SI-003"],
    ["structural-index"],
    "SI_UNKNOWN_INPUT",
  );
  // A param keyed "__proto__" is a param like any other (DEC-017: a map of UTF-8 strings): the SID
  // hashes it, so the node differs from the one without it.
  await request(
    "si-register/param-key-proto",
    "si.register",
    { node: { op: "literal", params: JSON.parse('{"__proto__": "x", "hex": ""}'), inputs: [] } },
    ["IDX-SI-002"],
    ["structural-index"],
  );
  // Params that reach the implementation out of DEC-017's byte order. A vector's JSON text lists members
  // sorted, but a JSON reader lists array-index names ("5", "91") first, so the node arrives as
  // 5, 91, "", "9 ", hex: "" is a prefix of every key (it comes first), and "9 " shares its first byte
  // with "91" (the second byte decides). The SID hashes them as "", 5, "9 ", 91, hex.
  await request(
    "si-register/params-arrive-out-of-byte-order",
    "si.register",
    {
      node: {
        op: "literal",
        params: JSON.parse('{"5": "a", "91": "c", "": "b", "9 ": "d", "hex": ""}'),
        inputs: [],
      },
    },
    ["IDX-SI-002"],
    ["structural-index"],
  );
  await request("mc-get/empty-cache", "mc.get", { sid: hex64 }, ["IDX-MC-001"], ["materialization-cache"]);
}
