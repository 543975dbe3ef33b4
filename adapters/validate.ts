// --validate-protocol: every request and every result checked against spec/schemas/protocol.schema.json
// ($defs "args:OP" and "result:OP"), in wire form. A violation names the operation and the JSON path.
import type { ValidateFunction } from "ajv";
import { schemaValidator } from "../harness/catalog/load.ts";

const PROTOCOL = "https://asl-conformance.dev/schemas/protocol.schema.json";
const cache = new Map<string, ValidateFunction | undefined>();

function validator(def: string): ValidateFunction | undefined {
  if (!cache.has(def)) cache.set(def, schemaValidator().getSchema(`${PROTOCOL}#/$defs/${def}`));
  return cache.get(def);
}

/** Returns undefined when valid, else a one-line description of the first violations. */
export function protocolViolation(
  kind: "args" | "result",
  op: string,
  wireValue: unknown,
): string | undefined {
  const v = validator(`${kind}:${op}`);
  if (!v) return `no schema for the ${kind} of operation "${op}"`;
  if (v(wireValue)) return undefined;
  const errs = (v.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
  return `${kind} of ${op} break spec/schemas/protocol.schema.json: ${errs.join("; ")}`;
}

export function messageViolation(kind: "request" | "response", wireValue: unknown): string | undefined {
  const v = validator(kind);
  if (!v) return `no schema for ${kind}`;
  if (v(wireValue)) return undefined;
  const errs = (v.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
  return `${kind} breaks spec/schemas/protocol.schema.json: ${errs.join("; ")}`;
}
