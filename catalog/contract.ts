// The suite's contract version (spec/contract.yaml): what a report records, what a release is named
// after, and which releases this tool runs (its own MAJOR, up to its own MINOR).
import { join } from "node:path";
import { readValidated, SpecError, type SpecProblem } from "./load.ts";
import { SPEC_DIR } from "./paths.ts";

export interface Contract {
  version: string;
  protocol: string;
  profile: string;
}

/** The contract of a spec folder (this tool's own by default); a SpecError naming the file otherwise. */
export function readContract(specDir = SPEC_DIR): Contract {
  const problems: SpecProblem[] = [];
  const c = readValidated<Contract & { schema: string }>(
    join(specDir, "contract.yaml"),
    "contract.schema.json",
    problems,
  );
  if (!c) throw new SpecError(problems);
  return { version: c.version, protocol: c.protocol, profile: c.profile };
}

const parts = (v: string): [number, number] => {
  const [major, minor] = v.split(".").map(Number);
  return [major ?? Number.NaN, minor ?? Number.NaN];
};

/** Whether a tool of contract `tool` can run a release of contract `release`, and if not, why. */
export function contractProblem(release: Contract, tool: Contract): string | undefined {
  const [rMajor, rMinor] = parts(release.version);
  const [tMajor, tMinor] = parts(tool.version);
  if (release.protocol !== tool.protocol)
    return `it speaks protocol ${release.protocol}; this tool speaks ${tool.protocol}`;
  if (rMajor !== tMajor)
    return `its contract version ${release.version} has another major version than this tool's (${tool.version})`;
  if (rMinor > tMinor)
    return `its contract version ${release.version} is newer than this tool's (${tool.version}): it may hold cases this tool cannot read`;
  return undefined;
}
