import { graphOf, type DagStep } from './graph';

// Targets per pass: 32 words per step, about 2.5 MB for 20,000 steps however many steps are referenced.
const CHUNK_BITS = 1024;

/**
 * For each pair [stepId, dependencyId], whether the step depends on that step directly or through others; null when
 * the step is on or after a dependency cycle, where the question has no useful answer. Answers all pairs in
 * O((steps + dependencies) * distinct dependencyIds / 32), where asking ancestorsOf once per pair would be quadratic
 * for a long chain whose every step uses the first step's result.
 */
export function dependsTransitively(
  steps: readonly DagStep[],
  pairs: readonly (readonly [string, string])[],
): (boolean | null)[] {
  const { position, dependencies } = graphOf(steps);
  const order = dependenciesFirst(dependencies);
  const sorted = new Array<boolean>(steps.length).fill(false);
  for (const node of order) sorted[node] = true;
  const answers = new Array<boolean | null>(pairs.length).fill(false);
  // Bit b of a step's row: it depends on the chunk's target b. Chunks bound the memory on huge plans.
  const targets = [...new Set(pairs.flatMap(([, to]) => (position.has(to) ? [position.get(to)!] : [])))];
  for (let first = 0; first < targets.length; first += CHUNK_BITS) {
    const bitOf = new Map(targets.slice(first, first + CHUNK_BITS).map((target, bit) => [target, bit]));
    const words = Math.ceil(bitOf.size / 32);
    const rows = new Uint32Array(steps.length * words);
    for (const node of order) {
      for (const dependency of dependencies[node]!) {
        for (let w = 0; w < words; w++) rows[node * words + w]! |= rows[dependency * words + w]!;
        const bit = bitOf.get(dependency);
        if (bit !== undefined) rows[node * words + (bit >>> 5)]! |= 1 << (bit & 31);
      }
    }
    pairs.forEach(([from, to], i) => {
      const node = position.get(from);
      const bit = bitOf.get(position.get(to) ?? -1);
      if (node === undefined || bit === undefined) return;
      answers[i] = sorted[node]! ? (rows[node * words + (bit >>> 5)]! & (1 << (bit & 31))) !== 0 : null;
    });
  }
  return answers;
}

// Kahn's algorithm: every step after all of its dependencies; steps on or after a cycle are left out.
function dependenciesFirst(dependencies: readonly (readonly number[])[]): number[] {
  const dependents: number[][] = dependencies.map(() => []);
  const waitingFor = dependencies.map((edges) => edges.length);
  dependencies.forEach((edges, node) => {
    for (const dependency of edges) dependents[dependency]!.push(node);
  });
  const order = waitingFor.flatMap((count, node) => (count === 0 ? [node] : []));
  for (let head = 0; head < order.length; head++) {
    for (const dependent of dependents[order[head]!]!) {
      if (--waitingFor[dependent]! === 0) order.push(dependent);
    }
  }
  return order;
}
