// Property of capabilities filter-bloom and filter-xor: random key sets build the reference's payload, and
// every member probes as possibly present (no false negatives: ENC-ASL-TGK-INDEX sections 5 and 12,
// DEC-009, DEC-010). Once per check, an xor8 payload whose block_length is above 2^21 is probed with a key
// whose index product r x block_length is one below a multiple of 2^32 and above 2^53: DEC-010's
// floor(r x bl / 2^32) is exact, and a product rounded in a double lands on the next fingerprint.
import fc from "fast-check";
import { Divergence, faultOf, newPair, type Pair, type PropertyEnv, same } from "./differential.ts";
import type { PropertySpec } from "./spec.ts";

export const u64s = fc
  .oneof(fc.bigInt({ min: 0n, max: 40n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
  .map(String);
const RULES = ["ATXI-FLT-002", "ATXI-FLT-004", "ATXI-FLT-005", "ATXI-FLT-007", "ATXI-FLT-008"];

const M32 = (1n << 32n) - 1n;
const M64 = (1n << 64n) - 1n;

/** DEC-008's fmix64. */
function fmix64(x: bigint): bigint {
  let h = x & M64;
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & M64;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & M64;
  return h ^ (h >> 33n);
}

/** x^-1 modulo 2^k (x odd; `mask` = 2^k - 1), by Newton's iteration. */
export function inverseMod2k(x: bigint, mask: bigint): bigint {
  let y = x;
  for (let i = 0; i < 7; i++) y = (y * (2n - x * y)) & mask;
  return y;
}

/** The key whose DEC-008 mix is `h` (fmix64 is a bijection of the u64s: each step is invertible). */
export function unmix(h: bigint): bigint {
  let x = h ^ (h >> 33n);
  x = (x * inverseMod2k(0xc4ceb9fe1a85ec53n, M64)) & M64;
  x ^= x >> 33n;
  x = (x * inverseMod2k(0xff51afd7ed558ccdn, M64)) & M64;
  x ^= x >> 33n;
  if (fmix64(x) !== h) throw new Error(`unmix(${h}) is wrong`);
  return x;
}

/**
 * The xor8 payload of block_length 2097785 (odd, > 2^21) and seed 0, and the keys to probe: the key whose
 * hash has low word r = -bl^-1 mod 2^32 (so r x bl = 2^32 k - 1 > 2^53: index_0 = k - 1 exactly, k in a
 * double) and whose fingerprint is set at k - 1, and a key whose fingerprint is set nowhere. Built once.
 */
let large: { payload: Uint8Array; keys: string[] } | undefined;
function largeXor8(): { payload: Uint8Array; keys: string[] } {
  if (large) return large;
  const bl = 2097785n;
  const r = -inverseMod2k(bl, M32) & M32;
  const h = (0x5a5a5a00n << 32n) | r;
  const key = unmix(h);
  if (fmix64(key) !== h || (r * bl) % (1n << 32n) !== M32 || r * bl < 1n << 53n)
    throw new Error("filters property: the large xor8 key is wrong");
  const payload = new Uint8Array(16 + 3 * Number(bl));
  const dv = new DataView(payload.buffer);
  dv.setUint32(8, Number(bl), true);
  // index_1 and index_2 fall in the other two blocks, whose fingerprints are all zero.
  payload[16 + Number((r * bl) >> 32n)] = Number((h ^ (h >> 32n)) & 0xffn);
  large = { payload, keys: [key.toString(), "0", "1"] };
  return large;
}

const probedLarge = new WeakSet<PropertyEnv>();

/** The large-block probe, compared on the results only (the request is too large to print or record). */
async function probeLargeXor8(p: Pair, env: PropertyEnv): Promise<void> {
  const args = { kind: "xor8" as const, ...largeXor8() };
  const ref = await p.ref.call("filter.probe", args);
  const impl = await p.impl.call("filter.probe", args);
  if ("error" in impl && impl.fault)
    throw faultOf(env, impl.error.code, `filter.probe: ${impl.error.message}`);
  env.observed.add("ATXI-FLT-008");
  const show = (o: typeof ref) => JSON.stringify("error" in o ? o.error.code : o.ok);
  if (show(ref) !== show(impl))
    throw new Divergence(
      `filter.probe of an xor8 payload with block_length 2097785 (keys ${args.keys.join(", ")}): expected ${show(ref)}, got ${show(impl)}`,
      ["ATXI-FLT-008"],
      { expected: show(ref), actual: show(impl) },
    );
}

export const filtersProperty: PropertySpec = {
  name: "filters",
  title:
    "filters: random key sets build the reference's payload, and every member probes as possibly present",
  rules: RULES,
  capabilities: ["filter-bloom", "filter-xor"],
  property: (ctx, env) =>
    fc.asyncProperty(
      fc.constantFrom("bloom", "xor8"),
      fc.array(u64s, { maxLength: 60 }),
      async (kind, keys) => {
        const p = newPair(ctx.adapter, ctx.reference, env);
        if (!probedLarge.has(env) && !env.recorder && env.claimed.has("filter-xor")) {
          probedLarge.add(env);
          await probeLargeXor8(p, env);
        }
        const built = await same(p, "filter.build", () => ({ kind: kind as "bloom" | "xor8", keys }), {
          rules: RULES,
        });
        if (!("ok" in built.ref)) return;
        const payload = (built.ref.ok as { payload: Uint8Array }).payload;
        await same(p, "filter.probe", () => ({ kind: kind as "bloom" | "xor8", payload, keys }), {
          rules: RULES,
        });
      },
    ),
};
