// --validate-protocol: every request and every result checked against spec/schemas/protocol.schema.json
// ($defs "args:OP" and "result:OP"), in wire form. A violation names the operation and the JSON path.
// Requests are checked for shape only, with the schema's string patterns left out: DEC-033 makes a
// well-typed string with bad content a question for the implementation (CI_INVALID_ARGUMENT and the
// like), and the suite sends such requests on purpose. Results are checked in full.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { SPEC_DIR, schemaValidator } from "../catalog/load.ts";

const PROTOCOL = "https://asl-conformance.dev/schemas/protocol.schema.json";
const cache = new Map<string, ValidateFunction | undefined>();
let shapeOnly: Ajv2020 | undefined;

function withoutPatterns(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutPatterns);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== "pattern")
        .map(([k, x]) => [k, withoutPatterns(x)]),
    );
  }
  return v;
}

function validator(def: string): ValidateFunction | undefined {
  if (!cache.has(def)) {
    if (def.startsWith("args:")) {
      if (!shapeOnly) {
        shapeOnly = new Ajv2020({ allErrors: true, strict: true });
        shapeOnly.addSchema(
          withoutPatterns(
            JSON.parse(readFileSync(join(SPEC_DIR, "schemas/protocol.schema.json"), "utf8")),
          ) as object,
        );
      }
      cache.set(def, shapeOnly.getSchema(`${PROTOCOL}#/$defs/${def}`));
    } else cache.set(def, schemaValidator().getSchema(`${PROTOCOL}#/$defs/${def}`));
  }
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
