// The in-process adapter: an Implementation object (the reference engine, a mutant, or a TypeScript/
// JavaScript module given with --adapter) called directly. A thrown error with a code becomes an error
// answer; anything else thrown becomes INTERNAL. With `validate`, arguments and results are checked
// against the protocol schema in their wire form, as the process adapter does.
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { answerBatch } from "./batch.ts";
import type {
  Adapter,
  CallOptions,
  HelloResult,
  Implementation,
  OpArgs,
  OpName,
  OpResult,
  Outcome,
  WireError,
} from "./interface.ts";
import { PROTOCOL_VERSION } from "./interface.ts";
import { AdapterStartError } from "./process.ts";
import { protocolViolation } from "./validate.ts";
import { toWire } from "./wire.ts";

export function errorAnswer(e: unknown): WireError {
  if (e && typeof e === "object" && typeof (e as { code?: unknown }).code === "string") {
    const x = e as { code: string; message?: string; offset?: number; field?: string; rule?: string };
    const out: WireError = { code: x.code, message: x.message ?? "" };
    if (typeof x.offset === "number") out.offset = x.offset;
    if (typeof x.field === "string") out.field = x.field;
    if (typeof x.rule === "string") out.rule = x.rule;
    return out;
  }
  return { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) };
}

export class InProcessAdapter implements Adapter {
  readonly hello: HelloResult;

  constructor(
    private readonly impl: Implementation,
    private readonly opts: { validate?: boolean } = {},
  ) {
    this.hello = {
      protocol: PROTOCOL_VERSION,
      implementation: impl.info,
      capabilities: [...impl.capabilities],
    };
  }

  async call<O extends OpName>(
    op: O,
    args: OpArgs<O>,
    opts: CallOptions = {},
  ): Promise<Outcome<OpResult<O>>> {
    // The protocol's own operations are the adapter's, as `serve` answers them over the process protocol:
    // the module sees neither hello nor reset as a request, and a batch is the adapter's loop over it.
    if ((op as string) === "batch") {
      const a = await answerBatch((args ?? {}) as Record<string, unknown>, async (o, x) => {
        const r = await this.call(o as OpName, x as never, opts);
        return "error" in r ? { error: r.error } : { ok: r.ok };
      });
      return ("error" in a ? { error: a.error } : { ok: a.ok }) as Outcome<OpResult<O>>;
    }
    if (["hello", "reset", "shutdown"].includes(op as string))
      return {
        error: { code: "PROTO_BAD_REQUEST", message: `${op} is a lifecycle request, not an operation here` },
      };
    if (this.opts.validate && !opts.unchecked) {
      const v = protocolViolation("args", op, toWire(args));
      if (v)
        return {
          error: { code: "PROTO_BAD_REQUEST", message: `the harness built a bad request: ${v}` },
          fault: true,
        };
    }
    try {
      const result = await this.impl.handle(op, args);
      if (this.opts.validate) {
        const v = protocolViolation("result", op, toWire(result));
        if (v) return { error: { code: "PROTO_MALFORMED_MESSAGE", message: v }, fault: true };
      }
      return { ok: result };
    } catch (e) {
      return { error: errorAnswer(e) };
    }
  }

  async batch(
    requests: { op: OpName; args: unknown }[],
    opts: CallOptions = {},
  ): Promise<Outcome<unknown>[]> {
    const o = await this.call("batch" as OpName, { requests } as never, opts);
    if ("error" in o) return requests.map(() => o);
    return (o.ok as unknown as { responses: Outcome<unknown>[] }).responses;
  }

  async reset(): Promise<Outcome<Record<string, never>>> {
    try {
      await this.impl.reset();
      return { ok: {} };
    } catch (e) {
      return { error: errorAnswer(e), fault: true };
    }
  }

  async close(): Promise<void> {
    await this.impl.close?.();
  }

  stderrTail(): string {
    return "";
  }
}

/** An object shaped like an Implementation (it answers requests). */
function answers(x: unknown): boolean {
  return !!x && typeof x === "object" && typeof (x as { handle?: unknown }).handle === "function";
}

/** What an import error says, in one line: esbuild's first ERROR line rather than "Transform failed with 1 error:". */
function loadErrorLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const line = (lines.find((l) => /\bERROR: /.test(l)) ?? lines[0] ?? "an empty error").trim();
  const code = (e as { code?: unknown } | null)?.code;
  return /top-level await/i.test(text) || code === "ERR_REQUIRE_ASYNC_MODULE"
    ? `${line} (the module is loaded as CommonJS, which cannot import a module that uses top-level await: import it with \`await import()\` inside createImplementation(), or make the module ESM: "type": "module" in its package.json, or the .mts extension)`
    : line;
}

/**
 * Loads `--adapter ./module.ts` (.ts, .mts, .cts, .js, .mjs, .cjs, in an ES module or a CommonJS package):
 * its default export, `implementation`, or `createImplementation()` (called, and awaited). A CommonJS
 * module arrives as `{ default: module.exports }`, and TypeScript compiled to CommonJS as
 * `{ default: { default, implementation, ... } }`: both layers are looked into.
 */
let tsxReady: Promise<void> | undefined;

/**
 * An adapter module may be TypeScript, or ES module syntax in a CommonJS package: tsx's hooks load both.
 * A clone registers them at start-up (bin/asl-conform.js); the installed package, which runs compiled
 * JavaScript, registers them here on first need.
 */
function ensureTsx(): Promise<void> {
  tsxReady ??= (async () => {
    const flag = Symbol.for("asl-conform.tsx");
    if ((globalThis as Record<symbol, unknown>)[flag]) return;
    const [esm, cjs] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
    esm.register();
    cjs.register();
    (globalThis as Record<symbol, unknown>)[flag] = true;
  })();
  return tsxReady;
}

export async function loadModuleImplementation(path: string, cwd = process.cwd()): Promise<Implementation> {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  await ensureTsx();
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new AdapterStartError(`cannot load the adapter module ${path}: ${loadErrorLine(e)}`);
  }
  const names = (m: Record<string, unknown>) =>
    Object.keys(m).filter((k) => k !== "default" && k !== "__esModule" && k !== "module.exports");
  // A default export that is an object but no Implementation is a CommonJS module.exports (or a
  // TypeScript module compiled to CommonJS): look into it before the outer layer.
  const inner = mod.default;
  const cjs = inner !== null && typeof inner === "object" && !answers(inner);
  const innerLayer = cjs ? (inner as Record<string, unknown>) : undefined;
  const layers: [Record<string, unknown>, boolean][] = innerLayer
    ? [
        [innerLayer, true],
        [mod, false],
      ]
    : [[mod, true]];
  if (
    (innerLayer
      ? Object.keys(innerLayer).filter((k) => k !== "__esModule").length === 0
      : inner === undefined) &&
    names(mod).length === 0
  )
    throw new AdapterStartError(
      `the adapter module ${path} exports nothing: it needs a default export, \`implementation\` or \`createImplementation()\` giving an Implementation {info, capabilities, reset(), handle(op, args)} (see adapters/interface.ts)`,
    );
  let impl: unknown = innerLayer;
  for (const [m, defaultCounts] of layers) {
    if (defaultCounts && m.default !== undefined) impl = m.default;
    else if (m.implementation !== undefined) impl = m.implementation;
    else if (typeof m.createImplementation === "function")
      impl = await (m.createImplementation as () => unknown)();
    else continue;
    break;
  }
  if (typeof impl === "function") impl = await (impl as () => unknown)();
  const i = impl as Partial<Implementation> | undefined;
  const missing: string[] = [];
  if (!i || typeof i !== "object")
    missing.push("an exported implementation (default export, `implementation` or `createImplementation()`)");
  else {
    if (!i.info || typeof i.info.name !== "string") missing.push("info {name, version, language}");
    if (!Array.isArray(i.capabilities)) missing.push("capabilities (array)");
    if (typeof i.reset !== "function") missing.push("reset()");
    if (typeof i.handle !== "function") missing.push("handle(op, args)");
  }
  if (missing.length > 0)
    throw new AdapterStartError(
      `the adapter module ${path} lacks ${missing.join(", ")} (see adapters/interface.ts)`,
    );
  return i as Implementation;
}
