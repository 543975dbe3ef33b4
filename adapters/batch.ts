// The `batch` operation of spec/protocol.md section 4.3, in one place for every side that answers it (serve,
// the in-process adapter): at most BATCH_LIMIT requests, refused whole otherwise; each item checked on its
// own (hello, reset, batch and shutdown are not items: PROTO_BAD_REQUEST in their place); items answered
// in order, an error in one not stopping the rest.
import type { WireError } from "./interface.ts";

export const BATCH_LIMIT = 10_000;
const NOT_IN_BATCH = new Set(["hello", "reset", "batch", "shutdown"]);
const ITEM_REFUSED: WireError = {
  code: "PROTO_BAD_REQUEST",
  message: "a batch item is {op, args} with an operation other than hello, reset, batch or shutdown",
};

type Answer = { ok: unknown } | { error: WireError };

/** Answers a batch's args with `one` for each item: the whole refusal, or the responses. */
export async function answerBatch(
  args: Record<string, unknown>,
  one: (op: string, args: Record<string, unknown>) => Promise<Answer>,
): Promise<Answer> {
  const requests = args.requests;
  if (!Array.isArray(requests) || requests.length > BATCH_LIMIT)
    return {
      error: {
        code: "PROTO_BAD_REQUEST",
        message: `batch takes requests: an array of at most ${BATCH_LIMIT} {op, args}`,
      },
    };
  const responses: Answer[] = [];
  for (const item of requests as unknown[]) {
    const r = (item && typeof item === "object" ? item : {}) as { op?: unknown; args?: unknown };
    const op = typeof r.op === "string" ? r.op : "";
    const argsOk =
      r.args === undefined || (typeof r.args === "object" && r.args !== null && !Array.isArray(r.args));
    if (op === "" || NOT_IN_BATCH.has(op) || !argsOk) responses.push({ error: ITEM_REFUSED });
    else responses.push(await one(op, (r.args ?? {}) as Record<string, unknown>));
  }
  return { ok: { responses } };
}
