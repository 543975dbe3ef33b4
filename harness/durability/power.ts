// The power-cut mode of the crash checks: the implementation runs under the interposer of
// adapters/powercut (DEC-040), and after each kill its directory goes back to what it had made durable.
// A third of the cuts lose every byte not synced; the others leave torn tails ("torn": none, a prefix, a
// zero-filled length or all of what was appended since the last sync), chosen from the seed. A kill "at a
// write" lands just before the operation's first or second sync, where the interposer holds the process.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  powerCut,
  powercutAvailable,
  powercutEnv,
  preparePowercut,
} from "../../adapters/powercut/powercut.ts";
import type { PowerCut } from "./crash.ts";

export function powerCutSimulation(seed: number): PowerCut | { unavailable: string } {
  const a = powercutAvailable();
  if (!a.ok) return { unavailable: a.reason };
  let cuts = 0;
  return {
    prepare: (dir, shadow) => preparePowercut(dir, shadow),
    env: (dir, shadow) => powercutEnv(dir, shadow),
    // The interposer's hold file (powercut.c, maybe_hold): the count of syncs to let through.
    hold(shadow, syncs) {
      const file = join(shadow, "hold");
      if (syncs > 0) writeFileSync(file, `${syncs}\n`);
      else rmSync(file, { force: true });
    },
    held(shadow) {
      try {
        return readFileSync(join(shadow, "hold"), "utf8") === "held\n";
      } catch {
        return false;
      }
    },
    async cut(dir, shadow, lost = false) {
      const n = cuts++;
      const tails = lost || n % 3 === 0 ? "lost" : "torn";
      const s = await powerCut(dir, shadow, { tails, seed: (seed ^ n) >>> 0 });
      return {
        files: s.filesRolledBack,
        bytes: s.bytesDiscarded,
        removed: s.entriesRemoved,
        restored: s.entriesRestored,
      };
    },
  };
}
