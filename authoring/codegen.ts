// Code generated from the spec's data, so that no list of the spec is written twice: the closed list of
// error codes with their stages and rules, and the reader's step order (spec/errors.yaml) become
// catalog/generated/errors.ts, which the engine imports for its types. `asl-conform rules sync` writes it;
// the gate fails when it is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Catalog } from "../catalog/load.ts";
import { REPO_ROOT } from "../catalog/paths.ts";

export const ERRORS_MODULE = join(REPO_ROOT, "catalog/generated/errors.ts");
export const CAPABILITIES_MODULE = join(REPO_ROOT, "catalog/generated/capabilities.ts");

const list = (xs: readonly string[]) => xs.map((x) => `  ${JSON.stringify(x)},`).join("\n");

export function errorsModule(c: Catalog): string {
  const codes = c.errors.map((e) => e.code);
  return `// GENERATED from spec/errors.yaml by \`asl-conform rules sync\`: do not edit (the gate checks it is fresh).
// The closed list of error codes, the stage and rules of each, and the order in which a reader checks a
// segment (DEC-027).

export const ERROR_CODES = [
${list(codes)}
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorStage = "decode" | "validate" | "query" | "recover" | "protocol";

export const ERROR_STAGE: Readonly<Record<ErrorCode, ErrorStage>> = {
${c.errors.map((e) => `  ${e.code}: ${JSON.stringify(e.stage)},`).join("\n")}
};

export const ERROR_RULES: Readonly<Record<ErrorCode, readonly string[]>> = {
${c.errors.map((e) => `  ${e.code}: [${e.rules.map((r) => JSON.stringify(r)).join(", ")}],`).join("\n")}
};

export const READER_CHECK_ORDER = [
${list(c.checkOrder.map((s) => s.step))}
] as const;

export type CheckStep = (typeof READER_CHECK_ORDER)[number];
`;
}

export function capabilitiesModule(c: Catalog): string {
  const names = c.capabilities.map((x) => x.name);
  return `// GENERATED from spec/capabilities.yaml by \`asl-conform rules sync\`: do not edit (the gate checks it is fresh).
// The capabilities an implementation claims, which are profile extensions, what each requires, and which
// operations each brings.

export const CAPABILITIES = [
${list(names)}
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export const CAPABILITY_KIND: Readonly<Record<Capability, "core" | "extension">> = {
${c.capabilities.map((x) => `  ${JSON.stringify(x.name)}: ${JSON.stringify(x.kind)},`).join("\n")}
};

export const CAPABILITY_REQUIRES: Readonly<Record<Capability, readonly Capability[]>> = {
${c.capabilities.map((x) => `  ${JSON.stringify(x.name)}: [${x.requires.map((r) => JSON.stringify(r)).join(", ")}],`).join("\n")}
};

export const CAPABILITY_OPERATIONS: Readonly<Record<Capability, readonly string[]>> = {
${c.capabilities.map((x) => `  ${JSON.stringify(x.name)}: [${x.operations.map((r) => JSON.stringify(r)).join(", ")}],`).join("\n")}
};
`;
}

/** Writes the generated modules; returns the ones whose text changed (or would, with write = false). */
export function syncGenerated(c: Catalog, write: boolean): string[] {
  const changed: string[] = [];
  for (const [file, want] of [
    [ERRORS_MODULE, errorsModule(c)],
    [CAPABILITIES_MODULE, capabilitiesModule(c)],
  ] as const) {
    let have = "";
    try {
      have = readFileSync(file, "utf8");
    } catch {}
    if (have === want) continue;
    if (write) writeFileSync(file, want);
    changed.push(file.slice(REPO_ROOT.length + 1));
  }
  return changed;
}
