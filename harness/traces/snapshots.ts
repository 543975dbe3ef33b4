// Binding the states a sequence names ({"ref": "s3"}, or the reference engine's own id in a differential
// property) to the SnapshotIDs an implementation answers. What ASL-STORE-INDEX requires of ids is that one
// id always names the same state and never another (STO-SNAP-001, STO-SNAP-004): an id is bound to one
// state forever. That two snapshots of one state get one id is only a SHOULD (STO-SNAP-005, DEC-018): a
// state may collect several ids, and a request names a state by the id bound to it last (the one made on
// the newest line, which is the one DEC-020 retains longest).

export const ID_RULES = ["STO-SNAP-001", "STO-SNAP-004"];
export const DERIVED_ID_RULES = ["STO-SNAP-005"];

export interface BindingProblem {
  rules: string[];
  message: string;
  expected: unknown;
  actual: unknown;
}

export class SnapshotBinding {
  private readonly idsOf = new Map<string, string[]>();
  private readonly stateOf = new Map<string, string>();
  /** States in the order they were first bound. */
  readonly states: string[] = [];

  /** Binds `id` as a name of `state`; returns what that breaks, if anything (a MUST, or the SHOULD). */
  bind(state: string, id: string, where: string): BindingProblem | undefined {
    const owner = this.stateOf.get(id);
    if (owner !== undefined && owner !== state) {
      return {
        rules: ID_RULES,
        message: `${where}: SnapshotID ${id} names two different states (it was first given for state ${owner}, now for ${state})`,
        expected: `an id not given before for another state`,
        actual: id,
      };
    }
    const ids = this.idsOf.get(state);
    if (ids === undefined) {
      this.idsOf.set(state, [id]);
      this.states.push(state);
    } else if (!ids.includes(id)) {
      ids.push(id);
    } else if (ids[ids.length - 1] !== id) {
      ids.splice(ids.indexOf(id), 1);
      ids.push(id);
    }
    this.stateOf.set(id, state);
    if (ids !== undefined && ids.length > 1 && ids[0] !== id) {
      return {
        rules: DERIVED_ID_RULES,
        message: `${where}: the same state got SnapshotID ${id}; you answered ${ids[0]} earlier for it (equal states SHOULD get equal ids, DEC-018)`,
        expected: ids[0],
        actual: id,
      };
    }
    return undefined;
  }

  /** The id to send for a state: the one bound last. */
  idOf(state: string): string | undefined {
    const ids = this.idsOf.get(state);
    return ids?.[ids.length - 1];
  }

  /** The state an id was bound to. */
  stateOfId(id: string): string | undefined {
    return this.stateOf.get(id);
  }
}
