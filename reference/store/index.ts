// The store (PUT/GET over append-only blocks and the content index): public surface.
export { DEFAULT_BLOCK_LIMIT } from "./backend.ts";
export {
  type BlockReport,
  type DiskStoreOptions,
  openDiskStore,
  type Recovery,
  type StoreProblem,
} from "./disk.ts";
export { createMemoryStore, type MemoryStoreOptions } from "./memory.ts";
export { checkStore, type RepairResult, repairStore, type StoreCheck } from "./repair.ts";
export { type PutResult, Store, type StoreOptions } from "./store.ts";
