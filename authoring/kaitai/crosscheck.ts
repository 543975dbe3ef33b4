// The Kaitai Struct description of a segment (spec/formats/asl_tgk_index_segment.ksy) as an independent
// second reader of the golden vectors (issue 4): the .ksy was written from DEC-001..DEC-014 without the
// reference codec, so where the two agree on every vector, neither has misread the layout in the same way.
// This is the driver; compile.ts builds the parser, convert.ts turns its parse into the decoded form and
// compares forms, expressibility.ts holds the table of what the .ksy can reject.
//
// - Every valid vector: the Kaitai parse (every lazy instance read) in the protocol's decoded form
//   (spec/protocol.md section 6) is compared field by field, 64-bit fields as exact decimal strings, with
//   the reference decoder's form of the same bytes and with the manifest's committed `decoded`.
// - Every invalid vector: spec/formats/asl_tgk_index_segment.expressibility.yaml says, from the manifest's
//   expected error, whether the defect is one of the .ksy's `valid`/`contents`/framing constraints.
//   Kaitai must reject those; the others are listed, not judged.
// Rules: ATXI-LAY-001 and the layout rules the .ksy cites; ATXI-INV-001 (exact 64-bit values); ATXI-DEC-001.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SpecError } from "../../catalog/load.ts";
import { REPO_ROOT, VECTORS_DIR } from "../../catalog/paths.ts";
import type { InvalidSegmentCase } from "../../harness/vectors/read.ts";
import { type KaitaiParse, type KaitaiParseError, type KaitaiSegment, loadKaitaiParser } from "./compile.ts";
import { compareDecoded, type DecodedSegmentJson, kaitaiDecoded, referenceDecoded } from "./convert.ts";
import {
  EXPRESSIBILITY_FILE,
  type ExpressibilityRow,
  expressibilityOf,
  loadExpressibility,
} from "./expressibility.ts";

// ---------------------------------------------------------------------------------------------------
// The manifest, as much of it as the cross-check reads.

export type ExpectedError = InvalidSegmentCase["expected_error"];

/**
 * One case of vectors/segments/manifest.json, only the fields the cross-check reads (the full shape is
 * harness/vectors/read.ts's SegmentCase). Read without the schema, so a scratch manifest of a few fields
 * (as the tests write) will do.
 */
export interface SegmentCase {
  id: string;
  file: string;
  result: "valid" | "invalid";
  decoded?: DecodedSegmentJson;
  expected_error?: ExpectedError;
  mutations?: InvalidSegmentCase["mutations"];
  flags?: string[];
}

/** Reads vectors/segments/manifest.json (or the one under `vectorsDir`), failing loudly on a bad shape. */
export function readSegmentManifest(vectorsDir: string = VECTORS_DIR): SegmentCase[] {
  const path = join(vectorsDir, "segments", "manifest.json");
  const m = JSON.parse(readFileSync(path, "utf8")) as { cases?: unknown };
  if (!Array.isArray(m.cases)) throw new Error(`${path}: no "cases" array`);
  return m.cases.map((c: SegmentCase, i: number) => {
    const where = `${path}: cases[${i}]`;
    if (typeof c.file !== "string") throw new Error(`${where} has no "file"`);
    if (c.result === "valid" && typeof c.decoded !== "object") throw new Error(`${where} has no "decoded"`);
    if (c.result === "invalid" && typeof c.expected_error?.code !== "string")
      throw new Error(`${where} has no "expected_error"`);
    if (c.result !== "valid" && c.result !== "invalid")
      throw new Error(`${where}: result ${String(c.result)}`);
    return c;
  });
}

// ---------------------------------------------------------------------------------------------------
// The cross-check.

export interface CrossCheckProblem {
  file: string;
  message: string;
}

export interface CrossCheckResult {
  problems: CrossCheckProblem[];
  /** Valid vectors Kaitai parsed and that were compared field by field. */
  checkedValid: number;
  /** Invalid vectors with an expressible defect that Kaitai rejected. */
  rejectedInvalid: number;
  /** Invalid vectors whose defect the .ksy cannot express; `kaitai` says what it did anyway. */
  notExpressible: { file: string; code: string; because: string; kaitai: string }[];
  /** Invalid vectors the table calls expressible (rejectedInvalid equals this when there are no problems). */
  expressibleInvalid: number;
  /** For each rejected invalid vector, the Kaitai error (name and .ksy path). */
  rejections: { file: string; code: string; kaitai: string }[];
}

/** A Kaitai validation or end-of-stream error; anything else thrown by the parser is a crash. */
function isKaitaiError(e: unknown): e is KaitaiParseError {
  return e instanceof Error && /^(EOFError|UnexpectedDataError|Validation\w+Error)$/.test(e.name);
}

const describeError = (e: KaitaiParseError): string =>
  e.srcPath === undefined ? e.name : `${e.name} at ${e.srcPath}`;

type Parsed = { ok: true; segment: KaitaiSegment } | { ok: false; error: unknown };

function tryParse(parse: KaitaiParse, bytes: Uint8Array): Parsed {
  try {
    return { ok: true, segment: parse(bytes) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs the Kaitai parser over every segment vector under `vectorsDir` (default vectors/): valid ones
 * compared field by field with the reference decoder and the manifest, invalid ones judged by the
 * expressibility table. Returns every disagreement as a problem naming the file and the field path; a
 * table that cannot be loaded is a problem naming the table's file (and leaves invalid vectors unjudged).
 */
export async function kaitaiCrossCheck(vectorsDir: string = VECTORS_DIR): Promise<CrossCheckResult> {
  const parse = await loadKaitaiParser();
  const result: CrossCheckResult = {
    problems: [],
    checkedValid: 0,
    rejectedInvalid: 0,
    notExpressible: [],
    expressibleInvalid: 0,
    rejections: [],
  };
  const problem = (file: string, message: string) => result.problems.push({ file, message });
  let table: readonly ExpressibilityRow[] | undefined;
  try {
    table = loadExpressibility();
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    for (const p of e.problems)
      problem(
        p.file,
        `the expressibility table cannot be loaded${p.line !== undefined ? ` (line ${p.line})` : ""}${p.path ? ` at ${p.path}` : ""}: ${p.message}`,
      );
  }

  for (const c of readSegmentManifest(vectorsDir)) {
    const file = c.file;
    const bytes = new Uint8Array(readFileSync(join(vectorsDir, file)));
    const parsed = tryParse(parse, bytes);

    if (c.result === "valid") {
      if (!parsed.ok) {
        const e = parsed.error;
        problem(file, `Kaitai rejects a valid vector: ${isKaitaiError(e) ? e.message : String(e)}`);
        continue;
      }
      const mine = kaitaiDecoded(parsed.segment);
      let reference: DecodedSegmentJson;
      try {
        reference = referenceDecoded(bytes);
      } catch (e) {
        problem(file, `the reference decoder rejects a valid vector: ${String(e)}`);
        continue;
      }
      for (const d of compareDecoded(mine, reference)) problem(file, `${d} (reference decoder)`);
      for (const d of compareDecoded(mine, c.decoded!)) problem(file, `${d} (manifest "decoded" of ${c.id})`);
      result.checkedValid++;
      continue;
    }

    if (table === undefined) continue;
    const expected = c.expected_error!;
    const row = expressibilityOf(expected, bytes, table);
    const defect = `${expected.code} (${expected.step}: ${expected.field} at offset ${expected.offset})`;
    if (row === undefined) {
      problem(
        file,
        `no row of EXPRESSIBILITY (${relative(REPO_ROOT, EXPRESSIBILITY_FILE)}) covers step ${expected.step} code ${expected.code}: add one`,
      );
      continue;
    }
    const outcome = parsed.ok
      ? "parsed"
      : isKaitaiError(parsed.error)
        ? `rejected: ${describeError(parsed.error)}`
        : `crashed: ${String(parsed.error)}`;
    if (!parsed.ok && !isKaitaiError(parsed.error)) {
      // A TypeError or RangeError is the generated parser (or the .ksy) failing, not a rejection.
      problem(file, `the Kaitai parser crashed instead of rejecting ${defect}: ${String(parsed.error)}`);
      continue;
    }
    if (!row.expressible) {
      result.notExpressible.push({ file, code: expected.code, because: row.because, kaitai: outcome });
      continue;
    }
    result.expressibleInvalid++;
    if (parsed.ok) {
      problem(
        file,
        `Kaitai parses it cleanly, but its defect ${defect} is one the .ksy expresses: ${row.because}`,
      );
      continue;
    }
    result.rejectedInvalid++;
    result.rejections.push({
      file,
      code: expected.code,
      kaitai: describeError(parsed.error as KaitaiParseError),
    });
  }
  return result;
}
