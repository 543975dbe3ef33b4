// Checks of one segment file (vectors/segments/manifest.json): a valid segment decodes to its committed
// form, its encoder input gives its exact bytes, and its single-segment queries answer as committed; a
// malformed one is refused with the one error of the pinned check order (DEC-027): the code always, and
// the byte offset when the implementation gives one.
import { faultOf, firstByteDifference, firstDifference, wireJson } from "../observe.ts";
import { type InvalidSegmentCase, readSegmentBytes, type ValidSegmentCase } from "../vectors/read.ts";
import { runQueries } from "./queries.ts";
import type { CheckContext, CheckOutcome } from "./types.ts";
import { fail, pass } from "./types.ts";

export function decodeCheck(dir: string, c: ValidSegmentCase) {
  return async (ctx: CheckContext): Promise<CheckOutcome> => {
    const o = await ctx.adapter.call("seg.decode", { bytes: readSegmentBytes(dir, c.file) });
    const fault = faultOf(o);
    if (fault) return { findings: [], fault };
    if ("error" in o)
      return fail(`decoding ${c.file} was refused with ${o.error.code}: ${o.error.message}`, {
        expected: "the decoded segment",
        actual: o.error.code,
        ...(o.error.offset !== undefined ? { offset: o.error.offset } : {}),
      });
    const d = firstDifference(c.decoded, wireJson(o.ok.segment));
    return d
      ? fail(`decoding ${c.file}: differs at ${d.path}`, {
          field: d.path,
          expected: d.expected,
          actual: d.actual,
        })
      : pass();
  };
}

export function encodeCheck(dir: string, c: ValidSegmentCase) {
  return async (ctx: CheckContext): Promise<CheckOutcome> => {
    const o = await ctx.adapter.call("seg.encode", { input: c.encode! });
    const fault = faultOf(o);
    if (fault) return { findings: [], fault };
    if ("error" in o)
      return fail(`encoding refused with ${o.error.code}: ${o.error.message}`, { actual: o.error.code });
    const want = readSegmentBytes(dir, c.file);
    const at = firstByteDifference(want, o.ok.bytes);
    return at === undefined
      ? pass()
      : fail(
          `the encoder's bytes differ from ${c.file} (${o.ok.bytes.length} bytes, expected ${want.length})`,
          {
            offset: at,
            expected: want[at] ?? "end of segment",
            actual: o.ok.bytes[at] ?? "end of segment",
          },
        );
  };
}

export function segmentQueryCheck(dir: string, c: ValidSegmentCase) {
  return (ctx: CheckContext) =>
    runQueries(ctx.adapter, [readSegmentBytes(dir, c.file)], c.queries, undefined);
}

export function rejectCheck(dir: string, c: InvalidSegmentCase) {
  const exp = c.expected_error;
  return async (ctx: CheckContext): Promise<CheckOutcome> => {
    const o = await ctx.adapter.call("seg.decode", { bytes: readSegmentBytes(dir, c.file) });
    const fault = faultOf(o);
    if (fault) return { findings: [], fault };
    const where = { offset: exp.offset, field: exp.field };
    if (!("error" in o))
      return fail(`${c.file} has one defect (${exp.step}: ${exp.field}), but it was decoded without error`, {
        expected: exp.code,
        actual: "decoded",
        ...where,
      });
    if (o.error.code !== exp.code)
      return fail(
        `${c.file} refused with ${o.error.code}, expected ${exp.code} (the first failing check, ${exp.step}, DEC-027)`,
        { expected: exp.code, actual: o.error.code, ...where },
      );
    if (o.error.offset !== undefined && o.error.offset !== exp.offset)
      return fail(
        `${c.file} refused with the right code ${exp.code} but at byte offset ${o.error.offset}, expected ${exp.offset} (${exp.field})`,
        { expected: exp.offset, actual: o.error.offset, ...where },
      );
    return pass(
      o.error.offset === undefined
        ? "the implementation gave no byte offset, so only the code was compared"
        : undefined,
    );
  };
}
