// The structural index (ASL/INDEXES/1 2.2): public surface. It reads no stored bytes (IDX-DEP-002).
export { canonicalNode, computeSid, type DagInput, type DagNode, encodeNode, type Sid } from "./node.ts";
export { type DagEntry, type DagReader, StructuralIndex } from "./structural-index.ts";
