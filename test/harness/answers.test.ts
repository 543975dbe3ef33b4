// How an answer is compared with the expected one: errors an answer carries inside it (seg.query answers
// a query the set refuses in that query's place) are compared by code; their message is informative
// (spec/protocol.md), as the request's own error message is.
import { describe, expect, it } from "vitest";
import { compareAnswer } from "../../harness/traces/replay.ts";
import { SnapshotBinding } from "../../harness/traces/snapshots.ts";

const expected = {
  ok: {
    answers: [{ found: true }, { error: { code: "QRY_NO_PROJECTIONS", message: "the reference's words" } }],
  },
};
const answer = (code: string, message: string) => ({
  ok: { answers: [{ found: true }, { error: { code, message } }] },
});

describe("compareAnswer", () => {
  it("compares an error inside an answer by its code, not its message", () => {
    const same = compareAnswer(
      expected,
      answer("QRY_NO_PROJECTIONS", "other words"),
      new SnapshotBinding(),
      "q",
    );
    expect(same).toEqual([]);
    const other = compareAnswer(
      expected,
      answer("QRY_UNKNOWN_BLOCK", "the reference's words"),
      new SnapshotBinding(),
      "q",
    );
    expect(other.map((f) => f.field)).toEqual([".answers[1].error.code"]);
  });

  it("still compares every other member of the answer", () => {
    const got = {
      ok: { answers: [{ found: false }, { error: { code: "QRY_NO_PROJECTIONS", message: "x" } }] },
    };
    expect(compareAnswer(expected, got, new SnapshotBinding(), "q").map((f) => f.field)).toEqual([
      ".answers[0].found",
    ]);
  });
});
