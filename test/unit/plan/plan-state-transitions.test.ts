/**
 * The transitions that Temporal tests exercised alone until now: keep going after a failure, fan-in over failed
 * dependencies, operator retry and skip of a paused plan, and cancellation — on the pure state, without a server.
 */
import { checkPlan, PlanState } from '../../../src/plan';

const T0 = '2026-11-22T10:00:00.000Z';

function state(input: Record<string, unknown>): PlanState {
  const { plan, problems } = checkPlan(input);
  if (!plan) throw new Error(problems.map((p) => p.message).join('; '));
  const s = new PlanState(plan, 'p', T0);
  s.beginExecution(T0);
  return s;
}

/** Starts every ready step; returns their ids. */
function startReady(s: PlanState): string[] {
  const ids: string[] = [];
  for (let spec = s.takeReady(); spec; spec = s.takeReady()) {
    s.start(spec.id, T0);
    ids.push(spec.id);
  }
  return ids;
}

const statuses = (s: PlanState) => Object.fromEntries(s.snapshot().steps.map((step) => [step.id, step.status]));

// a -> b -> c, and an independent d
const CHAIN_AND_ONE = [
  { id: 'a', toolName: 'x' },
  { id: 'b', toolName: 'x', dependsOn: ['a'] },
  { id: 'c', toolName: 'x', dependsOn: ['b'] },
  { id: 'd', toolName: 'x' },
];

test("continueOnError: the failed step's dependents are skipped with the reason, the rest finishes, the plan is partial", () => {
  const s = state({ options: { allowParallel: true, continueOnError: true }, steps: CHAIN_AND_ONE });
  expect(startReady(s)).toEqual(['a', 'd']);
  s.fail('a', 'boom', 'Boom', 1, T0);
  expect(s.stopping).toBe(false);
  expect(statuses(s)).toMatchObject({ a: 'failed', b: 'skipped', c: 'skipped', d: 'running' });
  expect(s.snapshot().steps[1]!.error).toBe('skipped: step "a" failed');
  s.complete('d', 1, 1, T0);
  expect(s.finished).toBe(true);
  expect(s.finish(T0)).toBe('partial');
});

test('acceptFailedDependencies: a fan-in step runs once its dependencies ended, failed or skipped ones included', () => {
  const s = state({
    options: { allowParallel: true, continueOnError: true },
    steps: [
      { id: 'a', toolName: 'x' },
      { id: 'b', toolName: 'x', dependsOn: ['a'] },
      { id: 'e', toolName: 'x' },
      { id: 'merge', toolName: 'x', dependsOn: ['b', 'e'], acceptFailedDependencies: true },
    ],
  });
  expect(startReady(s)).toEqual(['a', 'e']);
  s.fail('a', 'boom', 'Boom', 1, T0);
  expect(statuses(s)).toMatchObject({ b: 'skipped', merge: 'pending' });
  s.complete('e', 2, 1, T0);
  expect(startReady(s)).toEqual(['merge']);
  expect(s.dependencyOutcomes(s.plan.steps[3]!)).toEqual([
    { step: 'b', status: 'skipped', result: null, error: 'skipped: step "a" failed' },
    { step: 'e', status: 'completed', result: 2, error: null },
  ]);
});

test('onFailure pause: retry runs the failed step again with new parameters, and the plan goes on', () => {
  const s = state({ options: { onFailure: 'pause' }, steps: CHAIN_AND_ONE.slice(0, 2) });
  startReady(s);
  s.fail('a', 'boom', 'Boom', 1, T0);
  expect(s.status).toBe('paused');
  expect(s.finished).toBe(false);
  expect(s.operatorRefusal({ kind: 'retry', step: 'b', by: 'ops' })).toBe('step "b" has not failed (it is pending)');
  s.operate({ kind: 'retry', step: 'a', by: 'ops', parameters: { fixed: true } }, T0);
  expect(s.status).toBe('executing');
  const [again] = [s.takeReady()!];
  expect(again.id).toBe('a');
  expect(s.parametersOf(again)).toEqual({ fixed: true });
  s.start('a', T0);
  s.complete('a', 1, 2, T0);
  expect(startReady(s)).toEqual(['b']);
  expect(s.operatorActions).toEqual([{ action: 'retry', step: 'a', by: 'ops', at: T0, detail: null }]);
});

test('onFailure pause: skip supplies a result, dependents run with it, and the plan ends partial', () => {
  const s = state({ options: { onFailure: 'pause' }, steps: CHAIN_AND_ONE.slice(0, 2) });
  startReady(s);
  s.fail('a', 'boom', 'Boom', 1, T0);
  s.operate({ kind: 'skip', step: 'a', by: 'ops', result: { stand: 'in' } }, T0);
  expect(startReady(s)).toEqual(['b']);
  expect(s.resultOf('a')).toEqual({ stand: 'in' });
  s.complete('b', 1, 1, T0);
  expect(s.finish(T0)).toBe('partial');
});

test('cancel: nothing new starts, running steps are to be cancelled, completed ones compensated, the plan ends cancelled', () => {
  const s = state({
    options: { allowParallel: true },
    steps: [
      { id: 'a', toolName: 'x', compensate: { toolName: 'undo' } },
      { id: 'd', toolName: 'x' },
      { id: 'b', toolName: 'x', dependsOn: ['a'] },
    ],
  });
  startReady(s);
  s.complete('a', 1, 1, T0);
  s.cancel('cancelled by ops');
  expect(s.cancelling).toBe(true);
  expect(s.takeReady()).toBeNull();
  expect(s.finished).toBe(false); // d still runs
  s.fail('d', 'cancelled', 'Cancelled', 1, T0);
  expect(s.needsCompensation).toBe(true);
  expect(s.compensationLayers().map((layer) => layer.map((spec) => spec.id))).toEqual([['a']]);
  expect(s.finish(T0)).toBe('cancelled');
  expect(s.reason).toBe('cancelled by ops');
  expect(statuses(s)).toMatchObject({ b: 'skipped' });
});

test('onFailure pause: abort ends the plan failed with who and why, and undoes what completed', () => {
  const s = state({
    options: { onFailure: 'pause' },
    steps: [
      { id: 'a', toolName: 'x', compensate: { toolName: 'undo' } },
      { id: 'b', toolName: 'x', dependsOn: ['a'] },
    ],
  });
  startReady(s);
  s.complete('a', 1, 1, T0);
  startReady(s);
  s.fail('b', 'boom', 'Boom', 1, T0);
  expect(s.operatorRefusal({ kind: 'abort', by: 'ops' })).toBeNull();
  s.operate({ kind: 'abort', by: 'ops', detail: 'give up' }, T0);
  expect(s.finished).toBe(true);
  expect(s.needsCompensation).toBe(true);
  expect(s.finish(T0)).toBe('failed');
  expect(s.reason).toBe('aborted by ops: give up');
  expect(s.operatorRefusal({ kind: 'abort', by: 'ops' })).toBe('plan "p" is not paused (it is failed)');
});
