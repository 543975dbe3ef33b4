// The reference engine as an Implementation (adapters/interface.ts): the default adapter of
// `asl-conform run`, the oracle of differential properties, and the base the mutants alter.
import { CAPABILITIES } from "../../harness/catalog/load.ts";
import type { Implementation, OpArgs, OpName, OpResult } from "../interface.ts";
import { protocolViolation } from "../validate.ts";
import { toWire } from "../wire.ts";
import { segmentHandlers } from "./segments.ts";
import { SemanticEngine } from "./semantic.ts";

export const REFERENCE_INFO = { name: "asl-conformance-reference", version: "0.1.0", language: "typescript" };

export type Handler = (args: never) => unknown;

/** The reference's handlers, by operation; a mutant replaces some of them. */
export function referenceHandlers(engine: SemanticEngine): Record<OpName, Handler> {
  return { ...engine.handlers, ...segmentHandlers } as Record<OpName, Handler>;
}

export function implementationFrom(
  info: Implementation["info"],
  engine: SemanticEngine,
  handlers: Record<OpName, Handler>,
): Implementation {
  return {
    info,
    capabilities: [...CAPABILITIES],
    reset: () => engine.reset(),
    handle<O extends OpName>(op: O, args: OpArgs<O>): OpResult<O> {
      const h = handlers[op];
      // DEC-033: a name outside the protocol is a bad request; the reference implements every operation.
      if (!h) throw { code: "PROTO_BAD_REQUEST", message: `unknown operation ${JSON.stringify(op)}` };
      // DEC-033 step 3: the request's shape (the schema without string patterns) before any value.
      const shape = protocolViolation("args", op, toWire(args ?? {}));
      if (shape) throw { code: "PROTO_BAD_REQUEST", message: shape };
      return h((args ?? {}) as never) as OpResult<O>;
    },
    close: () => engine.close(),
  };
}

export function createReferenceImplementation(): Implementation {
  const engine = new SemanticEngine();
  return implementationFrom(REFERENCE_INFO, engine, referenceHandlers(engine));
}
