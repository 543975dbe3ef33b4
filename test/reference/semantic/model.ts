// An obviously correct model of the content index for the model-based tests: a full copy of the state
// at every position of every line, snapshots as full copies, DEC-020's retention rule written out
// literally, and the DEC-018 digest recomputed from scratch with BigInt for every state.
import { sha256Parts, toHex } from "../../../reference/common/hash.ts";

export interface V {
  blockId: bigint;
  offset: bigint;
  length: bigint;
  typeTag: number | undefined;
}
type State = Map<string, V>;

const enc = new TextEncoder();
function u64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
}
function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));
}

/** DEC-018 digest of a whole state, from scratch. */
export function digestOf(state: State): string {
  let sum = 0n;
  for (const [k, v] of state) {
    const tag = new Uint8Array(5);
    tag[0] = v.typeTag === undefined ? 0 : 1;
    new DataView(tag.buffer).setUint32(1, v.typeTag ?? 0, true);
    const e = sha256Parts([
      enc.encode("ASL-CI-ENTRY/1"),
      hexBytes(k),
      u64(v.blockId),
      u64(v.offset),
      u64(v.length),
      tag,
    ]);
    sum += BigInt(`0x${toHex(e)}`);
  }
  return (sum % (1n << 256n)).toString(16).padStart(64, "0");
}

export function idOf(position: number, state: State): string {
  return toHex(sha256Parts([enc.encode("ASL-SNAPSHOT/1"), u64(BigInt(position)), hexBytes(digestOf(state))]));
}

interface Snap {
  id: string;
  position: number;
  state: State;
  line: number;
  retired: boolean;
}

export class Model {
  /** states[i] = the state at position start + i on the current line. */
  start = 0;
  states: State[] = [new Map()];
  line = 0;
  baseId: string;
  snaps = new Map<string, Snap>();
  genesisId: string;

  constructor() {
    this.genesisId = idOf(0, new Map());
    this.baseId = this.genesisId;
    this.snaps.set(this.genesisId, {
      id: this.genesisId,
      position: 0,
      state: new Map(),
      line: 0,
      retired: false,
    });
  }

  digestOfState(state: State): string {
    return digestOf(state);
  }

  get tail(): number {
    return this.start + this.states.length - 1;
  }
  get now(): State {
    return this.states[this.states.length - 1]!;
  }

  put(key: string, v: V): number {
    const next = new Map(this.now);
    next.set(key, v);
    this.states.push(next);
    return this.tail - 1;
  }
  tombstone(key: string): number {
    const next = new Map(this.now);
    next.delete(key);
    this.states.push(next);
    return this.tail - 1;
  }
  snapshot(): { snapshot: string; position: number } {
    const id = idOf(this.tail, this.now);
    const s = this.snaps.get(id);
    if (s === undefined)
      this.snaps.set(id, { id, position: this.tail, state: this.now, line: this.line, retired: false });
    else {
      s.line = this.line;
      s.retired = false;
    }
    return { snapshot: id, position: this.tail };
  }
  /** Returns an error code or undefined. */
  install(id: string): string | undefined {
    const s = this.snaps.get(id);
    if (s === undefined) return "CI_UNKNOWN_SNAPSHOT";
    if (s.retired) return "CI_SNAPSHOT_RETIRED";
    this.line++;
    this.start = s.position;
    this.states = [s.state];
    this.baseId = id;
    return undefined;
  }
  retire(id: string): string | undefined {
    const s = this.snaps.get(id);
    if (s === undefined) return "CI_UNKNOWN_SNAPSHOT";
    if (s.retired) return "CI_SNAPSHOT_RETIRED";
    if (id === this.baseId || id === this.genesisId) return "CI_SNAPSHOT_IN_USE";
    s.retired = true;
    return undefined;
  }
  /** DEC-020, literally: the state at (S, P), or the error code. */
  at(id: string, p: number): State | string {
    const s = this.snaps.get(id);
    if (s === undefined) return "CI_UNKNOWN_SNAPSHOT";
    if (s.retired) return "CI_SNAPSHOT_RETIRED";
    if (p < s.position) return "CI_POSITION_BEFORE_SNAPSHOT";
    if (s.line === this.line || id === this.baseId) {
      if (p > this.tail) return "CI_POSITION_BEYOND_CURRENT";
      return this.states[p - this.start]!;
    }
    return p === s.position ? s.state : "CI_STATE_NOT_RETAINED";
  }
}
