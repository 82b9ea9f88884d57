/** What the graph functions need of a step. */
export interface DagStep {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/** A plan's dependency graph by position in the plan. */
export interface Graph {
  readonly position: ReadonlyMap<string, number>;
  /** For each step, the positions of its known dependencies (unknown ids are left out). */
  readonly dependencies: readonly (readonly number[])[];
}

/** The graph of a list of steps; positions instead of ids keep every walk linear in steps plus dependencies. */
export function graphOf(steps: readonly DagStep[]): Graph {
  const position = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!position.has(step.id)) position.set(step.id, index);
  });
  const dependencies = steps.map((step) =>
    step.dependsOn.flatMap((id) => {
      const at = position.get(id);
      return at === undefined ? [] : [at];
    }),
  );
  return { position, dependencies };
}
