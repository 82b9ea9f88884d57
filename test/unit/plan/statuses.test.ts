import { isTerminalPlanStatus, PLAN_STATUSES, STEP_STATUSES } from '../../../src/plan';

describe('statuses', () => {
  it('lists the statuses of DESIGN.md', () => {
    expect(PLAN_STATUSES).toEqual([
      'draft',
      'pending_approval',
      'approved',
      'executing',
      'paused',
      'compensating',
      'completed',
      'partial',
      'failed',
      'rejected',
      'cancelled',
    ]);
    expect(STEP_STATUSES).toEqual([
      'pending',
      'waiting_approval',
      'waiting_for_resources',
      'running',
      'completed',
      'failed',
      'skipped',
      'compensated',
      'compensation_failed',
    ]);
  });

  it('calls finished plans terminal and running ones not', () => {
    expect(PLAN_STATUSES.filter(isTerminalPlanStatus)).toEqual([
      'completed',
      'partial',
      'failed',
      'rejected',
      'cancelled',
    ]);
  });
});
