import { graphOf, type DagStep } from './graph';

/** One dependency cycle per group of steps that depend on each other, as ids with the first repeated last. */
export function findCycles(steps: readonly DagStep[]): string[][] {
  const { dependencies } = graphOf(steps);
  return stronglyConnected(dependencies)
    .filter((component) => component.length > 1 || dependencies[component[0]!]!.includes(component[0]!))
    .map((component) =>
      cycleThrough(
        component.reduce((a, b) => Math.min(a, b)),
        new Set(component),
        dependencies,
      ),
    )
    .sort((a, b) => a[0]! - b[0]!)
    .map((cycle) => cycle.map((at) => steps[at]!.id));
}

/** A dependency cycle as ids with the first repeated last (`['a', 'b', 'a']`: a depends on b, b on a), or null. */
export function findCycle(steps: readonly DagStep[]): string[] | null {
  return findCycles(steps)[0] ?? null;
}

// Tarjan's algorithm with an explicit stack: a 20,000-step chain would overflow the call stack.
function stronglyConnected(dependencies: readonly (readonly number[])[]): number[][] {
  const count = dependencies.length;
  const order = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let visited = 0;
  const enter = (node: number): void => {
    order[node] = low[node] = visited++;
    stack.push(node);
    onStack[node] = true;
  };
  for (let root = 0; root < count; root++) {
    if (order[root] !== -1) continue;
    enter(root);
    const work: [node: number, next: number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [node, next] = frame;
      const edges = dependencies[node]!;
      if (next < edges.length) {
        frame[1] = next + 1;
        const target = edges[next]!;
        if (order[target] === -1) {
          enter(target);
          work.push([target, 0]);
        } else if (onStack[target]) {
          low[node] = Math.min(low[node]!, order[target]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] !== order[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = false;
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  }
  return components;
}

// Breadth-first inside one strongly connected component, so the cycle shown is a shortest one through `start`.
function cycleThrough(
  start: number,
  component: ReadonlySet<number>,
  dependencies: readonly (readonly number[])[],
): number[] {
  const cameFrom = new Map<number, number>([[start, start]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const target of dependencies[node]!) {
      if (target === start) {
        const path = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) path.push(at);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (component.has(target) && !cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  // Unreachable: every member of a strongly connected component lies on a cycle through `start`.
  return [start, start];
}

/** For each step id, the ids of the steps that list it in dependsOn, in plan order. */
export function dependentsOf(steps: readonly DagStep[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>(steps.map((step) => [step.id, []]));
  for (const step of steps) {
    for (const id of step.dependsOn) dependents.get(id)?.push(step.id);
  }
  return dependents;
}

/** `id` and every step that depends on it, directly or through others: what re-runs when `id` re-runs. */
export function descendantsOf(steps: readonly DagStep[], id: string): Set<string> {
  const dependents = dependentsOf(steps);
  const seen = new Set([id]);
  const queue = [id];
  while (queue.length > 0) {
    for (const next of dependents.get(queue.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** The ids of every step that `id` depends on, directly or through others. */
export function ancestorsOf(steps: readonly DagStep[], id: string): Set<string> {
  const { position, dependencies } = graphOf(steps);
  const start = position.get(id);
  const seen = new Set<number>();
  const queue = start === undefined ? [] : [start];
  for (let head = 0; head < queue.length; head++) {
    for (const target of dependencies[queue[head]!]!) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return new Set([...seen].map((at) => steps[at]!.id));
}

/**
 * Completed steps in layers to compensate one after the other: a step comes only after every completed step that
 * depends on it, even through steps that did not complete; steps of one layer are independent. Plan order within a
 * layer.
 */
export function compensationOrder(steps: readonly DagStep[], completedIds: Iterable<string>): string[][] {
  const { position, dependencies } = graphOf(steps);
  const completed = new Set<number>();
  for (const id of completedIds) {
    const at = position.get(id);
    if (at !== undefined) completed.add(at);
  }
  // Visit a step once all its dependents are visited (reverse topological order). `earliest` is the first
  // layer in which something the step depends on may be undone, given everything downstream of it.
  const waitingFor = new Array<number>(steps.length).fill(0);
  for (const edges of dependencies) for (const target of edges) waitingFor[target]!++;
  const earliest = new Array<number>(steps.length).fill(0);
  const layerOf = new Map<number, number>();
  const queue = steps.flatMap((_, at) => (waitingFor[at] === 0 ? [at] : []));
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    let reach = earliest[node]!;
    if (completed.has(node)) {
      layerOf.set(node, reach);
      reach += 1;
    }
    for (const target of dependencies[node]!) {
      earliest[target] = Math.max(earliest[target]!, reach);
      if (--waitingFor[target]! === 0) queue.push(target);
    }
  }
  const layers: string[][] = [];
  const last: string[] = [];
  for (let at = 0; at < steps.length; at++) {
    if (!completed.has(at)) continue;
    const layer = layerOf.get(at);
    // Only steps on or upstream of a dependency cycle, which a validated plan cannot have, are never visited:
    // they have no right order, so they go last together rather than being lost.
    if (layer === undefined) last.push(steps[at]!.id);
    else (layers[layer] ??= []).push(steps[at]!.id);
  }
  return last.length > 0 ? [...layers, last] : layers;
}
