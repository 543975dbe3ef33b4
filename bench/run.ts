// npm run bench [-- --json] [--size N] [PREFIX]: runs every benchmark in bench/*.bench.ts whose name
// starts with PREFIX and prints a table (default) or one JSON object per line (--json). Heavy benchmarks
// (the scale benches) run only when PREFIX names them; --size sizes them (bench/framework.ts scaleSize).
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Benchmark, type BenchResult, scaleSize } from "./framework.ts";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes("--json");
const USAGE = "usage: npm run bench -- [--json] [--size N] [PREFIX]";
const sizeAt = args.indexOf("--size");
const positional = args.filter((a, i) => !a.startsWith("-") && !(sizeAt >= 0 && i === sizeAt + 1));
const unknown = args.filter((a) => a.startsWith("-") && a !== "--json" && a !== "--size");
if (unknown.length > 0) {
  console.error(`bench: unknown option ${unknown.join(", ")}; ${USAGE}`);
  process.exit(2);
}
try {
  scaleSize(1);
} catch (e) {
  console.error(`bench: ${(e as Error).message}; ${USAGE}`);
  process.exit(2);
}
const prefix = positional[0] ?? "";

const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort();
const all: Benchmark[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { benchmarks?: Benchmark[] };
  all.push(...(mod.benchmarks ?? []));
}
const chosen = all.filter((b) => b.name.startsWith(prefix) && (!b.heavy || prefix !== ""));
if (chosen.length === 0) {
  console.error(
    `bench: no benchmark name starts with "${prefix}"; known: ${[...new Set(all.map((b) => b.name))].join(", ")}`,
  );
  process.exit(2);
}

function fmt(n: number | undefined): string {
  if (n === undefined) return "";
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)}k`;
  return n.toFixed(n < 10 ? 3 : 1);
}

if (!json)
  console.log(
    [
      "name".padEnd(28),
      "params".padEnd(34),
      "ops/s".padStart(10),
      "ns/op".padStart(10),
      "MB/s".padStart(9),
      "  extra",
    ].join(" "),
  );
for (const b of chosen) {
  const r: BenchResult = await b.run();
  if (json) {
    console.log(JSON.stringify({ name: b.name, params: b.params, ...r }));
  } else {
    const params = Object.entries(b.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const memory = {
      ...(r.rss_bytes === undefined ? {} : { rss: r.rss_bytes }),
      ...(r.bytes_per_key === undefined ? {} : { bytes_per_key: r.bytes_per_key }),
    };
    const extra = Object.entries({ ...memory, ...r.extra })
      .map(([k, v]) => `${k}=${typeof v === "number" ? fmt(v) : v}`)
      .join(" ");
    const mbs = r.bytes_per_s === undefined ? "" : (r.bytes_per_s / 1e6).toFixed(1);
    console.log(
      [
        b.name.padEnd(28),
        params.padEnd(34),
        fmt(r.ops_per_s).padStart(10),
        fmt(r.ns_per_op).padStart(10),
        mbs.padStart(9),
        ` ${extra}`,
      ].join(" "),
    );
  }
}
