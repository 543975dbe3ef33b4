// Model-based differential runs (fc.asyncModelRun): a command runs one operation on both sides through
// `same`, and the commands shared by the content-index and store models (snapshot, install, lookups at
// a state named by index into the states seen so far).
import fc from "fast-check";
import type { CheckContext } from "../checks/types.ts";
import {
  bindState,
  faultOf,
  newPair,
  type Pair,
  type PropertyEnv,
  same,
  withoutSnapshot,
} from "./differential.ts";

export type Cmd = fc.AsyncCommand<Pair, Pair, true>;

export const command = (f: (p: Pair) => Promise<void>, text: string): Cmd => ({
  check: async () => true,
  run: async (_m, p) => f(p),
  toString: () => text,
});

/**
 * A state (snapshot, position) named by index into the states seen so far, with a position near the
 * snapshot's own (one before it, at it, a few after: the boundaries DEC-020 draws), or far past every
 * position (above 2^53); undefined = CURRENT.
 */
export const atArb = fc.option(
  fc.record({
    snap: fc.nat(8),
    delta: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: -1, max: 4 }) },
      { weight: 1, arbitrary: fc.constant(2 ** 60) },
    ),
  }),
  { nil: undefined },
);
export type AtChoice = { snap: number; delta: number } | undefined;

export function atFor(p: Pair, a: AtChoice, side: "impl" | "ref") {
  if (a === undefined || p.snaps.states.length === 0) return null;
  const ref = p.snaps.states[a.snap % p.snaps.states.length]!;
  const base = p.positions.get(ref) ?? 0;
  const position = a.delta >= 2 ** 53 ? BigInt(a.delta).toString() : String(Math.max(0, base + a.delta));
  return { snapshot: side === "ref" ? ref : p.snaps.idOf(ref)!, position };
}

export function snapFor(p: Pair, i: number, side: "impl" | "ref"): string {
  if (p.snaps.states.length === 0) return "0".repeat(64);
  const ref = p.snaps.states[i % p.snaps.states.length]!;
  return side === "ref" ? ref : p.snaps.idOf(ref)!;
}

/** ci.snapshot and ci.install, shared by the content-index and store models. */
export function stateCommands() {
  const snapshot = fc.constant(
    command(
      async (p) =>
        bindState(p, await same(p, "ci.snapshot", () => ({}), { normalize: withoutSnapshot }), "ci.snapshot"),
      "snapshot()",
    ),
  );
  const install = fc.nat(8).map((i) =>
    command(
      async (p) =>
        bindState(
          p,
          await same(p, "ci.install", (s) => ({ snapshot: snapFor(p, i, s) }), {
            normalize: withoutSnapshot,
          }),
          "ci.install",
        ),
      `install(#${i})`,
    ),
  );
  return { snapshot, install };
}

/** A property over random command sequences (chosen from what the implementation claims), each run from reset on both sides. */
export function modelProperty(commands: (env: PropertyEnv) => fc.Arbitrary<Cmd>[], maxCommands: number) {
  return (ctx: CheckContext, env: PropertyEnv) =>
    fc.asyncProperty(fc.commands(commands(env), { maxCommands }), async (cmds) => {
      // After a fault the implementation's state is lost: every later run passes at once, so shrinking ends
      // without provoking more faults, and the property is reported inconclusive.
      if (env.fault) return;
      const setup = async () => {
        const r = await ctx.adapter.reset();
        if ("error" in r) throw faultOf(env, r.error.code, `reset: ${r.error.code}: ${r.error.message}`);
        await ctx.reference.reset();
        const pair = newPair(ctx.adapter, ctx.reference, env);
        return { model: pair, real: pair };
      };
      await fc.asyncModelRun(setup, cmds);
    });
}
