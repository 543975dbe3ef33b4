// The artifact_id collision of trace/store-artifact-id-pair (harness/checks/artifact-id.ts) is a real one: two texts whose SHA-256
// digests share their first 8 bytes (DEC-015's artifact_id), and differ after them. The search that found
// them (tools/artifact-id-pair.c, about 2^32 hashes) is not run here; only its answer is checked.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ARTIFACT_ID_PAIR } from "../../harness/checks/artifact-id.ts";

const sha = (t: string) => createHash("sha256").update(t, "utf8").digest("hex");

describe("the artifact_id pair", () => {
  it("[ATXI-INV-001] has two different texts whose SHA-256 share the first 8 bytes and no more", () => {
    const [a, b] = ARTIFACT_ID_PAIR.map(sha);
    expect(ARTIFACT_ID_PAIR[0]).not.toBe(ARTIFACT_ID_PAIR[1]);
    expect(a!.slice(0, 16)).toBe("bdec36d58ac57b5c");
    expect(b!.slice(0, 16)).toBe(a!.slice(0, 16));
    expect(b!.slice(16, 18)).not.toBe(a!.slice(16, 18));
  });
});
