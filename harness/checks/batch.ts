// The `batch` obligations of spec/protocol.md section 4.3, one check per capability (vec/batch/<capability>):
// the capability's unit requests that need no setup (vectors/units, valid and malformed alike) go as ONE
// batch through adapter.batch. Each item must get the answer its unit expects (the code for an error, the
// value for an answer); a batch refused whole (PROTO_NOT_SUPPORTED, say) fails. Over the process protocol
// (a real batch message) a `hello`, a `reset` and a nested `batch` item go too, each to be answered
// PROTO_BAD_REQUEST in its place, and a batch of 10,001 requests, or one whose requests are not an array,
// must be refused whole with PROTO_BAD_REQUEST. (In-process the adapter answers batch as `serve` does,
// adapters/batch.ts: the module under test answers the items.) Malformed items go as they are, also under
// --validate-protocol (CallOptions.unchecked).
//
// Items are answered in order from one state: the units chosen need no setup and change no state when
// answered as expected (they are refused, or stateless), so each expected answer is the one a fresh state
// gives. Units whose args hold a lone surrogate escape are left out: DEC-033 lets an implementation whose
// JSON parser refuses such a line answer the whole request from its id, which a batch item cannot be.

import { BATCH_LIMIT } from "../../adapters/batch.ts";
import type { Capability, OpName } from "../../adapters/interface.ts";
import { PROFILE, PROTOCOL_VERSION } from "../../adapters/interface.ts";
import { argsFromWire } from "../../adapters/wire.ts";
import { CAPABILITIES } from "../../catalog/load.ts";
import { TOOL_VERSION, VECTORS_DIR } from "../../catalog/paths.ts";
import type { Expect } from "../traces/form.ts";
import { compareAnswer } from "../traces/replay.ts";
import { SnapshotBinding } from "../traces/snapshots.ts";
import { readManifest, type UnitCase } from "../vectors/read.ts";
import type { Check, CheckContext, CheckOutcome, Finding } from "./types.ts";

/**
 * The rule a batch-level observation (a lifecycle item, a batch refused whole, the size limit) is named
 * after: the protocol has no rule of its own (PROTO_* codes name none in spec/errors.yaml), so each
 * capability's is DEC-033's rule where it has one, else its central rule. authoring/generate/units.ts names
 * the same rule for the capability's unknown-operation unit.
 */
export const BATCH_RULE: Record<Capability, string> = {
  "content-index": "STO-CUR-005",
  "state-digest": "STO-DIG-001",
  "snapshot-retire": "STO-RET-001",
  store: "IDX-PUT-001",
  durability: "STO-REC-003",
  "structural-index": "IDX-SI-002",
  "materialization-cache": "IDX-MC-001",
  "segment-decode": "ATXI-DEC-002",
  "segment-encode": "ATXI-ENC-001",
  "segment-query": "ATXI-VIS-002",
  "filter-bloom": "ATXI-FLT-007",
  "filter-xor": "ATXI-FLT-008",
  "tgk-edges": "ATXI-INV-002",
  "node-projections": "ATXI-NPR-002",
  sharding: "ATXI-SHD-001",
};

interface Item {
  /** The unit id, or the lifecycle operation's name. */
  name: string;
  op: string;
  /** Wire form. */
  args: Record<string, unknown>;
  expect: Expect;
  rules: string[];
  capabilities: Capability[];
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function hasLoneSurrogate(v: unknown): boolean {
  if (typeof v === "string") return LONE_SURROGATE.test(v);
  if (Array.isArray(v)) return v.some(hasLoneSurrogate);
  if (v !== null && typeof v === "object")
    return Object.entries(v).some(([k, x]) => LONE_SURROGATE.test(k) || hasLoneSurrogate(x));
  return false;
}

function lifecycleItems(rule: string): Item[] {
  const refused = { error: "PROTO_BAD_REQUEST" };
  const hello = {
    protocol: PROTOCOL_VERSION,
    profile: PROFILE,
    harness: { name: "asl-conform", version: TOOL_VERSION },
  };
  return [
    { name: "hello", op: "hello", args: hello, expect: refused, rules: [rule], capabilities: [] },
    { name: "reset", op: "reset", args: {}, expect: refused, rules: [rule], capabilities: [] },
    { name: "batch", op: "batch", args: { requests: [] }, expect: refused, rules: [rule], capabilities: [] },
  ];
}

const wireRequest = (i: Pick<Item, "op" | "args">) => ({
  op: i.op as OpName,
  args: argsFromWire(i.op, i.args),
});

/** The whole-batch observations of the process protocol: the size limit, and requests that are not an array. */
async function refusedWhole(ctx: CheckContext, filler: Item | undefined, rule: string) {
  const findings: Finding[] = [];
  const notes: string[] = [];
  if (!filler) {
    notes.push(
      "no request of this capability is answered otherwise than PROTO_BAD_REQUEST: the size limit was not checked",
    );
  } else {
    const n = BATCH_LIMIT + 1;
    const outs = await ctx.adapter.batch(
      Array.from({ length: n }, () => wireRequest(filler)),
      { unchecked: true },
    );
    const first = outs[0];
    if (first && "error" in first && first.fault) return { findings, notes, fault: first.error };
    else if (!outs.every((o) => "error" in o && o.error.code === "PROTO_BAD_REQUEST" && !o.fault)) {
      const answered = outs.filter((o) => !("error" in o && o.error.code === "PROTO_BAD_REQUEST")).length;
      const wrong = outs.find((o) => "error" in o && o.error.code !== "PROTO_BAD_REQUEST");
      findings.push({
        rules: [rule],
        message: `a batch of ${n} requests (${filler.op}) must be refused whole with PROTO_BAD_REQUEST (at most ${BATCH_LIMIT} per batch, spec/protocol.md section 4.3); ${
          wrong && "error" in wrong
            ? `it was answered ${wrong.error.code}`
            : `${answered} of its requests were answered`
        }`,
        expected: { error: "PROTO_BAD_REQUEST" },
        actual: wrong && "error" in wrong ? { error: wrong.error.code } : `${answered} answers`,
      });
    }
  }
  const o = await ctx.adapter.call("batch" as OpName, { requests: 5 } as never, { unchecked: true });
  if ("error" in o && o.fault) return { findings, notes, fault: o.error };
  else if (!("error" in o && o.error.code === "PROTO_BAD_REQUEST"))
    findings.push({
      rules: [rule],
      message: `a batch whose requests are not an array must be refused whole with PROTO_BAD_REQUEST; it was ${
        "error" in o ? `answered ${o.error.code}` : "answered"
      }`,
      expected: { error: "PROTO_BAD_REQUEST" },
      actual: "error" in o ? { error: o.error.code } : o.ok,
    });
  return { findings, notes };
}

function batchCheck(capability: Capability, units: Item[]): Check {
  const rule = BATCH_RULE[capability];
  const rules = [...new Set([rule, ...units.flatMap((u) => u.rules)])].sort();
  return {
    id: `vec/batch/${capability}`,
    title: `batch of the ${units.length} unit requests of ${capability} without setup (over the process protocol with hello, reset and batch items, and the size limit)`,
    kind: "vector",
    rules,
    capabilities: [capability],
    async run(ctx): Promise<CheckOutcome> {
      const claimed = new Set<string>(ctx.adapter.hello.capabilities);
      const sent = units.filter((u) => u.capabilities.every((c) => claimed.has(c)));
      const findings: Finding[] = [];
      const notes: string[] = [];
      const [hello, reset, nested] = lifecycleItems(rule);
      const half = Math.floor(sent.length / 2);
      const items = [hello!, ...sent.slice(0, half), reset!, ...sent.slice(half), nested!];
      const outs = await ctx.adapter.batch(items.map(wireRequest), { unchecked: true });
      const observed = new Set<string>();
      const first = outs[0];
      if (outs.length !== items.length)
        return {
          findings,
          fault: {
            code: "INTERNAL",
            message: `the adapter gave ${outs.length} outcomes for ${items.length} requests`,
          },
        };
      // A batch refused as a whole comes back as one outcome for every item (the process adapter).
      if (first && "error" in first && outs.every((o) => o === first)) {
        if (first.fault) return { findings, fault: first.error, complete: false };
        return {
          findings: [
            {
              rules: [rule],
              message: `the batch of ${items.length} requests was refused whole with ${first.error.code} (${first.error.message}); batch answers each request in its place (spec/protocol.md section 4.3)`,
              expected: { responses: `${items.length} responses` },
              actual: { error: first.error.code },
            },
          ],
          observed: [rule],
          complete: false,
        };
      }
      for (const [i, item] of items.entries()) {
        const o = outs[i]!;
        if ("error" in o && o.fault)
          return {
            findings,
            fault: { code: o.error.code, message: `item ${i} (${item.op}): ${o.error.message}` },
            complete: false,
          };
        const where = `item ${i} (${item.op}, ${item.name})`;
        for (const r of item.rules) observed.add(r);
        findings.push(
          ...compareAnswer(item.expect, o, new SnapshotBinding(), where).map((f) => ({
            ...f,
            rules: item.rules,
            step: i,
          })),
        );
      }
      const filler = sent
        .filter((u) => !("error" in u.expect && u.expect.error === "PROTO_BAD_REQUEST"))
        .sort((a, b) => JSON.stringify(a.args).length - JSON.stringify(b.args).length)[0];
      const whole = await refusedWhole(ctx, filler, rule);
      if ("fault" in whole && whole.fault)
        return { findings, fault: { code: whole.fault.code, message: whole.fault.message }, complete: false };
      findings.push(...whole.findings);
      notes.push(...whole.notes);
      observed.add(rule);
      return { findings, notes, observed: [...observed] };
    },
  };
}

/** One batch check per capability that has unit requests without setup (every one, in this profile). */
export function batchChecks(dir = VECTORS_DIR): Check[] {
  const units = readManifest<UnitCase>(dir, "units/manifest.json")
    .filter((u) => !u.setup?.length && !hasLoneSurrogate(u.args))
    .map(
      (u): Item => ({
        name: u.id,
        op: u.op,
        args: u.args,
        expect: u.expect,
        rules: u.rules,
        capabilities: u.capabilities,
      }),
    );
  return CAPABILITIES.flatMap((cap) => {
    const mine = units.filter((u) => u.capabilities.includes(cap));
    return mine.length > 0 ? [batchCheck(cap, mine)] : [];
  });
}
