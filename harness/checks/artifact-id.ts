// trace/store-artifact-id-pair: two different artifacts never share an artifact_id (ATXI-INV-001). The
// check stores two real artifacts whose SHA-256 digests share their first 8 bytes, the artifact_id the
// reference issues (DEC-015). DEC-015 leaves the issuing of artifact_ids to the core layer, so two answers
// conform: the second PUT refused with STORE_ARTIFACT_ID_COLLISION, storing nothing (the reference, and
// any implementation that takes ids from the key), or both stored under two different artifact_ids (dense
// ordinals, say). What fails is the one silent confusion a store cut from the key invites: both stored
// under one artifact_id. The same is asked again after store.reopen, where the ids are rebuilt from the log.

import type { Outcome } from "../../adapters/interface.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { faultOf } from "../observe.ts";
import type { Check, CheckContext, CheckOutcome, Finding } from "./types.ts";

/**
 * Two 45-byte texts whose SHA-256 digests share their first 8 bytes (bdec36d58ac57b5c) and differ in the
 * ninth: two artifacts with one DEC-015 artifact_id. Found by tools/artifact-id-pair.c (seed 1, 2
 * threads: a parallel rho search of about 2^32 SHA-256 compressions, 4 min 17 s on 2 cores).
 */
export const ARTIFACT_ID_PAIR = [
  "asl-conform artifact_id pair ef7eb9d4c3d10462",
  "asl-conform artifact_id pair 423a55a017578a34",
] as const;

const RULES = ["ATXI-INV-001", "IDX-PUT-001", "IDX-GET-001"];
const NAME = ["A", "B"] as const;

interface PutAnswer {
  key: string;
  artifact_id: string;
  created: boolean;
}

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const a = ctx.adapter;
  const bytes = ARTIFACT_ID_PAIR.map((t) => new TextEncoder().encode(t));
  const keys = bytes.map((b) => toHex(sha256(b)));
  const findings: Finding[] = [];
  const notes: string[] = [];
  const faulted = (o: Outcome<unknown>, what: string): CheckOutcome | undefined => {
    const f = faultOf(o);
    return f
      ? { findings, fault: { code: f.code, message: `${what}: ${f.message}` }, complete: false }
      : undefined;
  };
  const reset = await a.reset();
  const rf = faulted(reset, "reset");
  if (rf) return rf;

  const put = async (i: number, when: string) => {
    const o = await a.call("store.put", { bytes: bytes[i]!, type_tag: null, structure: null });
    return { o, f: faulted(o, `store.put of artifact ${NAME[i]} ${when}`) };
  };
  /** store.get of artifact i: its bytes when `stored`, else STORE_NOT_FOUND. */
  const read = async (i: number, stored: boolean, when: string): Promise<CheckOutcome | undefined> => {
    const o = await a.call("store.get", { key: keys[i]! });
    const f = faulted(o, `store.get of artifact ${NAME[i]} ${when}`);
    if (f) return f;
    const name = NAME[i];
    if (stored) {
      if ("error" in o)
        findings.push({
          rules: ["IDX-GET-001"],
          message: `${when}: store.get of artifact ${name}, which was stored, answered ${o.error.code}`,
        });
      else if (Buffer.compare(Buffer.from(o.ok.bytes), Buffer.from(bytes[i]!)) !== 0)
        findings.push({
          rules: ["IDX-GET-001", "ATXI-INV-001"],
          message: `${when}: store.get of artifact ${name} returned other bytes${Buffer.compare(Buffer.from(o.ok.bytes), Buffer.from(bytes[1 - i]!)) === 0 ? ` (those of artifact ${NAME[1 - i]}, whose SHA-256 shares its first 8 bytes)` : ""}`,
        });
    } else if (!("error" in o) || o.error.code !== "STORE_NOT_FOUND")
      findings.push({
        rules: ["ATXI-INV-001", "IDX-PUT-001"],
        message: `${when}: store.get of artifact ${name}, whose PUT was refused for its artifact_id, answered ${"error" in o ? o.error.code : "bytes"} (a refused PUT stores nothing: STORE_NOT_FOUND)`,
      });
    return undefined;
  };

  const first = await put(0, "(the first)");
  if (first.f) return first.f;
  if ("error" in first.o)
    return {
      findings: [
        {
          rules: ["IDX-PUT-001"],
          message: `store.put of artifact A into an empty store was refused: ${first.o.error.code}`,
        },
      ],
    };
  const idA = (first.o.ok as PutAnswer).artifact_id;

  /** The second artifact's PUT: refused for the collision, or stored under an id of its own. */
  const second = async (when: string): Promise<{ stored: boolean; out?: CheckOutcome }> => {
    const p = await put(1, when);
    if (p.f) return { stored: false, out: p.f };
    if ("error" in p.o) {
      if (p.o.error.code !== "STORE_ARTIFACT_ID_COLLISION")
        findings.push({
          rules: ["IDX-PUT-001"],
          message: `${when}: store.put of artifact B was refused with ${p.o.error.code}; the only refusal DEC-015 admits for it is STORE_ARTIFACT_ID_COLLISION (its SHA-256 shares its first 8 bytes with A's), else it is stored`,
        });
      return { stored: false };
    }
    const idB = (p.o.ok as PutAnswer).artifact_id;
    if (idB === idA)
      findings.push({
        rules: ["ATXI-INV-001"],
        message: `${when}: artifacts A and B (keys ${keys[0]} and ${keys[1]}) were both stored under artifact_id ${idA}: two artifacts with one identity (refuse the second with STORE_ARTIFACT_ID_COLLISION, or issue it another id)`,
        expected: `an artifact_id other than ${idA}, or STORE_ARTIFACT_ID_COLLISION`,
        actual: idB,
      });
    return { stored: true };
  };

  const before = await second("before store.reopen");
  if (before.out) return before.out;
  notes.push(
    before.stored ? "B stored under its own artifact_id" : "B refused (STORE_ARTIFACT_ID_COLLISION)",
  );
  for (const [i, stored] of [
    [1, before.stored],
    [0, true],
  ] as const) {
    const r = await read(i, stored, "before store.reopen");
    if (r) return r;
  }
  if (findings.length > 0) return { findings, observed: RULES };

  const reopened = await a.call("store.reopen", {});
  const of = faulted(reopened, "store.reopen");
  if (of) return of;
  if ("error" in reopened)
    return {
      findings: [{ rules: ["IDX-PUT-001"], message: `store.reopen was refused: ${reopened.error.code}` }],
    };
  // B again: when it was stored, a second PUT of its bytes answers created = false and changes nothing.
  const after = await second("after store.reopen");
  if (after.out) return after.out;
  for (const [i, stored] of [
    [1, before.stored || after.stored],
    [0, true],
  ] as const) {
    const r = await read(i, stored, "after store.reopen");
    if (r) return r;
  }
  if (!after.stored && before.stored)
    findings.push({
      rules: ["IDX-PUT-001"],
      message:
        "after store.reopen: a PUT of artifact B, stored before the reopen, was refused (STORE_ARTIFACT_ID_COLLISION) though B holds its artifact_id itself",
    });
  notes[0] += after.stored === before.stored ? ", the same after store.reopen" : "";
  return { findings, notes, observed: RULES };
}

export const ARTIFACT_ID_CHECK: Check = {
  id: "trace/store-artifact-id-pair",
  title:
    "Two artifacts whose SHA-256 share their first 8 bytes (DEC-015's artifact_id): the second PUT is refused with STORE_ARTIFACT_ID_COLLISION and stores nothing, or both are stored under different artifact_ids; never both under one; the same after store.reopen",
  kind: "trace",
  rules: RULES,
  capabilities: ["store"],
  run,
};
