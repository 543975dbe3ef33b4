// asl-conform store check DIR | store repair DIR: the reference disk store's state and its repair
// (DEC-038). The logic is the engine's (reference/store: checkStore, repairStore); this prints it.
// check: exit 0 healthy, 1 damaged, 2 cannot read. repair: exit 0 when the store opens afterwards,
// 1 when it still does not, 2 when it cannot read the store.
import type { Command } from "commander";
import { checkStore, repairStore, type StoreCheck } from "../reference/store/index.ts";
import { DESCRIPTIONS } from "./descriptions.ts";
import { EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK, out } from "./util.ts";

function renderCheck(c: StoreCheck): string {
  if (c.status === "unreadable") return `store ${c.dir}: cannot read (${c.reason ?? "unknown"})`;
  const lines = [`store ${c.dir}: ${c.status === "healthy" ? "healthy" : "DAMAGED"}`];
  const l = c.log!;
  lines.push(
    `log ${l.file}: ${l.size} bytes, ${l.records} records${l.header ? "" : " (no header frame)"}, valid to byte offset ${l.validEnd}`,
  );
  if (c.current)
    lines.push(`entries: CURRENT at position ${c.current.position} (base snapshot ${c.current.snapshot})`);
  const retained = c.snapshots.filter((s) => !s.retired);
  lines.push(`snapshots: ${c.snapshots.length} (${retained.length} retained)`);
  for (const s of c.snapshots)
    lines.push(`  ${s.id} position ${s.position}${s.retired ? " retired" : ""}${s.file ? ` ${s.file}` : ""}`);
  const total = c.blocks.reduce((a, b) => a + b.size, 0);
  lines.push(`blocks: ${c.blocks.length}, ${total} bytes`);
  for (const b of c.blocks)
    lines.push(
      `  ${b.file} ${b.exists ? `${b.size} bytes` : "MISSING"}, records reach byte ${b.referencedEnd}${b.unreferencedBytes > 0 ? `, ${b.unreferencedBytes} unreferenced bytes at the end` : ""}`,
    );
  lines.push(`artifacts read back and hashed: ${c.artifactsVerified}`);
  for (const n of c.notes) lines.push(`note: ${n}`);
  if (c.problems.length > 0) {
    lines.push(`problems: ${c.problems.length}`);
    for (const p of c.problems) {
      const what = p.message.replace(/^(snapshot file )?/, "").replace(`${p.file}: `, "");
      lines.push(`  ${p.code} ${p.file} at byte offset ${p.offset}: ${what}`);
    }
  }
  return lines.join("\n");
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x), 2);

export function registerStore(program: Command): void {
  const store = program.command("store").description(DESCRIPTIONS.store);
  store
    .command("check")
    .description("report a store's log, snapshots and blocks, and every problem with file and byte offset")
    .argument("<dir>", "a store directory (openDiskStore)")
    .option("--json", "print the report as JSON")
    .option("--quick", "do not read back and hash every stored artifact")
    .action(async (dir: string, opts: { json?: boolean; quick?: boolean }) => {
      const c = checkStore(dir, { verifyArtifacts: !opts.quick });
      await out(opts.json ? json(c) : renderCheck(c));
      process.exitCode =
        c.status === "healthy" ? EXIT_OK : c.status === "damaged" ? EXIT_FAILED : EXIT_CANNOT_RUN;
    });
  store
    .command("repair")
    .description(
      "move a torn or damaged log tail aside into recovered/ (copied before the log is cut), rewrite snapshot files; never touches a block byte",
    )
    .argument("<dir>", "a store directory (openDiskStore)")
    .option("--json", "print the result as JSON")
    .action(async (dir: string, opts: { json?: boolean }) => {
      const r = repairStore(dir);
      if (opts.json) await out(json(r));
      else {
        const lines = [
          `store ${dir}: ${r.actions.length === 0 ? "nothing to do" : `${r.actions.length} action(s)`}`,
        ];
        for (const a of r.actions) lines.push(`  did: ${a}`);
        for (const l of r.left) lines.push(`  left: ${l}`);
        lines.push(
          r.opens ? "the store opens" : `the store does not open${r.openError ? `: ${r.openError}` : ""}`,
        );
        await out(lines.join("\n"));
      }
      process.exitCode = r.before.status === "unreadable" ? EXIT_CANNOT_RUN : r.opens ? EXIT_OK : EXIT_FAILED;
    });
}
