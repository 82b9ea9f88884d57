/**
 * What a run hands to the next when it continues as new is saved in PostgreSQL and read back by a newer worker too:
 * its fields must stay the ones earlier versions wrote (recorded in test/histories/continue-as-new-*.json).
 */
import { checkPlan, PlanState } from '../../../src/plan';

test('a run carries the same fields earlier versions carried', () => {
  const { plan } = checkPlan({ steps: [{ id: 'a', toolName: 'x' }] });
  const state = new PlanState(plan!, 'p', '2026-11-22T10:00:00.000Z');
  expect(Object.keys(state.progress()).sort()).toEqual(
    [
      'startedAt',
      'seq',
      'status',
      'reason',
      'ending',
      'stopping',
      'paused',
      'aborted',
      'skippedByOperator',
      'executingSince',
      'approvals',
      'operatorActions',
      'overrides',
      'planGate',
      'stepGates',
      'steps',
      'unmet',
      'unmirrored',
    ].sort(),
  );
});
