// The in-memory backend: blocks are growable byte arrays, the journal is kept only to be inspected.
// Same placement policy as the disk backend (backend.ts), so both give the same locations.
import { AslError } from "../common/errors.ts";
import type { ArtifactLocation } from "../content-index/index.ts";
import { type BlockSpace, DEFAULT_BLOCK_LIMIT, type Journal, place } from "./backend.ts";
import type { JournalRecord } from "./journal-codec.ts";
import { Store, type StoreOptions } from "./store.ts";

class MemoryBlocks implements BlockSpace {
  private readonly blocks: Uint8Array[] = [new Uint8Array(0)];
  private readonly sizes: number[] = [0];

  constructor(private readonly limit: bigint) {}

  append(bytes: Uint8Array): ArtifactLocation {
    const last = this.blocks.length - 1;
    const { blockId, offset } = place(
      BigInt(last),
      BigInt(this.sizes[last]!),
      BigInt(bytes.length),
      this.limit,
    );
    const id = Number(blockId);
    if (id > last) {
      this.blocks.push(new Uint8Array(0));
      this.sizes.push(0);
    }
    const size = this.sizes[id]!;
    let block = this.blocks[id]!;
    if (size + bytes.length > block.length) {
      // Doubling keeps appends amortized O(length).
      const grown = new Uint8Array(Math.max(size + bytes.length, 2 * block.length, 4096));
      grown.set(block.subarray(0, size));
      block = grown;
      this.blocks[id] = block;
    }
    block.set(bytes, size);
    this.sizes[id] = size + bytes.length;
    return { blockId, offset, length: BigInt(bytes.length) };
  }

  read(loc: ArtifactLocation): Uint8Array {
    const id = Number(loc.blockId);
    const size = this.sizes[id];
    if (size === undefined || loc.offset + loc.length > BigInt(size)) {
      throw new AslError(
        "STORE_CORRUPT_BLOCK",
        `${this.describe(loc.blockId)}: no ${loc.length} bytes at byte offset ${loc.offset}`,
        {
          offset: Number(loc.offset),
          rule: "IDX-GET-001",
        },
      );
    }
    return this.blocks[id]!.slice(Number(loc.offset), Number(loc.offset + loc.length));
  }

  describe(blockId: bigint): string {
    return `memory block ${blockId}`;
  }

  /** For tests: flips one stored byte, to show that damage is reported, not served. */
  corrupt(blockId: bigint, offset: number): void {
    const b = this.blocks[Number(blockId)]!;
    b[offset] = b[offset]! ^ 0xff;
  }
}

class MemoryJournal implements Journal {
  readonly records: JournalRecord[] = [];
  append(record: JournalRecord): void {
    this.records.push(record);
  }
  sync(): void {}
  snapshotMade(): void {}
  snapshotRetired(): void {}
  close(): void {}
}

export interface MemoryStoreOptions extends StoreOptions {
  blockLimit?: number;
}

/** A store that lives in memory only; STO-REC-* do not apply to it. */
export function createMemoryStore(
  options: MemoryStoreOptions = {},
): Store & { corruptBlock(blockId: bigint, offset: number): void } {
  const blocks = new MemoryBlocks(BigInt(options.blockLimit ?? DEFAULT_BLOCK_LIMIT));
  const store = new Store(blocks, new MemoryJournal(), options);
  return Object.assign(store, {
    corruptBlock: (blockId: bigint, offset: number) => blocks.corrupt(blockId, offset),
  });
}
