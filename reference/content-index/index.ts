// The content index (ASL/INDEXES/1 2.1, ASL-STORE-INDEX): public surface. See content-index.ts.
export { ContentIndex, GENESIS_ID, type LogEntry } from "./content-index.ts";
export { entryHash, snapshotId } from "./digest.ts";
export * from "./types.ts";
