import { getPlanProgress, getTaskPlansByPlan } from '../../src/store/mirror-reads';
import { MirrorRowsRefused, writeMirrorBatch } from '../../src/store/plan-mirror';
import { ESCAPED } from '../../src/store/jsonb-text';
import { isStoredResult } from '../../src/plan';
import { stateFromMirror } from '../../src/store/mirror-state';
import { mirrorBatch } from '../support/mirror-batch';
import { startTestWorker, uniqueId, type TestWorker } from '../support/plan-worker';

jest.setTimeout(60_000);

// What PostgreSQL's jsonb and text refuse: NUL, lone surrogates. A string that merely looks escaped must survive too.
const HOSTILE = {
  nul: 'before\u0000after',
  high: 'lone \ud800 high',
  low: 'lone \udc00 low',
  pair: 'a real pair 😀 stays',
  looksEscaped: `${ESCAPED}"not really"`,
  'key\u0000with nul': ['\u0000', { '\ud83d': '\u0000\u0000' }],
};

let env: TestWorker;
beforeAll(async () => {
  // A small inline limit, so the large result below goes to stored_results.
  env = await startTestWorker(undefined, { resultInlineLimitBytes: 4096 });
});
afterAll(() => env?.stop());

test('NUL and lone surrogates in parameters and results: the plan completes, every mirror row holds them intact', async () => {
  const handle = await env.start({
    description: 'mirror \u0000 me',
    steps: [
      { id: 'small', toolName: 'echo', description: 'd\u0000', parameters: HOSTILE },
      // Over the inline limit: kept in stored_results, and used by a later step from there.
      { id: 'large', toolName: 'echo', parameters: { ...HOSTILE, padding: '\u0000'.repeat(10_000) } },
      { id: 'use', toolName: 'echo', dependsOn: ['large'], parameters: { copy: '{{steps.large.result.nul}}' } },
      { id: 'quiet', toolName: 'echo', parameters: { plain: 'nothing odd' } },
    ],
  });
  const state = await handle.result();
  expect(state.status).toBe('completed');
  const [small, large, use] = state.steps;
  expect(small!.result).toEqual(HOSTILE);
  expect(isStoredResult(large!.result)).toBe(true);
  expect(use!.result).toEqual({ copy: HOSTILE.nul });

  const tasks = await getTaskPlansByPlan(env.pool, handle.workflowId);
  expect(tasks.map((t) => [t.stepId, t.status])).toEqual([
    ['small', 'completed'],
    ['large', 'completed'],
    ['use', 'completed'],
    ['quiet', 'completed'],
  ]);
  expect(tasks[0]).toMatchObject({ description: 'd\u0000', parameters: HOSTILE, result: HOSTILE });
  // The stored result, as the mirror wrote it from stored_results, is the value itself.
  expect(tasks[1]!.result).toEqual({ ...HOSTILE, padding: '\u0000'.repeat(10_000) });
  expect(await getPlanProgress(env.pool, handle.workflowId)).toMatchObject({
    status: 'completed',
    description: 'mirror \u0000 me',
    completedSteps: 4,
  });
  // Read back the way `plan status` does once history is gone: the same values.
  expect((await stateFromMirror(env.pool, handle.workflowId))?.steps[0]).toMatchObject({ result: HOSTILE });
  // SQL readers see the escaped form, never a changed value.
  const { rows } = await env.pool.query(
    `SELECT result->>'nul' AS nul FROM task_plans WHERE plan_id = $1 AND step_id = 'small'`,
    [handle.workflowId],
  );
  expect(rows[0].nul).toBe(`${ESCAPED}${JSON.stringify(HOSTILE.nul)}`);
});

test('a row PostgreSQL refuses does not take the rest of its batch with it, and is reported by step', async () => {
  const planId = uniqueId('refused');
  // An attempt count past PostgreSQL's integer: the one thing in this batch the database cannot take.
  const batch = mirrorBatch(planId, [{ result: { ok: '\u0000' } }, { attempts: 2 ** 40 }, { result: 'fine' }]);
  const thrown = await writeMirrorBatch(env.pool, batch).catch((err: unknown) => err);
  expect(thrown).toBeInstanceOf(MirrorRowsRefused);
  expect((thrown as MirrorRowsRefused).refused).toEqual([{ stepId: 's1', reason: expect.stringMatching(/^22003: /) }]);
  expect((thrown as Error).message).toMatch(/PostgreSQL refused step "s1": 22003: /);
  expect(await getPlanProgress(env.pool, planId)).toMatchObject({ status: 'executing', totalSteps: 3 });
  expect((await getTaskPlansByPlan(env.pool, planId)).map((t) => [t.stepId, t.result])).toEqual([
    ['s0', { ok: '\u0000' }],
    ['s2', 'fine'],
  ]);
});
