// Serves an in-process Implementation over the process protocol on stdin/stdout: what `asl-conform serve`
// runs. It lets the reference engine (or a mutant, or a TypeScript module) be driven exactly as an outside
// implementation is, and it is the reference for what a well-behaved process adapter does.

import { createInterface } from "node:readline";
import { answerBatch } from "./batch.ts";
import { errorAnswer } from "./in-process.ts";
import type { Implementation, OpName, WireError } from "./interface.ts";
import { PROFILE, PROTOCOL_VERSION } from "./interface.ts";
import { argsFromWire, toWire } from "./wire.ts";

export async function serve(
  impl: Implementation,
  input = process.stdin,
  output = process.stdout,
): Promise<void> {
  const write = (msg: unknown) =>
    new Promise<void>((resolve) => {
      if (output.write(`${JSON.stringify(msg)}\n`)) resolve();
      else output.once("drain", () => resolve());
    });

  async function one(
    op: string,
    args: Record<string, unknown>,
  ): Promise<{ ok: unknown } | { error: WireError }> {
    try {
      return { ok: toWire(await impl.handle(op as OpName, argsFromWire(op, args) as never)) };
    } catch (e) {
      return { error: errorAnswer(e) };
    }
  }

  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (line.trim() === "") continue;
    let msg: { id?: unknown; op?: unknown; args?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      process.stderr.write(`serve: ignoring a line that is not JSON\n`);
      continue;
    }
    const id = msg.id;
    // DEC-033: a line without a usable id cannot be answered; it is noted on stderr only.
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1) {
      process.stderr.write(`serve: ignoring a message without a positive integer id\n`);
      continue;
    }
    const op = typeof msg.op === "string" ? msg.op : "";
    const args = (msg.args && typeof msg.args === "object" ? msg.args : {}) as Record<string, unknown>;
    switch (op) {
      case "hello":
        if (args.protocol !== PROTOCOL_VERSION || (args.profile !== undefined && args.profile !== PROFILE)) {
          await write({
            id,
            error: {
              code: "PROTO_VERSION_MISMATCH",
              message: `this implementation speaks ${PROTOCOL_VERSION} with profile ${PROFILE}`,
            },
          });
        } else {
          await write({
            id,
            ok: { protocol: PROTOCOL_VERSION, implementation: impl.info, capabilities: impl.capabilities },
          });
        }
        break;
      case "reset":
        try {
          await impl.reset();
          await write({ id, ok: {} });
        } catch (e) {
          await write({ id, error: errorAnswer(e) });
        }
        break;
      case "shutdown":
        await write({ id, ok: {} });
        await impl.close?.();
        rl.close();
        return;
      case "batch":
        await write({ id, ...(await answerBatch(args, one)) });
        break;
      default:
        await write({ id, ...(await one(op, args)) });
    }
  }
  await impl.close?.();
}
