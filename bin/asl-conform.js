#!/usr/bin/env node
// Entry point of `asl-conform`: the sources are TypeScript, run through tsx's loader, so a fresh
// clone works after `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
