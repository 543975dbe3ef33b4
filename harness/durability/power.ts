// The power-cut mode of the crash checks: the implementation runs under the interposer of
// adapters/powercut (DEC-040), and after each kill its directory goes back to what it had made durable.
// Half of the cuts lose every byte not synced; the other half leave torn tails ("torn": none, a prefix, a
// zero-filled length or all of what was appended since the last sync), chosen from the seed.
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
    async cut(dir, shadow) {
      const n = cuts++;
      const tails = n % 2 === 0 ? "lost" : "torn";
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
