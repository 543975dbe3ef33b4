#!/usr/bin/env node
// Entry point of `asl-conform`: the sources are TypeScript, run through tsx's loader, so a fresh
// clone works after `npm ci` with no build step. Both of tsx's hooks are registered, as `tsx` itself
// does: the ESM one for the sources, and the CommonJS one so that an --adapter module in a CommonJS
// package (no "type", or "type": "commonjs"), or a .cts/.cjs file, is compiled too (Node loads those
// through require, which the ESM hook alone does not reach).
import { register as registerCommonJs } from "tsx/cjs/api";
import { register } from "tsx/esm/api";

register();
registerCommonJs();
await import("../cli/main.ts");
