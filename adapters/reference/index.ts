// The reference engine as an Implementation (adapters/interface.ts): the default adapter of
// `asl-conform run`, the oracle of differential properties, and the base the mutants alter.
import { CAPABILITIES } from "../../catalog/load.ts";
import { TOOL_VERSION } from "../../catalog/paths.ts";
import type { Store } from "../../reference/store/index.ts";
import type { Handlers, Implementation, OpArgs, OpName, OpResult } from "../interface.ts";
import { protocolViolation } from "../validate.ts";
import { toWire } from "../wire.ts";
import { segmentHandlers } from "./segments.ts";
import { SemanticEngine } from "./semantic.ts";

export const REFERENCE_INFO = {
  name: "asl-conformance-reference",
  version: TOOL_VERSION,
  language: "typescript",
};

/** The reference's handlers, by operation; a mutant replaces some of them. */
export function referenceHandlers(engine: SemanticEngine): Handlers {
  return { ...engine.handlers, ...segmentHandlers };
}

export function implementationFrom(
  info: Implementation["info"],
  engine: SemanticEngine,
  handlers: Handlers,
): Implementation {
  return {
    info,
    capabilities: [...CAPABILITIES],
    reset: () => engine.reset(),
    handle<O extends OpName>(op: O, args: OpArgs<O>): OpResult<O> {
      const h = handlers[op] as ((a: OpArgs<O>) => OpResult<O>) | undefined;
      // DEC-033: a name outside the protocol is a bad request; the reference implements every operation.
      if (!h) throw { code: "PROTO_BAD_REQUEST", message: `unknown operation ${JSON.stringify(op)}` };
      // DEC-033 step 3: the request's shape (the schema without string patterns) before any value.
      const shape = protocolViolation("args", op, toWire(args ?? {}));
      if (shape) throw { code: "PROTO_BAD_REQUEST", message: shape };
      return h((args ?? {}) as OpArgs<O>);
    },
    close: () => engine.close(),
  };
}

export function createReferenceImplementation(): Implementation {
  return createReferenceParts().implementation;
}

/** The reference implementation with its engine's store in reach: for the vector generator, which records what it answers. */
export function createReferenceParts(): { implementation: Implementation; store: () => Store } {
  const engine = new SemanticEngine();
  return {
    implementation: implementationFrom(REFERENCE_INFO, engine, referenceHandlers(engine)),
    store: () => engine.currentStore(),
  };
}
