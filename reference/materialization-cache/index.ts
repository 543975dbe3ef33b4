// The materialization cache (ASL/INDEXES/1 2.3): public surface.
export {
  MaterializationCache,
  type ReadBytes,
  recomputeEntries,
  type VisibilityReader,
} from "./materialization-cache.ts";
