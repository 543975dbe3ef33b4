// Helpers shared by the crash loop (tools/crashtest.ts) and the store-damage tests: what a call threw,
// and every file of a store directory as bytes (to show that nothing was destroyed).
import * as fs from "node:fs";
import { join } from "node:path";
import type { AslError } from "../reference/common/errors.ts";

/** The error f throws, or undefined when it returns. */
export const errorOf = (f: () => unknown): AslError | undefined => {
  try {
    f();
  } catch (e) {
    return e as AslError;
  }
  return undefined;
};

/** Every file under dir: relative path -> bytes. */
export function filesOf(dir: string, under = ""): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!fs.existsSync(join(dir, under))) return out;
  for (const e of fs.readdirSync(join(dir, under), { withFileTypes: true })) {
    const rel = under ? `${under}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of filesOf(dir, rel)) out.set(k, v);
    else out.set(rel, fs.readFileSync(join(dir, rel)));
  }
  return out;
}
