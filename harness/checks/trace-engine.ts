// Drives a semantic trace (reference/traces) through an adapter: each trace step becomes one protocol
// operation. An error answer is thrown as {code}, which the replay records as the step's observation; a
// transport fault is thrown as an Error, which ends the check as errored.
import type { Adapter, OpArgs, OpName, OpResult } from "../../adapters/interface.ts";
import type {
  ArtifactLocation,
  IndexState,
  IndexValue,
  StateRequest,
} from "../../reference/content-index/index.ts";
import type { ContentIndexEngine, StoreEngine } from "../../reference/traces/replay.ts";

export function adapterTraceEngine(adapter: Adapter): ContentIndexEngine & StoreEngine {
  async function call<O extends OpName>(op: O, args: OpArgs<O>): Promise<OpResult<O>> {
    const o = await adapter.call(op, args);
    if ("error" in o) {
      if (o.fault) throw new Error(`${op}: ${o.error.code}: ${o.error.message}`);
      throw { code: o.error.code, message: o.error.message };
    }
    return o.ok;
  }
  const at = (a: StateRequest | undefined) =>
    a === undefined ? null : { snapshot: a.snapshot, position: String(a.position) };
  const state = (s: { snapshot: string; position: string }): IndexState => ({
    snapshot: s.snapshot,
    position: s.position as unknown as number,
  });
  const location = (l: ArtifactLocation) => ({
    block_id: String(l.blockId),
    offset: String(l.offset),
    length: String(l.length),
  });
  return {
    put: ((keyOrBytes: string | Uint8Array, locOrTag?: ArtifactLocation | number, typeTag?: number) => {
      if (keyOrBytes instanceof Uint8Array) {
        return call("store.put", {
          bytes: keyOrBytes,
          type_tag: (locOrTag as number | undefined) ?? null,
          structure: null,
        }).then((r) => ({ key: r.key, created: r.created, position: r.position as unknown as number }));
      }
      return call("ci.put", {
        key: keyOrBytes,
        location: location(locOrTag as ArtifactLocation),
        type_tag: typeTag ?? null,
      }).then((r) => r.position as unknown as number);
    }) as never,
    tombstone: async (key) => (await call("ci.tombstone", { key })).position as unknown as number,
    lookup: async (key, a): Promise<IndexValue | undefined> => {
      const r = await call("ci.lookup", { key, at: at(a) });
      if (!r.found) return undefined;
      const l = r.location;
      return {
        location: { blockId: l.block_id, offset: l.offset, length: l.length } as unknown as ArtifactLocation,
        typeTag: r.type_tag ?? undefined,
      };
    },
    get: async (key, a) => (await call("store.get", { key, at: at(a) })).bytes,
    current: async () => state(await call("ci.current", {})),
    snapshot: async () => state(await call("ci.snapshot", {})),
    install: async (id) => state(await call("ci.install", { snapshot: id })),
    retire: async (id) => {
      await call("ci.retire", { snapshot: id });
    },
    digest: async (a) => (await call("ci.digest", { at: at(a) })).digest,
  };
}
