// The mutant zoo: every mutant `asl-conform selftest` runs the suite against (see mutant.ts): our own, and
// a second zoo written blind (adapters/mutants/blind/), from the drafts and the spec files alone.
import { BLIND_MUTANTS } from "./blind/index.ts";
import { contentIndexMutants } from "./content-index.ts";
import { killMutants, powerCutMutants } from "./durability.ts";
import type { Mutant } from "./mutant.ts";
import { segmentCodecMutants } from "./segment-codec.ts";
import { edgeMutants, segmentQueryMutants } from "./segment-query.ts";
import { storeMutants } from "./store.ts";

export type { Mutant } from "./mutant.ts";
export { scanControl } from "./segment-query.ts";

/** The zoo written by the suite's own authors. */
export const OWN_MUTANTS: readonly Mutant[] = [
  ...contentIndexMutants,
  ...storeMutants,
  ...killMutants,
  ...powerCutMutants,
  ...segmentCodecMutants,
  ...segmentQueryMutants,
  ...edgeMutants,
];

/** Every mutant: our own, and those written blind, from the spec alone, without reading the checks (blind/). */
export const MUTANTS: readonly Mutant[] = [...OWN_MUTANTS, ...BLIND_MUTANTS];

const ids = new Set<string>();
for (const m of MUTANTS) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.id)) throw new Error(`mutant id ${m.id} is not kebab-case`);
  if (ids.has(m.id)) throw new Error(`two mutants share the id ${m.id}`);
  ids.add(m.id);
}
