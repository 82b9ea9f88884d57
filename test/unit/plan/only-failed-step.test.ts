import { checkPlan, PlanState } from '../../../src/plan';

const T0 = '2026-11-22T10:00:00.000Z';

/** A plan of independent steps a, b, c that keeps running after a failure, all three started. */
function started(): PlanState {
  const { plan, problems } = checkPlan({
    options: { allowParallel: true, continueOnError: true },
    steps: ['a', 'b', 'c'].map((id) => ({ id, toolName: 'x' })),
  });
  if (!plan) throw new Error(problems.map((p) => p.message).join('; '));
  const state = new PlanState(plan, 'p', T0);
  state.beginExecution(T0);
  for (let spec = state.takeReady(); spec; spec = state.takeReady()) state.start(spec.id, T0);
  return state;
}

test('onlyFailedStep names the failed step a retry without a step means, and none when none or several failed', () => {
  const state = started();
  expect(state.onlyFailedStep()).toBeNull();
  state.complete('a', 1, 1, T0);
  state.fail('b', 'boom', 'Boom', 1, T0);
  expect(state.onlyFailedStep()).toBe('b');
  state.fail('c', 'boom', 'Boom', 1, T0);
  expect(state.onlyFailedStep()).toBeNull();
});
