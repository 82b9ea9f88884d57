/**
 * Determinism: today's workflow code replayed over histories recorded from representative plans (approval, saga with
 * retries and compensation, sub-plans with fan-in, every run of a plan that continued as new, local steps, an agent
 * with a tool call, a rejected destructive call, a pause and a terminate, a plan with step callbacks). A change
 * that would break plans already running — a command added, removed or reordered without `patched()` — fails here.
 * Record new ones with `npm run record-histories`.
 */
import { basename, join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { historyFiles, replayHistories, type HistorySource, type ReplayOutcome } from '../../src/api/replay-histories';
import { testStack } from '../support/test-stack';

const histories = historyFiles([join(__dirname, '..', 'histories')]);

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
});

async function replay(source: HistorySource): Promise<ReplayOutcome> {
  const outcomes: ReplayOutcome[] = [];
  for await (const outcome of replayHistories([source], {
    workflowBundle: { codePath: testStack().workflowBundlePath },
  }))
    outcomes.push(outcome);
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
}

test('there are recorded histories of an approval, a saga, sub-plans, a continue-as-new, local steps, an agent, step callbacks and steps carrying the mirror', () => {
  expect(histories.map((h) => basename(h.label))).toEqual(
    expect.arrayContaining([
      'approval.json',
      'saga.json',
      'subplan.json',
      'continue-as-new-1.json',
      'continue-as-new-2.json',
      'local.json',
      'agent.json',
      'notify.json',
      'carried-mirror.json',
    ]),
  );
});

test.each(histories.map((h) => [basename(h.label), h] as const))(
  '%s replays without a determinism violation',
  async (_, source) => {
    // record.ts starts each plan as `history-<name>`; child workflow ids derive from it, so the replay needs it.
    expect(source.workflowId).toMatch(/^history-/);
    expect(await replay(source)).toMatchObject({ error: null, reason: null });
  },
);
