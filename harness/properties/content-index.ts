// Property of capability content-index: random puts, tombstones, lookups at retained states, snapshots,
// installs, retires and digests agree with the reference (ASL-STORE-INDEX sections 1 and 3, DEC-018 to
// DEC-020).
import fc from "fast-check";
import { bindState, same, withoutSnapshot } from "./differential.ts";
import { atArb, atFor, type Cmd, command, modelProperty, snapFor, stateCommands } from "./model.ts";
import type { PropertySpec } from "./spec.ts";

const hex = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
export const KEYS = [hex(1), hex(2), hex(3), hex(0xfe), `${"ab".repeat(31)}cd`];

const RULES = [
  "STO-CUR-001",
  "STO-CUR-002",
  "STO-CUR-003",
  "STO-CUR-004",
  "STO-CUR-005",
  "IDX-CI-001",
  "IDX-CI-002",
  "IDX-CI-003",
  "IDX-CI-004",
  "IDX-CI-006",
  "IDX-CI-007",
  "STO-LOG-001",
  "STO-LOG-002",
  "STO-LOG-003",
  "STO-LOG-004",
  "STO-SNAP-001",
  "STO-SNAP-002",
  "STO-SNAP-003",
  "STO-SNAP-004",
  "STO-SNAP-006",
  "STO-SNAP-007",
  "STO-DIG-001",
  "STO-RET-001",
];

/**
 * The content-index commands: the core operations always, the digest and retirement only when the
 * implementation claims those extensions (state-digest, snapshot-retire), so a core implementation is
 * never asked for an operation it need not have.
 */
export function ciCommands(claimed: ReadonlySet<string>): fc.Arbitrary<Cmd>[] {
  const { snapshot, install } = stateCommands();
  const all: (fc.Arbitrary<Cmd> | undefined)[] = [
    fc
      .record({
        key: fc.constantFrom(...KEYS),
        b: fc.nat(3),
        o: fc.nat(100),
        l: fc.nat(100),
        tag: fc.option(fc.nat(5), { nil: null }),
      })
      .map(({ key, b, o, l, tag }) =>
        command(
          async (p) =>
            void (await same(p, "ci.put", () => ({
              key,
              location: { block_id: String(b), offset: String(o), length: String(l) },
              type_tag: tag,
            }))),
          `put(${key.slice(0, 4)}, ${b}/${o}/${l}, ${tag})`,
        ),
      ),
    fc
      .constantFrom(...KEYS)
      .map((key) =>
        command(
          async (p) => void (await same(p, "ci.tombstone", () => ({ key }))),
          `tombstone(${key.slice(0, 4)})`,
        ),
      ),
    fc
      .record({ key: fc.constantFrom(...KEYS), at: atArb })
      .map(({ key, at }) =>
        command(
          async (p) => void (await same(p, "ci.lookup", (s) => ({ key, at: atFor(p, at, s) }))),
          `lookup(${key.slice(0, 4)}, ${JSON.stringify(at)})`,
        ),
      ),
    claimed.has("state-digest")
      ? atArb.map((at) =>
          command(
            async (p) => void (await same(p, "ci.digest", (s) => ({ at: atFor(p, at, s) }))),
            `digest(${JSON.stringify(at)})`,
          ),
        )
      : undefined,
    snapshot,
    fc.constant(
      command(
        async (p) =>
          bindState(p, await same(p, "ci.current", () => ({}), { normalize: withoutSnapshot }), "ci.current"),
        "current()",
      ),
    ),
    install,
    claimed.has("snapshot-retire")
      ? fc
          .nat(8)
          .map((i) =>
            command(
              async (p) => void (await same(p, "ci.retire", (s) => ({ snapshot: snapFor(p, i, s) }))),
              `retire(#${i})`,
            ),
          )
      : undefined,
  ];
  // Lookups at states are where DEC-020's corners show (lines, retention, positions next to a snapshot's
  // own): they come three times as often as any other command.
  const lookups = all[2]!;
  return [...all, lookups, lookups].filter((c) => c !== undefined);
}

export const contentIndexModel: PropertySpec = {
  name: "content-index-model",
  title:
    "content index: random puts, tombstones, lookups at retained states, snapshots, installs and retires agree with the reference",
  rules: RULES,
  capabilities: ["content-index"],
  property: modelProperty((env) => ciCommands(env.claimed), 40),
};
