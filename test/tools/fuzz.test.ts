// The segment fuzzer (tools/fuzz.ts): its inputs are a pure function of (seed, index), every class makes
// what it says, a short run on the reference finds nothing, and a planted bug of each kind is caught and
// saved with what replays it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../catalog/load.ts";
import { verifySegment } from "../../reference/segment/decode.ts";
import { FOOTER_SIZE, H } from "../../reference/segment/layout.ts";
import {
  CLASSES,
  type Engine,
  loadCorpus,
  mutant,
  REFERENCE,
  runFuzz,
  summaryLine,
} from "../../tools/fuzz.ts";

const corpus = loadCorpus();

describe("the fuzzer's inputs", () => {
  it("are a pure function of the seed and the index, and cycle through every class", () => {
    for (let i = 0; i < 48; i++) {
      const a = mutant(corpus, 7, i);
      const b = mutant(corpus, 7, i);
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
      expect(a.cls).toBe(CLASSES[i % CLASSES.length]);
    }
    const differs = Array.from({ length: 24 }, (_, i) => i).some(
      (i) => !Buffer.from(mutant(corpus, 7, i).bytes).equals(Buffer.from(mutant(corpus, 8, i).bytes)),
    );
    expect(differs).toBe(true);
  });

  it("make what each class says: shorter, longer, spliced, and re-sealed past the footer checks", () => {
    const byName = new Map(corpus.map((b) => [b.name, b]));
    let resealedStructural = 0;
    for (let i = 0; i < 1200; i++) {
      const m = mutant(corpus, 3, i);
      const base = byName.get(m.base)!.bytes;
      // (an empty vector of the corpus has nothing to cut or remove)
      if (m.cls.startsWith("truncate") && base.length > 0) expect(m.bytes.length).toBeLessThan(base.length);
      if (m.cls.startsWith("insert")) expect(m.bytes.length).toBeGreaterThan(base.length);
      if (m.cls.startsWith("remove") && base.length > 0) expect(m.bytes.length).toBeLessThan(base.length);
      if (m.cls.startsWith("splice")) expect(m.other).toBeDefined();
      const structural = /^(truncate|splice|insert|remove)\+reseal$/.test(m.cls);
      if (structural && m.bytes.length >= 96 && m.bytes.length % 8 === 0) {
        const dv = new DataView(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
        expect(dv.getBigUint64(H.footerOffset, true)).toBe(BigInt(m.bytes.length - FOOTER_SIZE));
        const v = verifySegment(m.bytes);
        if (!v.ok) expect(["SEG_BAD_FOOTER_OFFSET", "SEG_CHECKSUM_MISMATCH"]).not.toContain(v.error.code);
        resealedStructural++;
      }
    }
    expect(resealedStructural).toBeGreaterThan(20);
  });
});

describe("a fuzz run", () => {
  it("finds nothing wrong with the reference reader on a short run, and decodes and refuses in every way", () => {
    const r = runFuzz({ inputs: 1200, seed: 11, corpus });
    expect(r.crashers).toBe(0);
    expect(r.decoded).toBeGreaterThan(10);
    expect(r.refused).toBeGreaterThan(1000);
    expect(Object.keys(r.byCode).length).toBeGreaterThan(8);
    for (const c of CLASSES) expect(r.byClass[c]!.inputs).toBe(100);
    expect(summaryLine(r)).toMatch(
      /^fuzz: 1200 inputs \(seed 11\): 0 untyped errors, 0 hangs, 0 round-trip mismatches, 0 inspect disagreements, 0 query disagreements; decoded \d+, refused \d+ \(SEG_[A-Z_]+ \d+/,
    );
  });

  it("catches a planted bug of each kind and saves the input with its seed, index and class", () => {
    const save = mkdtempSync(join(tmpdir(), "asl-fuzz-"));
    const planted: Engine = {
      // untyped: a TypeError escaping the reader on some inputs
      verify: (b) => {
        if (b.length % 11 === 0) throw new TypeError("planted");
        return REFERENCE.verify(b);
      },
      // inspect: calls everything valid
      inspect: (b) => ({ ...REFERENCE.inspect(b), ok: true, error: undefined }) as never,
      // round trip: one byte off
      encode: (input) => {
        const out = REFERENCE.encode(input);
        out[out.length - 1] = out[out.length - 1]! ^ 1;
        return out;
      },
      // query: filters that hide every artifact
      openSet: (segs) => {
        const set = REFERENCE.openSet(segs);
        const lookup = set.lookupArtifact.bind(set);
        set.lookupArtifact = (s, k, o = {}) => ((o.useFilters ?? true) ? undefined : lookup(s, k, o));
        return set;
      },
    };
    const r = runFuzz({ inputs: 600, seed: 5, corpus, engine: planted, save });
    expect(r.crashes.untyped).toBeGreaterThan(0);
    expect(r.crashes.inspect).toBeGreaterThan(0);
    expect(r.crashes["round-trip"]).toBeGreaterThan(0);
    expect(r.crashes.query).toBeGreaterThan(0);
    expect(r.saved.length).toBeGreaterThan(0);
    const first = r.saved[0]!;
    expect(existsSync(first)).toBe(true);
    const meta = JSON.parse(readFileSync(first.replace(/\.atxi$/, ".json"), "utf8"));
    expect(meta).toMatchObject({ seed: 5, class: expect.any(String), base: expect.any(String) });
    expect(Buffer.from(mutant(corpus, 5, meta.index).bytes).equals(readFileSync(first))).toBe(true);
    expect(readdirSync(save).length).toBe(2 * r.saved.length);
  });

  it("runs as npm run fuzz does: one summary line last, exit 0; a bad flag exits 2", () => {
    const tsx = join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs");
    const save = mkdtempSync(join(tmpdir(), "asl-fuzz-"));
    const ok = spawnSync(
      process.execPath,
      [tsx, "tools/fuzz.ts", "--inputs", "240", "--seed", "3", "--save", save],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
      },
    );
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split("\n").at(-1)).toMatch(
      /^fuzz: 240 inputs \(seed 3\): 0 untyped errors, 0 hangs/,
    );
    const bad = spawnSync(process.execPath, [tsx, "tools/fuzz.ts", "--inputs", "many"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'fuzz: --inputs takes a whole number, not "many"; usage: npm run fuzz -- [--inputs N] [--seed S] [--from I] [--save DIR]',
    );
  });
});
