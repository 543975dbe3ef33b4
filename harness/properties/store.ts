// Property of capability store: random PUT, GET at retained states, tombstones, snapshots, installs and
// reopen agree with the reference (ASL/INDEXES/1 sections 2.1 and 3, DEC-021, DEC-034).
import fc from "fast-check";
import { KEYS } from "./content-index.ts";
import { bindState, same, unchecked, withoutSnapshot } from "./differential.ts";
import { atArb, atFor, type Cmd, command, modelProperty, stateCommands } from "./model.ts";
import type { PropertySpec } from "./spec.ts";

const RULES = ["IDX-PUT-001", "IDX-GET-001", "IDX-GET-002", "IDX-CI-008", "STO-REC-001"];
const BLOBS = ["", "a", "abc", "hello world", "x".repeat(300)].map((s) => new TextEncoder().encode(s));
const layoutFree = (v: unknown) => ({ ...(v as object), location: "(layout is the implementation's)" });

const { snapshot, install } = stateCommands();

const storeCommands: fc.Arbitrary<Cmd>[] = [
  fc.record({ i: fc.nat(BLOBS.length - 1), tag: fc.option(fc.nat(3), { nil: null }) }).map(({ i, tag }) =>
    command(
      async (p) =>
        void (await same(p, "store.put", () => ({ bytes: BLOBS[i]!, type_tag: tag, structure: null }), {
          normalize: layoutFree,
        })),
      `put(blob${i}, ${tag})`,
    ),
  ),
  fc.record({ i: fc.nat(BLOBS.length - 1), at: atArb }).map(({ i, at }) =>
    command(
      async (p) => {
        const { ref } = await unchecked(p, "store.put", { bytes: BLOBS[i]!, structure: null });
        const key = ref as { ok?: { key: string } };
        await same(p, "store.get", (s) => ({ key: key.ok?.key ?? KEYS[0]!, at: atFor(p, at, s) }));
      },
      `putThenGet(blob${i}, ${JSON.stringify(at)})`,
    ),
  ),
  fc.nat(BLOBS.length - 1).map((i) =>
    command(async (p) => {
      const { ref } = await unchecked(p, "store.put", { bytes: BLOBS[i]!, structure: null });
      const r = ref as { ok?: { key: string } };
      await same(p, "ci.tombstone", () => ({ key: r.ok?.key ?? KEYS[0]! }));
    }, `putThenTombstone(blob${i})`),
  ),
  snapshot,
  install,
  fc.constant(
    command(
      async (p) =>
        bindState(
          p,
          await same(p, "store.reopen", () => ({}), { normalize: withoutSnapshot }),
          "store.reopen",
        ),
      "reopen()",
    ),
  ),
];

export const storeModel: PropertySpec = {
  name: "store-model",
  title:
    "store: random PUT, GET at retained states, tombstones, snapshots, installs and reopen agree with the reference",
  rules: RULES,
  capabilities: ["store", "content-index"],
  property: modelProperty(() => storeCommands, 25),
};
