// Vitest for `npm run adequacy` only: the conformance suite as Stryker's test runner (test/adequacy).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/adequacy/**/*.adequacy.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
