// The store (PUT/GET over append-only blocks and the content index): public surface.
export { DEFAULT_BLOCK_LIMIT } from "./backend.ts";
export { type DiskStoreOptions, openDiskStore, type Recovery } from "./disk.ts";
export { createMemoryStore, type MemoryStoreOptions } from "./memory.ts";
export { type PutResult, Store, type StoreOptions } from "./store.ts";
