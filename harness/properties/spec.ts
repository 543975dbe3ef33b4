// What a differential property is: a name (its check id is prop/<name>), the rules and capabilities it
// checks, and a fast-check property built per run against the check's context.
import type fc from "fast-check";
import type { Capability } from "../../adapters/interface.ts";
import type { CheckContext } from "../checks/types.ts";
import type { PropertyEnv } from "./differential.ts";

export type PropertyFactory = (
  ctx: CheckContext,
  env: PropertyEnv,
) => fc.IAsyncProperty<unknown> | fc.IAsyncPropertyWithHooks<unknown>;

export interface PropertySpec {
  name: string;
  title: string;
  rules: string[];
  capabilities: Capability[];
  property: PropertyFactory;
}
