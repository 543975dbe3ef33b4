// The benchmark contract. Each bench/*.bench.ts file exports `benchmarks: Benchmark[]`; bench/run.ts
// finds them, runs those whose name starts with the given prefix, and prints a table or JSON lines.
// Figures are measured, never asserted: a benchmark reports, the reader judges.

export interface BenchResult {
  /** Operations per second, where an operation is what the benchmark's name says. */
  ops_per_s?: number;
  ns_per_op?: number;
  /** Payload bytes per second, where the benchmark moves bytes. */
  bytes_per_s?: number;
  /** Resident set size of the process at the end of the measurement (process.memoryUsage().rss). */
  rss_bytes?: number;
  /** Memory held per key, for an index measured by its keys. */
  bytes_per_key?: number;
  /** Anything else measured (false-positive rate, records per second, ...). */
  extra?: Record<string, number | string>;
}

export interface Benchmark {
  name: string;
  params: Record<string, number | string>;
  /**
   * A heavy benchmark (minutes, gigabytes: the scale benches) runs only when the prefix given to
   * bench/run.ts is non-empty and matches it, never in a plain `npm run bench`.
   */
  heavy?: boolean;
  run(): Promise<BenchResult> | BenchResult;
}

/**
 * The `--size N` given to bench/run.ts (1e8, 100000000 and 1_000_000 all read), or `fallback`. The
 * scale benches size themselves with it.
 */
export function scaleSize(fallback: number, argv: readonly string[] = process.argv): number {
  const i = argv.indexOf("--size");
  if (i < 0) return fallback;
  const n = Number((argv[i + 1] ?? "").replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new RangeError(`--size wants a positive whole number, got ${argv[i + 1]}`);
  return n;
}

/**
 * Runs `op` repeatedly until at least `minMs` have passed (after one warm-up call) and returns the
 * operations per second and nanoseconds per operation. `op` returns how many operations it did.
 */
export function measure(op: () => number, minMs = 400): { ops_per_s: number; ns_per_op: number } {
  op();
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  const limit = BigInt(minMs) * 1_000_000n;
  while (elapsed < limit) {
    ops += op();
    elapsed = process.hrtime.bigint() - start;
  }
  const ns = Number(elapsed);
  return { ops_per_s: (ops * 1e9) / ns, ns_per_op: ns / ops };
}

/** Times one call of `fn` in milliseconds. */
export async function timeOnce(fn: () => unknown | Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
