// filter.build cases written to kill machine-made mutants of reference/filters that the suite let live
// (adequacy/report.md). A writer builds from the set of distinct keys (DEC-009: n counts distinct keys;
// DEC-010: the bytes depend on the set only, ATXI-FLT-004), whatever order and repeats the keys come in.
import type { RequestUnit } from "./types.ts";

const P32 = 1n << 32n;

/**
 * Key lists whose distinct set a writer must find: repeats that are not next to each other, in lists
 * that are out of order in one place only (a reader of the list that misses that place keeps the repeat:
 * with 6 distinct keys in 7, the bloom's num_bits goes from 64 to 128, and an xor8 filter over a key
 * twice does not peel), and keys that share their low 32 bits (a deduplication that compares the low
 * words alone drops one).
 */
const LISTS: [name: string, keys: bigint[]][] = [
  ["repeat-after-a-descent-at-the-start", [6n, 1n, 2n, 3n, 4n, 5n, 6n]],
  ["repeat-of-key-0-last", [0n, 1n, 2n, 3n, 4n, 5n, 0n]],
  ["repeat-two-apart", [1n, 2n, 1n]],
  ["repeat-out-of-order-high-words", [P32 + 2n, 2n * P32, 2n * P32 + 1n, 2n * P32]],
  ["repeat-after-a-high-word-descent", [P32 + 5n, 1n, 2n, 3n, 4n, 5n, P32 + 5n]],
  ["same-low-words", [1n, P32 + 1n, 2n * P32 + 1n]],
];

/** Single filter.build requests, each to a fresh implementation. */
export async function adequacyFilterUnits(request: RequestUnit): Promise<void> {
  for (const [name, keys] of LISTS) {
    for (const kind of ["bloom", "xor8"] as const) {
      await request(
        `filter-build/${kind}/${name}`,
        "filter.build",
        { kind, keys: keys.map(String) },
        [kind === "bloom" ? "ATXI-FLT-007" : "ATXI-FLT-008", "ATXI-FLT-004"],
        [kind === "bloom" ? "filter-bloom" : "filter-xor"],
      );
    }
  }
  // 8,192 keys: a bloom of 10,240 bytes and 64 KiB of keys, more than the 64 KiB a writer working in one
  // WebAssembly page (the reference's bulk.ts) holds: the reference must grow its memory to build it.
  await request(
    "filter-build/bloom/8192-keys",
    "filter.build",
    { kind: "bloom", keys: Array.from({ length: 8192 }, (_, i) => String(i)) },
    ["ATXI-FLT-007", "ATXI-FLT-004"],
    ["filter-bloom"],
  );
  // 65,537 keys: one more than the reference's bulk writer copies into its memory at a time (bulk.ts CHUNK),
  // so the greatest key is set in a second pass. It is 2^64 - 1, one of whose 7 bits no other key sets (with
  // 65,536 as the last key all 7 are set by the others, so a writer that dropped it would go unseen).
  await request(
    "filter-build/bloom/65537-keys",
    "filter.build",
    {
      kind: "bloom",
      keys: [...Array.from({ length: 65536 }, (_, i) => String(i)), "18446744073709551615"],
    },
    ["ATXI-FLT-007", "ATXI-FLT-004"],
    ["filter-bloom"],
  );
}
