// `vectors generate` and `vectors verify` as CI and spec authors use them, and `inspect` on a good and a
// defective segment.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../catalog/load.ts";
import { cli } from "../helpers/cli.ts";

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)],
  );
}

function files(dir: string): string[] {
  return walk(dir)
    .map((f) => relative(dir, f))
    .sort();
}

describe("asl-conform vectors", () => {
  it("[ATXI-INV-008] generate reproduces the committed vectors byte for byte, and verify accepts them", () => {
    const out = mkdtempSync(join(tmpdir(), "asl-vec-"));
    const g = cli(["vectors", "generate", "--out", out]);
    expect(g.code).toBe(0);
    const committed = join(REPO_ROOT, "vectors");
    expect(files(out)).toEqual(files(committed));
    for (const f of files(committed))
      expect(readFileSync(join(out, f)).equals(readFileSync(join(committed, f))), f).toBe(true);
    const v = cli(["vectors", "verify"]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("vectors: ok (hashes, schemas, regeneration)");
  });

  it("verify names every file that differs, and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "asl-vec-"));
    cpSync(join(REPO_ROOT, "vectors"), dir, { recursive: true });
    const seg = join(dir, "segments/empty.atxi");
    const bytes = readFileSync(seg);
    bytes[8] = (bytes[8] ?? 0) ^ 1;
    writeFileSync(seg, bytes);
    writeFileSync(join(dir, "segments/stray.atxi"), "x");
    const v = cli(["vectors", "verify", "--dir", dir]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/segments\/empty\.atxi: sha256 differs from index\.json/);
    expect(v.stdout).toMatch(/segments\/empty\.atxi: stale: regenerating the vectors gives other bytes/);
    expect(v.stdout).toMatch(/segments\/stray\.atxi: not listed in index\.json/);
  });
});

describe("asl-conform inspect", () => {
  it("[ATXI-LAY-001] shows every field of a valid segment with its byte offset, also as JSON", () => {
    const r = cli(["inspect", "vectors/segments/full.atxi"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/a valid segment/);
    expect(r.stdout).toMatch(/@ +0 +magic +ATXI/);
    expect(r.stdout).toMatch(/@ +8 +segment_id +7/);
    const j = JSON.parse(cli(["inspect", "vectors/segments/u64-extremes.atxi", "--json"]).stdout);
    expect(j.ok).toBe(true);
    const header = j.items.find((i: { kind: string }) => i.kind === "header");
    expect(typeof header.fields.find((f: { name: string }) => f.name === "segment_id").value).toBe("string");
  });

  it("[ATXI-DEC-001] shows a defective segment up to its defect, then the one error with code, offset, field and rule", () => {
    const r = cli(["inspect", "vectors/segments/malformed/tgk-role-255.atxi"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("DEFECTIVE");
    expect(r.stdout).toMatch(
      /error SEG_BAD_ROLE \(stage validate, check tgk-records\) at byte offset \d+, field tgk_index_record\.role, rule ATXI-TGK-003/,
    );
    const missing = cli(["inspect", "no/such.atxi"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read no/such.atxi");
  });
});
