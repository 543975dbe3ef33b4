// Mutants written blind, from the spec alone: the segment writer (DEC-035: what seg.encode writes for the
// protocol's encoder input).
import { edgesById } from "../../../reference/tgk/edge.ts";
import { encoderInput } from "../../reference/segments.ts";
import { defineMutant, type Mutant } from "../mutant.ts";

const emptyProjectionBlockOmitted = defineMutant(
  {
    id: "blind-enc-empty-projection-block-omitted",
    description:
      "With node_projections true the writer emits the node-edge-ref block and HAS_NODE_PROJECTIONS only when there is at least one ref, instead of always (size_bytes 0 when no live TGK record derives any).",
    rules: ["ATXI-NPR-004", "ATXI-INV-008"],
    capabilities: ["segment-encode", "node-projections"],
  },
  ({ ref }) => ({
    "seg.encode": (a) => {
      const input = encoderInput(a.input);
      if (input.edges === undefined) return ref["seg.encode"](a);
      edgesById(input.edges as Parameters<typeof edgesById>[0]); // DEC-035: the edges are still checked
      const live = (a.input.tgk_records ?? []).some((r) => r.tombstone !== true);
      if (live) return ref["seg.encode"](a);
      return ref["seg.encode"]({ input: { ...a.input, node_projections: false } });
    },
  }),
);

export const segmentWriterMutants: readonly Mutant[] = [emptyProjectionBlockOmitted];
