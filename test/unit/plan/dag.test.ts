import {
  ancestorsOf,
  compensationOrder,
  dependentsOf,
  dependsTransitively,
  findCycle,
  findCycles,
  type DagStep,
} from '../../../src/plan';

const graph = (edges: Record<string, string[]>): DagStep[] =>
  Object.entries(edges).map(([id, dependsOn]) => ({ id, dependsOn }));

// d depends on b and c, which both depend on a.
const diamond = graph({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });

describe('findCycle', () => {
  it('finds none in a diamond', () => {
    expect(findCycle(diamond)).toBeNull();
  });

  it('returns the cycle in dependency order, first id repeated', () => {
    expect(findCycle(graph({ a: ['b'], b: ['a'] }))).toEqual(['a', 'b', 'a']);
    expect(findCycle(graph({ x: [], a: ['c'], b: ['a'], c: ['b', 'x'] }))).toEqual(['a', 'c', 'b', 'a']);
    expect(findCycle(graph({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  it('finds one cycle per tangle, in plan order, ignoring unknown ids', () => {
    expect(findCycles(graph({ p: ['q'], q: ['p', 'nowhere'], a: ['b'], b: ['c'], c: ['a'], z: ['a'] }))).toEqual([
      ['p', 'q', 'p'],
      ['a', 'b', 'c', 'a'],
    ]);
  });
});

describe('dependentsOf and ancestorsOf', () => {
  it('lists who depends on each step, in plan order', () => {
    expect(dependentsOf(diamond)).toEqual(
      new Map([
        ['a', ['b', 'c']],
        ['b', ['d']],
        ['c', ['d']],
        ['d', []],
      ]),
    );
  });

  it('collects transitive dependencies only', () => {
    expect(ancestorsOf(diamond, 'd')).toEqual(new Set(['a', 'b', 'c']));
    expect(ancestorsOf(diamond, 'b')).toEqual(new Set(['a']));
    expect(ancestorsOf(diamond, 'a')).toEqual(new Set());
    expect(ancestorsOf(diamond, 'unknown')).toEqual(new Set());
  });
});

describe('dependsTransitively', () => {
  it('answers many questions at once, and says null where a cycle makes the question moot', () => {
    const steps = graph({
      ...Object.fromEntries(diamond.map((s) => [s.id, [...s.dependsOn]])),
      x: ['y'],
      y: ['x'],
      z: ['x'],
    });
    const pairs = [
      ['d', 'a'],
      ['d', 'b'],
      ['b', 'c'],
      ['a', 'd'],
      ['d', 'nowhere'],
      ['nowhere', 'a'],
      ['z', 'x'],
    ] as const;
    expect(dependsTransitively(steps, pairs)).toEqual([true, true, false, false, false, false, null]);
  });

  it('answers for thousands of distinct dependencies', () => {
    const chain = Array.from({ length: 3_000 }, (_, i) => ({ id: `s${i}`, dependsOn: i === 0 ? [] : [`s${i - 1}`] }));
    const back = chain.slice(2).map((s, i) => [s.id, `s${i}`] as const);
    const forward = chain.slice(2).map((s, i) => [`s${i}`, s.id] as const);
    expect(dependsTransitively(chain, back).every((answer) => answer === true)).toBe(true);
    expect(dependsTransitively(chain, forward).every((answer) => answer === false)).toBe(true);
  });

  it('keeps the answers for thousands of unrelated pairs apart', () => {
    const count = 3_000;
    const steps = Array.from({ length: count }, (_, i) => [
      { id: `a${i}`, dependsOn: [] },
      { id: `b${i}`, dependsOn: [`a${i}`] },
    ]).flat();
    const pairs = Array.from(
      { length: count },
      (_, i) =>
        [
          [`b${i}`, `a${i}`],
          [`b${i}`, `a${(i + 1) % count}`],
        ] as const,
    ).flat();
    const answers = dependsTransitively(steps, pairs);
    expect(answers.filter((answer, i) => answer !== (i % 2 === 0))).toEqual([]);
  });
});

describe('compensationOrder', () => {
  it('undoes a diamond from the bottom up, independent steps together', () => {
    expect(compensationOrder(diamond, ['a', 'b', 'c', 'd'])).toEqual([['d'], ['b', 'c'], ['a']]);
  });

  it('undoes a chain one step at a time, last first', () => {
    expect(compensationOrder(graph({ a: [], b: ['a'], c: ['b'] }), new Set(['a', 'b', 'c']))).toEqual([
      ['c'],
      ['b'],
      ['a'],
    ]);
  });

  it('leaves out steps that did not complete but still respects order through them', () => {
    // b is not to be undone (already compensated, say), yet c depends on a through it, so c still goes first.
    expect(compensationOrder(graph({ a: [], b: ['a'], c: ['b'] }), ['a', 'c'])).toEqual([['c'], ['a']]);
    expect(compensationOrder(diamond, ['a', 'c'])).toEqual([['c'], ['a']]);
    expect(compensationOrder(diamond, [])).toEqual([]);
  });

  it('still returns every completed step when a cycle makes the order meaningless: those on or before it last', () => {
    expect(compensationOrder(graph({ a: [], x: ['a', 'y'], y: ['x'], b: ['a'] }), ['a', 'b', 'x', 'y'])).toEqual([
      ['b'],
      ['a', 'x', 'y'],
    ]);
  });

  it('puts unrelated completed steps in the first layer', () => {
    expect(compensationOrder(graph({ a: [], b: [], c: ['a'] }), ['a', 'b', 'c'])).toEqual([['b', 'c'], ['a']]);
  });
});

describe('large plans', () => {
  it('handles a 10,000-step wide plan', () => {
    const middle = Array.from({ length: 9_998 }, (_, i) => ({ id: `m${i}`, dependsOn: ['root'] }));
    const steps = [{ id: 'root', dependsOn: [] }, ...middle, { id: 'join', dependsOn: middle.map((s) => s.id) }];
    expect(findCycle(steps)).toBeNull();
    expect(ancestorsOf(steps, 'join').size).toBe(9_999);
    expect(dependentsOf(steps).get('root')).toHaveLength(9_998);
    const layers = compensationOrder(
      steps,
      steps.map((s) => s.id),
    );
    expect(layers.map((layer) => layer.length)).toEqual([1, 9_998, 1]);
  });

  it('handles a 2,000-step chain, and a cycle around it', () => {
    const chain = Array.from({ length: 2_000 }, (_, i) => ({ id: `s${i}`, dependsOn: i === 0 ? [] : [`s${i - 1}`] }));
    expect(findCycle(chain)).toBeNull();
    expect(ancestorsOf(chain, 's1999').size).toBe(1_999);
    expect(
      compensationOrder(
        chain,
        chain.map((s) => s.id),
      ),
    ).toHaveLength(2_000);
    // Each step also depends on the one two back: exponentially many paths, which no walk may follow one by one.
    const braid = chain.map((s, i) => (i < 2 ? s : { id: s.id, dependsOn: [`s${i - 2}`, `s${i - 1}`] }));
    expect(
      compensationOrder(
        braid,
        braid.map((s) => s.id),
      ),
    ).toHaveLength(2_000);
    expect(ancestorsOf(braid, 's1999').size).toBe(1_999);
    const loop = [{ id: 's0', dependsOn: ['s1999'] }, ...chain.slice(1)];
    expect(findCycle(loop)).toHaveLength(2_001);
  });
});
