// Hash functions the profile names: SHA-256 for identities (DEC-015, DEC-016, DEC-017, DEC-018) and XXH64
// for the segment checksum (DEC-006). SHA-256 comes from @noble/hashes (audited, no native code);
// XXH64 from xxhash-wasm (a WebAssembly build of the reference C code: about 10x faster than a BigInt
// implementation in JavaScript, and independent of our code, which is what a checksum oracle should be).
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import xxhash from "xxhash-wasm";

const xx = await xxhash();

export function sha256(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes);
}

/** An incremental SHA-256, for encodings built from several parts. */
export function sha256Parts(parts: readonly Uint8Array[]): Uint8Array {
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** XXH64 with a seed (DEC-006 uses seed 0), over the concatenation of the given parts. */
export function xxh64(parts: readonly Uint8Array[], seed = 0n): bigint {
  if (parts.length === 1) return xx.h64Raw(parts[0]!, seed);
  const h = xx.create64(seed);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** An incremental XXH64 (update with parts as they come, then digest): for segments streamed to disk. */
export function xxh64Stream(seed = 0n): { update(part: Uint8Array): unknown; digest(): bigint } {
  return xx.create64(seed);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** Parses lowercase or uppercase hex; returns undefined when the text is not hex of even length. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The first 8 bytes of a digest read big-endian: how DEC-015 and DEC-016 cut a 64-bit id from SHA-256. */
export function first8BigEndian(digest: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(digest[i]!);
  return v;
}
