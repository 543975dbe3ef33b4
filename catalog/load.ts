// The one loader of spec/: reads every YAML file, validates it against its JSON Schema in spec/schemas/
// (ajv, draft 2020-12), then lints what a schema cannot say (ids unique, every reference resolves, rule
// prefixes match their document). It collects every problem before failing, and each names the file and
// the path inside it, so a broken spec file is fixed in one pass.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";

import { CAPABILITIES, type Capability } from "./capabilities.ts";
import { REPO_ROOT, SPEC_DIR } from "./paths.ts";

export { CAPABILITIES, type Capability, REPO_ROOT, SPEC_DIR };

export type Level = "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT" | "MAY";
export type DocId = "ASL/INDEXES/1" | "ASL-STORE-INDEX" | "ENC-ASL-TGK-INDEX";

export interface CapabilityEntry {
  name: Capability;
  kind: "core" | "extension";
  document?: DocId;
  decisions?: string[];
  operations: string[];
  requires: Capability[];
  description: string;
}

export interface Rule {
  id: string;
  level: Level;
  source: { doc: DocId; section: string; quote: string };
  capability: Capability;
  /** The rule applies only when at least one of these is claimed too. */
  applies_with?: Capability[];
  statement: string;
  decisions?: string[];
  /** Where the rule comes from: stated by a draft, implied by the drafts, or a profile decision. */
  basis?: "draft" | "implied" | "profile";
  checks: string[];
  retired?: { since: string; reason: string; replaced_by?: string };
  waiver?: string;
  /** The spec file the rule comes from, relative to the repository root. */
  file: string;
}

export interface ErrorEntry {
  code: string;
  stage: "decode" | "validate" | "query" | "recover" | "protocol";
  rules: string[];
  description: string;
  /** Why no vector expects the code (the gate requires a vector otherwise). */
  vector_waiver?: string;
}

export interface CheckStep {
  step: string;
  code: string;
  what: string;
}

export interface Decision {
  id: string;
  title: string;
  question: string;
  passages: { doc: DocId; section: string; quote: string }[];
  options: { name: string; note: string }[];
  choice: string;
  reasons: string[];
  rules: string[];
  retired?: string;
}

export interface InformativeStatement {
  doc: DocId;
  section: string;
  quote: string;
  reason: string;
}

export interface Catalog {
  capabilities: CapabilityEntry[];
  rules: Rule[];
  errors: ErrorEntry[];
  checkOrder: CheckStep[];
  decisions: Decision[];
  informative: InformativeStatement[];
  profile: string;
}

import { displayPath, formatProblem, fsReason, SpecError, type SpecProblem } from "./errors.ts";

export { displayPath, formatProblem, fsReason, SpecError, type SpecProblem };

let ajvInstance: Ajv2020 | undefined;

/**
 * One ajv instance holding every schema of spec/schemas/ (and of a given spec dir), by $id. A schema file
 * that is not JSON, or not a valid JSON Schema, is a SpecError naming it (when it is added, or when ajv
 * first compiles it).
 */
export function schemaValidator(specDir = SPEC_DIR): Ajv2020 {
  if (ajvInstance && specDir === SPEC_DIR) return ajvInstance;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const dir = join(specDir, "schemas");
  const fileOf = new Map<string, string>();
  const bad = (file: string, message: string) =>
    new SpecError([{ file: displayPath(join(dir, file)), path: "", message }]);
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch (e) {
    throw new SpecError([{ file: displayPath(dir), path: "", message: `cannot list: ${fsReason(e)}` }]);
  }
  for (const f of files) {
    if (!f.endsWith(".json")) continue;
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(join(dir, f), "utf8"));
    } catch (e) {
      throw bad(f, e instanceof SyntaxError ? `not JSON (${e.message})` : `cannot read: ${fsReason(e)}`);
    }
    try {
      ajv.addSchema(schema as object);
    } catch (e) {
      throw bad(f, `not a valid JSON Schema: ${(e as Error).message}`);
    }
    const id = (schema as { $id?: unknown } | null)?.$id;
    if (typeof id === "string") fileOf.set(id, f);
  }
  // ajv compiles a schema when it is first asked for: a schema that fails then is named too.
  const getSchema = ajv.getSchema.bind(ajv);
  ajv.getSchema = ((ref: string) => {
    try {
      return getSchema(ref);
    } catch (e) {
      const id = ref.split("#")[0]!;
      throw bad(fileOf.get(id) ?? id, `not a valid JSON Schema: ${(e as Error).message}`);
    }
  }) as typeof ajv.getSchema;
  if (specDir === SPEC_DIR) ajvInstance = ajv;
  return ajv;
}

export function schemaId(name: string): string {
  return `https://asl-conformance.dev/schemas/${name}`;
}

function ajvProblems(
  file: string,
  errors: ErrorObject[] | null | undefined,
  lineOf: (path: string) => number | undefined,
): SpecProblem[] {
  return (errors ?? []).map((e) => {
    const extra =
      e.keyword === "additionalProperties"
        ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
        : e.keyword === "enum"
          ? ` (one of ${JSON.stringify((e.params as { allowedValues?: unknown[] }).allowedValues)})`
          : "";
    const line = lineOf(e.instancePath);
    return {
      file,
      path: e.instancePath || "/",
      message: `${e.message ?? e.keyword}${extra}`,
      ...(line !== undefined ? { line } : {}),
    };
  });
}

/**
 * Reads a YAML (or JSON) file and validates it against the schema with the given file name; returns the
 * data or adds problems (YAML syntax errors with their line, schema errors with their path and line).
 */
export function readValidated<T>(
  absPath: string,
  schema: string,
  problems: SpecProblem[],
  specDir = SPEC_DIR,
): T | undefined {
  const file = displayPath(absPath);
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (e) {
    problems.push({ file, path: "", message: `cannot read: ${fsReason(e)}` });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const line = err.linePos?.[0]?.line;
      problems.push({
        file,
        path: "",
        message: `not valid YAML: ${err.message.split("\n")[0]}`,
        ...(line !== undefined ? { line } : {}),
      });
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    // yaml refuses aliases that expand past maxAliasCount nodes (a "billion laughs" document).
    const bomb = /alias count/i.test((e as Error).message);
    problems.push({
      file,
      path: "",
      message: bomb
        ? "refused: its YAML aliases expand past 100 nodes (an alias bomb, a resource exhaustion attack)"
        : `not valid YAML: ${(e as Error).message.split("\n")[0]}`,
    });
    return undefined;
  }
  const validate = schemaValidator(specDir).getSchema(schemaId(schema));
  if (!validate) {
    problems.push({ file, path: "", message: `no schema ${schema} in spec/schemas` });
    return undefined;
  }
  if (!validate(data)) {
    const lineOf = (pointer: string): number | undefined => {
      const keys = pointer
        .split("/")
        .slice(1)
        .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
      let node: unknown = doc.contents;
      for (const k of keys) {
        if (isMap(node)) node = node.get(k, true);
        else if (isSeq(node)) node = node.get(Number(k), true);
        else break;
      }
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    };
    problems.push(...ajvProblems(file, validate.errors, lineOf));
    return undefined;
  }
  return data as T;
}

const PREFIX_OF: Record<DocId, string> = {
  "ASL/INDEXES/1": "IDX-",
  "ASL-STORE-INDEX": "STO-",
  "ENC-ASL-TGK-INDEX": "ATXI-",
};

interface RuleFile {
  document: { id: DocId };
  rules: Omit<Rule, "file">[];
}

/**
 * Loads and checks the whole spec directory; throws SpecError listing every problem found. `olderRelease`
 * reads a spec tree from before spec/capabilities.yaml existed (the base a `diff` compares against).
 */
export function loadCatalog(specDir = SPEC_DIR, opts: { olderRelease?: boolean } = {}): Catalog {
  const problems: SpecProblem[] = [];
  const rules: Rule[] = [];
  const ruleDir = join(specDir, "rules");
  let ruleFiles: string[] = [];
  let rulesMissing = false;
  try {
    ruleFiles = readdirSync(ruleDir)
      .filter((f) => f.endsWith(".yaml"))
      .sort();
  } catch (e) {
    rulesMissing = true;
    problems.push({
      file: displayPath(ruleDir),
      path: "",
      message:
        (e as NodeJS.ErrnoException).code === "ENOENT"
          ? "missing: the folder of rule files is not there"
          : `cannot list: ${fsReason(e)}`,
    });
  }
  let rulesComplete = !rulesMissing;
  for (const f of ruleFiles) {
    const abs = join(ruleDir, f);
    const data = readValidated<RuleFile>(abs, "rules.schema.json", problems, specDir);
    if (!data) {
      rulesComplete = false;
      continue;
    }
    const file = relative(REPO_ROOT, abs);
    const shown = displayPath(abs);
    data.rules.forEach((r, i) => {
      if (r.source.doc !== data.document.id)
        problems.push({
          file: shown,
          path: `/rules/${i}/source/doc`,
          message: `rule ${r.id} cites ${r.source.doc} but the file is ${data.document.id}`,
        });
      if (!r.id.startsWith(PREFIX_OF[data.document.id]))
        problems.push({
          file: shown,
          path: `/rules/${i}/id`,
          message: `rule ids of ${data.document.id} start with ${PREFIX_OF[data.document.id]}, not ${r.id}`,
        });
      rules.push({ ...r, file });
    });
  }
  const errorsFile = readValidated<{ reader_check_order: CheckStep[]; codes: ErrorEntry[] }>(
    join(specDir, "errors.yaml"),
    "errors.schema.json",
    problems,
    specDir,
  );
  const decisionsFile = readValidated<{ profile: string; decisions: Decision[] }>(
    join(specDir, "decisions.yaml"),
    "decisions.schema.json",
    problems,
    specDir,
  );
  // A spec tree from before capabilities.yaml existed (an older release a `diff` reads) has none: its
  // capability names are then not linted.
  const capabilitiesPath = join(specDir, "capabilities.yaml");
  const capabilitiesFile =
    existsSync(capabilitiesPath) || !opts.olderRelease
      ? readValidated<{ capabilities: CapabilityEntry[] }>(
          capabilitiesPath,
          "capabilities.schema.json",
          problems,
          specDir,
        )
      : undefined;
  const informativeFile = readValidated<{ statements: InformativeStatement[] }>(
    join(specDir, "informative.yaml"),
    "informative.schema.json",
    problems,
    specDir,
  );

  const catalog: Catalog = {
    capabilities: capabilitiesFile?.capabilities ?? [],
    rules,
    errors: errorsFile?.codes ?? [],
    checkOrder: errorsFile?.reader_check_order ?? [],
    decisions: decisionsFile?.decisions ?? [],
    informative: informativeFile?.statements ?? [],
    profile: decisionsFile?.profile ?? "",
  };
  // When a rule file could not be read, every reference into it would be reported as dangling too:
  // report the cause only.
  problems.push(
    ...lintCatalog(catalog, specDir).filter(
      (p) => rulesComplete || !p.message.includes("which does not exist"),
    ),
  );
  if (problems.length > 0) throw new SpecError(problems);
  return catalog;
}

/** What the schemas cannot say: unique ids and resolving references. */
export function lintCatalog(c: Catalog, specDir = SPEC_DIR): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const rel = (p: string) => displayPath(join(specDir, p));
  const shown = (ruleFile: string) => displayPath(resolve(REPO_ROOT, ruleFile));
  const ruleIds = new Map<string, Rule>();
  for (const r of c.rules) {
    const prev = ruleIds.get(r.id);
    if (prev)
      problems.push({
        file: shown(r.file),
        path: "/rules",
        message: `rule id ${r.id} is used twice (also in ${shown(prev.file)})`,
      });
    ruleIds.set(r.id, r);
  }
  const caps = new Set<string>(c.capabilities.map((x) => x.name));
  const capFile = rel("capabilities.yaml");
  c.capabilities.forEach((x, i) => {
    x.requires.forEach((r, j) => {
      if (!caps.has(r))
        problems.push({
          file: capFile,
          path: `/capabilities/${i}/requires/${j}`,
          message: `${x.name} requires ${r}, which is not a capability`,
        });
    });
  });
  if (c.capabilities.length > 0)
    for (const r of c.rules)
      for (const cap of [r.capability, ...(r.applies_with ?? [])])
        if (!caps.has(cap))
          problems.push({
            file: shown(r.file),
            path: `/rules/${r.id}/capability`,
            message: `rule ${r.id} names capability ${cap}, which spec/capabilities.yaml does not list`,
          });
  const decisionIds = new Set<string>();
  c.decisions.forEach((d, i) => {
    if (decisionIds.has(d.id))
      problems.push({
        file: rel("decisions.yaml"),
        path: `/decisions/${i}/id`,
        message: `decision id ${d.id} is used twice`,
      });
    decisionIds.add(d.id);
    d.rules.forEach((id, j) => {
      if (!ruleIds.has(id))
        problems.push({
          file: rel("decisions.yaml"),
          path: `/decisions/${i}/rules/${j}`,
          message: `${d.id} names rule ${id}, which does not exist`,
        });
    });
  });
  for (const r of c.rules) {
    (r.decisions ?? []).forEach((d, j) => {
      if (!decisionIds.has(d))
        problems.push({
          file: shown(r.file),
          path: `/rules/${r.id}/decisions/${j}`,
          message: `rule ${r.id} names decision ${d}, which does not exist`,
        });
    });
    if (r.retired?.replaced_by && !ruleIds.has(r.retired.replaced_by))
      problems.push({
        file: shown(r.file),
        path: `/rules/${r.id}/retired/replaced_by`,
        message: `rule ${r.id} is replaced by ${r.retired.replaced_by}, which does not exist`,
      });
  }
  const codes = new Set<string>();
  c.errors.forEach((e, i) => {
    if (codes.has(e.code))
      problems.push({
        file: rel("errors.yaml"),
        path: `/codes/${i}/code`,
        message: `error code ${e.code} is listed twice`,
      });
    codes.add(e.code);
    e.rules.forEach((id, j) => {
      if (!ruleIds.has(id))
        problems.push({
          file: rel("errors.yaml"),
          path: `/codes/${i}/rules/${j}`,
          message: `${e.code} names rule ${id}, which does not exist`,
        });
    });
  });
  c.checkOrder.forEach((s, i) => {
    if (s.code !== "(per field)" && !codes.has(s.code))
      problems.push({
        file: rel("errors.yaml"),
        path: `/reader_check_order/${i}/code`,
        message: `step ${s.step} names code ${s.code}, which is not in the list`,
      });
    for (const m of s.what.matchAll(/\b(SEG|QRY)_[A-Z_]+\b/g)) {
      if (!codes.has(m[0]))
        problems.push({
          file: rel("errors.yaml"),
          path: `/reader_check_order/${i}/what`,
          message: `step ${s.step} mentions code ${m[0]}, which is not in the list`,
        });
    }
  });
  return problems;
}
