import { checkPlan, MAX_NESTING_DEPTH, MAX_PLAN_BYTES, type Problem } from '../../../src/plan';

// The workflow runs checkPlan itself, and Temporal's deadlock detector stops a workflow task after 2 s: a plan an
// agent wrote, however hostile, must be answered far inside that. Each plan is just under the payload limit, the
// largest a workflow can be handed. The budget is CPU time, not wall time: what it bounds is the work the check does
// (a quadratic scan of 2 MB takes seconds), and a busy machine must not fail the test by taking the CPU away.
const BUDGET_MS = 500;
const SIZE = MAX_PLAN_BYTES - 1024;

function step(parameters: unknown, extra: Record<string, unknown> = {}) {
  return { id: 'a', toolName: 'noop', parameters, ...extra };
}

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

const shapes: [string, () => unknown, (problems: Problem[]) => void][] = [
  [
    '`{{steps.` followed by spaces',
    () => ({ steps: [step({ x: `{{steps.${' '.repeat(SIZE)}` })] }),
    (problems) => expect(problems).toEqual([]),
  ],
  [
    '`{{steps.` then spaces, closed by one brace',
    () => ({ steps: [step({ x: `{{steps.${' '.repeat(SIZE)}}` })] }),
    (problems) => expect(problems).toEqual([]),
  ],
  [
    '`{{` then spaces, many times',
    () => ({ steps: [step({ x: `{{${' '.repeat(1000)}`.repeat(SIZE / 1002) })] }),
    (problems) => expect(problems).toEqual([]),
  ],
  [
    'many unterminated `{{steps.`',
    () => ({ steps: [step({ x: '{{steps.'.repeat(SIZE / 8) })] }),
    (problems) => expect(problems).toEqual([]),
  ],
  [
    'many unterminated `{{ steps.a.result` with segments',
    () => ({ steps: [step({ x: '{{ steps.a.result.b.c '.repeat(SIZE / 24) })] }),
    (problems) => expect(problems).toEqual([]),
  ],
  [
    'a reference with a million dots',
    () => ({ steps: [step({ x: `{{steps.a.result${'.'.repeat(SIZE)}}}` })] }),
    (problems) => expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^malformed reference/)]),
  ],
  [
    'parameters nested a million lists deep',
    () => ({ steps: [step({ x: nested(SIZE / 2, (inner) => [inner]) })] }),
    (problems) =>
      expect(problems.map((p) => p.message)).toEqual([
        `nests deeper than ${MAX_NESTING_DEPTH} levels of objects and lists`,
      ]),
  ],
  [
    'parameters nested objects deep',
    () => ({ steps: [step(nested(SIZE / 8, (inner) => ({ a: inner })))] }),
    (problems) => expect(problems.map((p) => p.field)).toEqual(['parameters']),
  ],
  [
    'a compensation nested deep',
    () => ({ steps: [step({}, { compensate: { toolName: 'noop', parameters: { x: nested(10_000, (i) => [i]) } } })] }),
    (problems) => expect(problems.map((p) => p.field)).toEqual(['compensate.parameters']),
  ],
  [
    'a megabyte-long step id',
    () => ({ steps: [{ id: 'a'.repeat(SIZE), toolName: 'noop' }] }),
    (problems) => expect(problems.map((p) => p.field)).toEqual(['id']),
  ],
  [
    'a megabyte-long unknown key',
    () => ({ steps: [{ id: 'a', toolName: 'noop', ['dependson'.repeat(SIZE / 9)]: 1 }] }),
    (problems) =>
      expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^unknown key "(dependson)+"$/)]),
  ],
  [
    'a megabyte-long dependency and reference',
    () => ({
      steps: [step({ x: `{{steps.${'b'.repeat(SIZE / 2)}.result}}` }, { dependsOn: ['b'.repeat(SIZE / 2)] })],
    }),
    (problems) => expect(problems.length).toBeGreaterThan(0),
  ],
];

describe('checkPlan on hostile plans of nearly 2 MB', () => {
  beforeAll(() => {
    // Compiled once before timing, as a worker that has run any plan already is.
    checkPlan({ steps: [step({ x: '{{steps.b.result}} {{ x' })] });
  });

  it.each(shapes)('answers %s well inside the deadlock detector', (_name, make, expectProblems) => {
    const input = make();
    const started = process.cpuUsage();
    const { problems } = checkPlan(input);
    const used = process.cpuUsage(started);
    expectProblems(problems);
    expect((used.user + used.system) / 1000).toBeLessThan(BUDGET_MS);
  });
});
