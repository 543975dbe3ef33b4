// vectors/traces: every semantic trace (authoring/cases/traces.ts) as a file of its own, and a manifest.
import type { Capability } from "../../adapters/interface.ts";
import type { IndexEntry } from "../../harness/vectors/read.ts";
import { sha256, toHex } from "../../reference/common/hash.ts";
import { generateTraces } from "../cases/traces.ts";
import { type GeneratedPart, jsonFile, manifestHeader } from "./canonical.ts";

export async function traceFiles(): Promise<GeneratedPart> {
  const files: GeneratedPart["files"] = [];
  const entries: IndexEntry[] = [];
  const cases = (await generateTraces()).map((t) => {
    const file = jsonFile(`traces/${t.id}.json`, t);
    files.push(file);
    entries.push({
      id: `trace/${t.id}`,
      file: file.path,
      case: t.id,
      rules: [...t.rules].sort(),
      capabilities: t.capabilities as Capability[],
    });
    return {
      id: t.id,
      title: t.title,
      capabilities: t.capabilities,
      rules: t.rules,
      file: file.path,
      steps: t.steps.length,
      sha256: toHex(sha256(file.bytes)),
    };
  });
  files.push(
    jsonFile("traces/manifest.json", {
      ...manifestHeader("asl-conformance/trace-vectors/2", "spec/schemas/trace.schema.json", cases.length),
      cases,
    }),
  );
  return { files, entries };
}
