// A mutant is the reference engine with one defect an implementer could really make (STYLE.md: "fake
// implementations that lie on purpose test the harness itself"). `asl-conform selftest` runs the whole
// suite against every mutant and fails unless each is rejected by a failing check that names one of the
// rules it declares: a mutant that survives is a hole in the suite. Defects are made by replacing some of
// the reference's handlers (adapters/reference/index.ts), never by editing the reference.

import type { Store } from "../../reference/store/index.ts";
import type { Capability, Handlers, Implementation } from "../interface.ts";
import { implementationFrom, REFERENCE_INFO, referenceHandlers } from "../reference/index.ts";
import { SemanticEngine } from "../reference/semantic.ts";

export type { Handlers };

export interface Mutant {
  /** kebab-case, stable: `asl-conform selftest --mutant ID`. */
  id: string;
  /** The defect, in one sentence. */
  description: string;
  /** The rules the defect breaks: the suite must reject the mutant through a check naming one of them. */
  rules: string[];
  /** The capabilities the defect lives in. */
  capabilities: Capability[];
  create(): Implementation;
}

/** What a mutant's alteration gets: the engine, the reference's handlers, and a hook run on every reset. */
export interface MutantParts {
  engine: SemanticEngine;
  ref: Handlers;
  onReset(f: () => void): void;
}

/** A mutant from the handlers it replaces; every other operation is the reference's. */
export function defineMutant(
  def: Omit<Mutant, "create">,
  alter: (parts: MutantParts) => Partial<Handlers>,
): Mutant {
  return {
    ...def,
    create(): Implementation {
      const engine = new SemanticEngine();
      const ref = referenceHandlers(engine);
      const resets: (() => void)[] = [];
      const replaced = alter({ engine, ref, onReset: (f) => resets.push(f) });
      const handlers = { ...ref, ...replaced };
      const impl = implementationFrom(
        { ...REFERENCE_INFO, name: `mutant:${def.id}` },
        engine,
        handlers as Handlers,
      );
      // A mutant claims durability only when its defect lives there: the crash checks start processes and
      // take seconds, and every other mutant's store is the reference's, which they would only confirm.
      const capabilities = def.capabilities.includes("durability")
        ? impl.capabilities
        : impl.capabilities.filter((c) => c !== "durability");
      return {
        ...impl,
        capabilities,
        reset: () => {
          engine.reset();
          for (const f of resets) f();
        },
      };
    },
  };
}

/** The store behind the engine's handlers (opened on first use, as the handlers do). */
export function storeOf(engine: SemanticEngine): Store {
  return engine.currentStore();
}

/** The directory of the engine's disk store, once one is open. */
export function dirOf(engine: SemanticEngine): string | undefined {
  return engine.directory();
}

/** Throws an error answer the way the reference does (`{code, message}` becomes a protocol error). */
export function refuse(
  code: string,
  message: string,
  extra: { offset?: number; field?: string } = {},
): never {
  throw { code, message, ...extra };
}
