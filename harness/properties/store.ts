// Property of capability store: random PUT, GET at retained states, tombstones, snapshots, installs and
// reopen agree with the reference (ASL/INDEXES/1 sections 2.1 and 3, DEC-021, DEC-034).
import { createHash } from "node:crypto";
import fc from "fast-check";
import type { Outcome } from "../../adapters/interface.ts";
import { KEYS } from "./content-index.ts";
import { bindState, same, unchecked, withoutSnapshot } from "./differential.ts";
import { atArb, atFor, type Cmd, command, modelProperty, snapFor, stateCommands } from "./model.ts";
import type { PropertySpec } from "./spec.ts";

const RULES = ["IDX-PUT-001", "IDX-GET-001", "IDX-GET-002", "IDX-CI-008", "STO-REC-001"];
const BLOBS = ["", "a", "abc", "hello world", "x".repeat(300)].map((s) => new TextEncoder().encode(s));
const layoutFree = (v: unknown) => ({ ...(v as object), location: "(layout is the implementation's)" });
/** A lookup's location is the store's layout too: only whether the key is found, and its type tag, compare. */
const layoutFreeLookup = (v: unknown) =>
  v && typeof v === "object" && "location" in v ? { ...(v as object), location: "(layout)" } : v;
const KEY_OF_BLOB = BLOBS.map((b) => createHash("sha256").update(b).digest("hex"));

const keyOf = (r: Outcome<unknown>) => ("ok" in r ? (r.ok as { key?: string }).key : undefined) ?? KEYS[0]!;

/**
 * The store's commands. Reopen comes twice (a weight), and every mutable operation (store.put, ci.put,
 * ci.tombstone, snapshot, install, and retire when claimed) can be followed by a reopen and then a read,
 * so that each is checked to survive a restart (STO-REC-001); GET and lookups at retained states come
 * both after a PUT and on their own.
 */
function storeCommands(claimed: ReadonlySet<string>): fc.Arbitrary<Cmd>[] {
  const { snapshot, install } = stateCommands();
  const reopen = fc.constant(
    command(
      async (p) =>
        bindState(
          p,
          await same(p, "store.reopen", () => ({}), { normalize: withoutSnapshot }),
          "store.reopen",
        ),
      "reopen()",
    ),
  );
  const all: (fc.Arbitrary<Cmd> | undefined)[] = [
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
          await same(p, "store.get", (s) => ({ key: keyOf(ref), at: atFor(p, at, s) }));
        },
        `putThenGet(blob${i}, ${JSON.stringify(at)})`,
      ),
    ),
    fc.record({ i: fc.nat(BLOBS.length - 1), at: atArb, lookup: fc.boolean() }).map(({ i, at, lookup }) =>
      command(
        async (p) => {
          // The key of blob i, whether or not it was stored (the reference computes it without storing).
          const key = KEY_OF_BLOB[i]!;
          if (lookup)
            await same(p, "ci.lookup", (s) => ({ key, at: atFor(p, at, s) }), {
              normalize: layoutFreeLookup,
            });
          else await same(p, "store.get", (s) => ({ key, at: atFor(p, at, s) }));
        },
        `${lookup ? "lookup" : "get"}(blob${i}, ${JSON.stringify(at)})`,
      ),
    ),
    fc.nat(BLOBS.length - 1).map((i) =>
      command(async (p) => {
        const { ref } = await unchecked(p, "store.put", { bytes: BLOBS[i]!, structure: null });
        await same(p, "ci.tombstone", () => ({ key: keyOf(ref) }));
      }, `putThenTombstone(blob${i})`),
    ),
    fc.record({ k: fc.nat(KEYS.length - 1), o: fc.nat(50) }).map(({ k, o }) =>
      command(
        async (p) =>
          void (await same(p, "ci.put", () => ({
            key: KEYS[k]!,
            location: { block_id: "9", offset: String(o), length: "1" },
            type_tag: null,
          }))),
        `ci.put(key${k}, 9/${o}/1)`,
      ),
    ),
    snapshot,
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
    reopen,
    reopen,
  ];
  return all.filter((c) => c !== undefined);
}

export const storeModel: PropertySpec = {
  name: "store-model",
  title:
    "store: random PUT, GET at retained states, tombstones, snapshots, installs and reopen agree with the reference",
  rules: RULES,
  capabilities: ["store", "content-index"],
  property: modelProperty((env) => storeCommands(env.claimed), 25),
};
