// Mutants written blind, from the spec alone: the whole set. Each was written from the drafts, spec/ and the
// reference engine only, without reading the suite's checks, so the share of them the suite rejects is an
// honest measure of its reach. Wired into the selftest by adapters/mutants/index.ts (not here).
import type { Mutant } from "../mutant.ts";
import { contentIndexMutants, extensionMutants } from "./content-index.ts";
import { edgeAndShardMutants } from "./edges-and-shards.ts";
import { filterMutants } from "./filters.ts";
import { queryMutants } from "./query.ts";
import { segmentReaderMutants } from "./segment-reader.ts";
import { segmentWriterMutants } from "./segment-writer.ts";
import { storeMutants } from "./store.ts";
import { structuralMutants } from "./structural.ts";

export const BLIND_MUTANTS: readonly Mutant[] = [
  ...contentIndexMutants,
  ...extensionMutants,
  ...storeMutants,
  ...structuralMutants,
  ...segmentReaderMutants,
  ...segmentWriterMutants,
  ...filterMutants,
  ...queryMutants,
  ...edgeAndShardMutants,
];
