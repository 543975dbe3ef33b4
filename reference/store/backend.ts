// What the store needs from where it keeps things: an append-only block space and a journal. The
// in-memory and on-disk backends give the same locations for the same PUTs because they share the
// block placement policy below, so the two can be compared entry for entry.
import type { ArtifactLocation } from "../content-index/index.ts";
import type { JournalRecord } from "./journal-codec.ts";

/** A block closes when the next artifact would take it past this size (an artifact larger than the
 * limit gets a block of its own). 64 MiB keeps the number of open files small at any store size. */
export const DEFAULT_BLOCK_LIMIT = 64 * 1024 * 1024;

export interface BlockSpace {
  /** Throws a typed error, before anything is written, when an artifact of this size cannot be appended. */
  checkAppend?(length: number): void;
  /** Appends bytes and returns where they are; durable when this returns if the backend syncs always. */
  append(bytes: Uint8Array): ArtifactLocation;
  /** The bytes at a location, or an error naming the block and offset when they are not all there. */
  read(location: ArtifactLocation): Uint8Array;
  /** A name for the block in messages (a file name for the disk backend). */
  describe(blockId: bigint): string;
}

export interface Journal {
  append(record: JournalRecord): void;
  /** Makes every append so far durable. */
  sync(): void;
  /** Called after a snapshot is made, before its journal record: the disk backend writes its file. */
  snapshotMade(id: string, position: number, digest: string): void;
  /** Called after a retire is journaled: the disk backend removes the snapshot's file. */
  snapshotRetired(id: string): void;
  close(): void;
}

/** Where the next artifact of `length` bytes goes, given the open block's id and size. */
export function place(
  blockId: bigint,
  blockSize: bigint,
  length: bigint,
  limit: bigint,
): { blockId: bigint; offset: bigint } {
  if (blockSize > 0n && blockSize + length > limit) return { blockId: blockId + 1n, offset: 0n };
  return { blockId, offset: blockSize };
}
