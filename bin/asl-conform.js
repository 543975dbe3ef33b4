#!/usr/bin/env node
// Entry point of `asl-conform`. In a clone the sources are TypeScript, run through tsx's loader, so a
// fresh clone works after `npm ci` with no build step: both of tsx's hooks are registered, as `tsx` itself
// does (the ESM one for the sources, the CommonJS one so that an --adapter module in a CommonJS package,
// or a .cts/.cjs file, is compiled too). The installed package ships no sources but compiled JavaScript
// (dist/, built by `npm pack`'s prepack): it starts without tsx, and registers tsx only when it loads an
// --adapter module (adapters/in-process.ts).
import { existsSync } from "node:fs";

if (existsSync(new URL("../cli/main.ts", import.meta.url))) {
  const { register: registerCommonJs } = await import("tsx/cjs/api");
  const { register } = await import("tsx/esm/api");
  register();
  registerCommonJs();
  globalThis[Symbol.for("asl-conform.tsx")] = true;
  await import("../cli/main.ts");
} else {
  await import("../dist/cli/main.js");
}
