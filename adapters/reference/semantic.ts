// The reference engine's semantic capabilities behind the adapter contract: content index, store,
// structural index and materialization cache (spec/protocol.md section 6). One disk store per reset,
// in a fresh temporary directory, so that store.reopen is a real close and reopen of durable files; or,
// after store.open (DEC-041), the store kept in the directory the harness gave, synced on every write.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { AslError } from "../../reference/common/errors.ts";
import { type DiskStoreOptions, openDiskStore, type Store } from "../../reference/store/index.ts";
import { type DagNode, StructuralIndex } from "../../reference/structural-index/index.ts";
import type { Handlers, DagNode as WireNode } from "../interface.ts";
import {
  bytesArg,
  locationArg,
  locationWire,
  nodeShape,
  optU32,
  sidArg,
  state,
  stateArg,
  str,
} from "./convert.ts";

type SemanticOp = Extract<
  keyof import("../interface.ts").Ops,
  `ci.${string}` | `store.${string}` | `si.${string}` | `mc.${string}`
>;

/**
 * The bytes of log the disk store reads at a time when it opens (its read window; by default 4 MiB). Only
 * `npm run adequacy` changes it, to judge the window's re-reads with ordinary logs (test/adequacy/plan.ts):
 * the engine must answer the same through any window. In a served process (the crash checks' children)
 * it comes from ASL_REFERENCE_READ_WINDOW, a count of bytes.
 */
let readWindow: number | undefined = (() => {
  const w = Number(process.env.ASL_REFERENCE_READ_WINDOW ?? "");
  return Number.isSafeInteger(w) && w > 0 ? w : undefined;
})();
export function _setReadWindowForTest(bytes?: number): void {
  readWindow = bytes;
}
const windowed = (): DiskStoreOptions => (readWindow === undefined ? {} : { readChunk: readWindow });

export class SemanticEngine {
  private dir: string | undefined;
  private store: Store | undefined;
  /** True when the directory was given by store.open (DEC-041): the harness owns it, and every answer is durable. */
  private given = false;

  /** Lazy: the store is made by the first operation that needs one, so stateless checks cost no disk work. */
  reset(): void {
    this.close();
  }

  private options(): DiskStoreOptions {
    // DEC-041: on a directory the harness gave, an answer promises durability, so every write is synced
    // before it returns; the scratch store of the other checks syncs in batches (DEC-034: nothing there
    // can observe the difference).
    return { sync: this.given ? "always" : "batch", ...windowed() };
  }

  private open(): void {
    this.dir = mkdtempSync(join(tmpdir(), "asl-ref-"));
    this.given = false;
    this.store = openDiskStore(this.dir, this.options());
  }

  /** store.open (DEC-041): the store kept in `dir` becomes this engine's, recovered as after a crash. */
  openAt(dir: string, options: DiskStoreOptions = {}): Store {
    if (typeof dir !== "string" || !isAbsolute(dir))
      throw new AslError("CI_INVALID_ARGUMENT", "dir must be an absolute path", { field: "dir" });
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {}
    if (!isDir) throw new AslError("CI_INVALID_ARGUMENT", `${dir} is not a directory`, { field: "dir" });
    this.close();
    this.store = openDiskStore(dir, { sync: "always", ...windowed(), ...options });
    this.dir = dir;
    this.given = true;
    return this.store;
  }

  close(): void {
    try {
      this.store?.close();
    } catch {}
    // A directory the harness gave is the harness's: it is left as it is.
    if (this.dir && !this.given) rmSync(this.dir, { recursive: true, force: true });
    this.store = undefined;
    this.dir = undefined;
    this.given = false;
  }

  private s(): Store {
    if (!this.store) this.open();
    return this.store!;
  }

  /** The store behind the handlers (opened on first use, as they do): for the vector generator and the mutants, never for a check. */
  currentStore(): Store {
    return this.s();
  }

  /** The directory of the disk store, once one is open. */
  directory(): string | undefined {
    return this.dir;
  }

  readonly handlers: Handlers<SemanticOp> = {
    "ci.put": (a) => ({
      position: String(this.s().indexPut(a.key, locationArg(a.location), optU32(a.type_tag, "type_tag"))),
    }),
    "ci.tombstone": (a) => ({ position: String(this.s().tombstone(str(a.key, "key"))) }),
    "ci.lookup": (a) => {
      const v = this.s().lookup(str(a.key, "key"), stateArg(a.at));
      return v === undefined
        ? { found: false }
        : { found: true, location: locationWire(v.location), type_tag: v.typeTag ?? null };
    },
    "ci.current": () => state(this.s().current()),
    "ci.snapshot": () => state(this.s().snapshot()),
    "ci.install": (a) => state(this.s().install(str(a.snapshot, "snapshot"))),
    "ci.retire": (a) => {
      this.s().retire(str(a.snapshot, "snapshot"));
      return {};
    },
    "ci.digest": (a) => ({ digest: this.s().digest(stateArg(a.at)) }),
    "store.put": (a) => {
      const store = this.s();
      const r = store.put(
        bytesArg(a.bytes, "bytes"),
        optU32(a.type_tag, "type_tag"),
        (a.structure ?? undefined) as DagNode | undefined,
      );
      return {
        key: r.key,
        artifact_id: store.artifactId(r.key).toString(),
        location: locationWire(r.location),
        created: r.created,
        position: String(r.position),
        sid: r.sid ?? null,
      };
    },
    "store.get": (a) => ({ bytes: this.s().get(str(a.key, "key"), stateArg(a.at)) }),
    "store.reopen": () => {
      if (!this.dir || !this.store) this.open();
      this.store!.close();
      this.store = openDiskStore(this.dir!, this.options());
      return state(this.store.current());
    },
    "store.open": (a) => state(this.openAt(a.dir).current()),
    "si.register": (a) => ({ sid: this.s().structure.register(nodeShape(a.node)) }),
    "si.get": (a) => {
      const n = this.s().structure.get(sidArg(a.sid));
      return n === undefined ? { found: false } : { found: true, node: n as WireNode };
    },
    "si.entries": () => ({
      entries: this.s()
        .structure.entries()
        .map((e) => ({ sid: e.sid, node: e.node as WireNode })),
    }),
    "si.rebuild": (a) => {
      if (!Array.isArray(a.nodes))
        throw new AslError("PROTO_BAD_REQUEST", "nodes must be an array", { field: "nodes" });
      const rebuilt = StructuralIndex.rebuild(a.nodes.map((n, i) => nodeShape(n, `nodes[${i}]`)));
      this.s().replaceStructure(rebuilt);
      return { entries: rebuilt.entries().map((e) => ({ sid: e.sid, node: e.node as WireNode })) };
    },
    "mc.get": (a) => {
      const k = this.s().cache.get(sidArg(a.sid));
      return k === undefined ? { found: false } : { found: true, key: k };
    },
    "mc.entries": () => ({
      entries: this.s()
        .cache.entries()
        .map(([sid, key]) => ({ sid, key })),
    }),
    "mc.drop": () => {
      this.s().cache.drop();
      return {};
    },
    "mc.recompute": (a) => ({
      entries: this.s()
        .recomputeCache(stateArg(a.at))
        .map(([sid, key]) => ({ sid, key })),
    }),
  };
}
