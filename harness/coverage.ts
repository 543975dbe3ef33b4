// State-machine coverage of the content-index and store models (`run --coverage`): which (state,
// operation) transitions a run's traces and properties reach. A small shadow of DEC-020 follows every
// content-index or store operation and the reference's answer to it (which snapshots exist, which is the
// genesis, the base of CURRENT, which were made on the current line, which are retired, and whether the
// store was just reopened), and names the transition each operation takes: `install:older-line`,
// `lookup@retired:CI_SNAPSHOT_RETIRED`, `reopen-after:ci.retire`, `read-after-reopen`. The universe of
// transitions the models must reach is TRANSITIONS; a test runs the default suite and requires them all.

/** Every transition of the models; a default run must reach each at least once. */
export const TRANSITIONS: readonly string[] = [
  "put",
  "tombstone",
  "put-after-tombstone",
  "tombstone-of-absent",
  "lookup@current",
  "lookup@genesis:ok",
  "lookup@base:ok",
  "lookup@current-line:ok",
  "lookup@current-line:CI_POSITION_BEYOND_CURRENT",
  "lookup@any:CI_POSITION_BEFORE_SNAPSHOT",
  "lookup@older-line:ok",
  "lookup@older-line:CI_STATE_NOT_RETAINED",
  "lookup@retired:CI_SNAPSHOT_RETIRED",
  "lookup@unknown:CI_UNKNOWN_SNAPSHOT",
  "snapshot:new",
  "snapshot:existing",
  "snapshot:re-retain",
  "install:genesis",
  "install:base",
  "install:current-line",
  "install:older-line",
  "install:retired",
  "retire:genesis",
  "retire:base",
  "retire:current-line",
  "retire:older-line",
  "retire:retired",
  "digest@current",
  "digest@state",
  "put@store",
  "put@store:visible",
  "get@current",
  "get@state",
  "get:STORE_NOT_FOUND",
  "reopen-after:ci.put",
  "reopen-after:ci.tombstone",
  "reopen-after:ci.snapshot",
  "reopen-after:ci.install",
  "reopen-after:ci.retire",
  "reopen-after:store.put",
  "read-after-reopen",
];

type Kind = "genesis" | "base" | "current-line" | "older-line" | "retired" | "unknown";

interface SnapshotShadow {
  position: number;
  line: number;
  retired: boolean;
}

/** The shadow of one implementation's content-index state, fed with requests and the reference's answers. */
export class TransitionTracker {
  private readonly snaps = new Map<string, SnapshotShadow>();
  private genesis: string | undefined;
  private base: string | undefined;
  private line = 0;
  private lastWrite: string | undefined;
  private reopened = false;
  private readonly visible = new Set<string>();

  constructor(private readonly hit: (transition: string) => void) {}

  private kindOf(id: unknown): Kind {
    if (typeof id !== "string") return "unknown";
    const s = this.snaps.get(id);
    if (!s) return "unknown";
    if (s.retired) return "retired";
    if (id === this.genesis) return "genesis";
    if (id === this.base) return "base";
    return s.line === this.line ? "current-line" : "older-line";
  }

  private state(ok: unknown): { snapshot?: string; position?: number } {
    const o = ok as { snapshot?: unknown; position?: unknown } | undefined;
    return {
      ...(typeof o?.snapshot === "string" ? { snapshot: o.snapshot } : {}),
      ...(typeof o?.position === "string" ? { position: Number(o.position) } : {}),
    };
  }

  private learn(id: string | undefined, position: number | undefined): boolean {
    if (id === undefined) return false;
    const known = this.snaps.has(id);
    if (!known) {
      this.snaps.set(id, { position: position ?? 0, line: this.line, retired: false });
      if (this.genesis === undefined && position === 0) this.genesis = id;
    }
    return known;
  }

  private read(): void {
    if (this.reopened) this.hit("read-after-reopen");
    this.reopened = false;
  }

  private write(op: string): void {
    this.lastWrite = op;
    this.reopened = false;
  }

  /** One request (wire args, ids as the reference knows them) and the reference's answer. */
  observe(op: string, args: Record<string, unknown>, answer: { ok: unknown } | { error: string }): void {
    const ok = "ok" in answer ? answer.ok : undefined;
    const err = "error" in answer ? answer.error : undefined;
    const at = args.at as { snapshot?: unknown } | null | undefined;
    const where = (t: string) => (at ? `${t}@${this.kindOf(at.snapshot)}` : `${t}@current`);
    switch (op) {
      case "ci.current": {
        const s = this.state(ok);
        this.learn(s.snapshot, s.position);
        this.base ??= s.snapshot;
        this.read();
        break;
      }
      case "ci.put":
      case "ci.tombstone": {
        if (err) break;
        const key = String(args.key);
        if (op === "ci.put")
          this.hit(this.visible.has(key) ? "put" : this.wasTombstoned(key) ? "put-after-tombstone" : "put");
        else this.hit(this.visible.has(key) ? "tombstone" : "tombstone-of-absent");
        if (op === "ci.put") this.visible.add(key);
        else {
          this.visible.delete(key);
          this.tombstoned.add(key);
        }
        this.write(op);
        break;
      }
      case "ci.lookup":
      case "store.get": {
        const t = op === "ci.lookup" ? "lookup" : "get";
        if (op === "store.get") {
          if (err === "STORE_NOT_FOUND") this.hit("get:STORE_NOT_FOUND");
          this.hit(at ? "get@state" : "get@current");
        } else if (!at) this.hit("lookup@current");
        else if (err === "CI_POSITION_BEFORE_SNAPSHOT") this.hit("lookup@any:CI_POSITION_BEFORE_SNAPSHOT");
        else this.hit(`${where(t)}:${err ?? "ok"}`);
        this.read();
        break;
      }
      case "ci.digest":
        this.hit(at ? "digest@state" : "digest@current");
        this.read();
        break;
      case "ci.snapshot": {
        if (err) break;
        const s = this.state(ok);
        const prior = s.snapshot ? this.snaps.get(s.snapshot) : undefined;
        if (prior?.retired) {
          this.hit("snapshot:re-retain");
          prior.retired = false;
        } else this.hit(prior ? "snapshot:existing" : "snapshot:new");
        if (prior) prior.line = this.line;
        else this.learn(s.snapshot, s.position);
        this.write(op);
        break;
      }
      case "ci.install": {
        this.hit(`install:${this.kindOf(args.snapshot)}`);
        if (err) break;
        const s = this.state(ok);
        this.learn(s.snapshot, s.position);
        this.line++;
        this.base = s.snapshot;
        if (s.snapshot) {
          const shadow = this.snaps.get(s.snapshot);
          if (shadow) shadow.line = this.line;
        }
        this.visible.clear();
        this.tombstoned.clear();
        this.write(op);
        break;
      }
      case "ci.retire": {
        this.hit(`retire:${this.kindOf(args.snapshot)}`);
        if (!err && typeof args.snapshot === "string") {
          const s = this.snaps.get(args.snapshot);
          if (s) s.retired = true;
        }
        this.write(op);
        break;
      }
      case "store.put": {
        if (err) break;
        const created = (ok as { created?: boolean } | undefined)?.created;
        this.hit(created === false ? "put@store:visible" : "put@store");
        this.write(op);
        break;
      }
      case "store.reopen":
        if (this.lastWrite) this.hit(`reopen-after:${this.lastWrite}`);
        this.reopened = true;
        break;
    }
  }

  private readonly tombstoned = new Set<string>();
  private wasTombstoned(key: string): boolean {
    return this.tombstoned.has(key);
  }
}

/** Counts of transitions reached, by source (traces, properties). */
export class CoverageCounter {
  readonly counts = new Map<string, { traces: number; properties: number }>();
  tracker(source: "traces" | "properties"): TransitionTracker {
    return new TransitionTracker((t) => {
      const c = this.counts.get(t) ?? { traces: 0, properties: 0 };
      c[source]++;
      this.counts.set(t, c);
    });
  }
  unreached(): string[] {
    return TRANSITIONS.filter((t) => !this.counts.has(t));
  }
  table(): string[] {
    const rows = TRANSITIONS.map((t) => {
      const c = this.counts.get(t) ?? { traces: 0, properties: 0 };
      return `  ${t.padEnd(48)} ${String(c.traces).padStart(6)} ${String(c.properties).padStart(10)}${c.traces + c.properties === 0 ? "   NOT REACHED" : ""}`;
    });
    return [`  ${"transition".padEnd(48)} ${"traces".padStart(6)} ${"properties".padStart(10)}`, ...rows];
  }
}
