import { startTestWorker, type TestWorker } from '../support/plan-worker';

let env: TestWorker;
beforeAll(async () => {
  env = await startTestWorker();
});
afterAll(() => env?.stop());

const run = async (plan: Record<string, unknown>) => (await env.start(plan)).result();
const step = (state: Awaited<ReturnType<typeof run>>, id: string) => state.steps.find((s) => s.id === id)!;

describe('retries', () => {
  test('a step that fails twice then succeeds completes on its third attempt, and the attempts are counted', async () => {
    const state = await run({
      steps: [{ id: 'flaky', toolName: 'fail', parameters: { failTimes: 2 }, maxRetries: 3, retryDelayMs: 10 }],
    });
    expect(state.status).toBe('completed');
    expect(step(state, 'flaky')).toMatchObject({ status: 'completed', attempts: 3, result: { succeededOnAttempt: 3 } });
  });

  test('a step that keeps failing stops after maxRetries + 1 attempts with the tool error', async () => {
    const state = await run({
      steps: [
        { id: 'broken', toolName: 'fail', parameters: { message: 'disk full' }, maxRetries: 2, retryDelayMs: 10 },
      ],
    });
    expect(state.status).toBe('failed');
    expect(step(state, 'broken')).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: 'disk full',
      errorType: 'FailToolError',
    });
    expect(state.reason).toBe('step "broken" failed: disk full');
  });

  test('a non-retryable error, or an error type the step lists as non-retryable, is not retried', async () => {
    const state = await run({
      options: { continueOnError: true },
      steps: [
        { id: 'fatal', toolName: 'fail', parameters: { nonRetryable: true }, maxRetries: 5, retryDelayMs: 10 },
        {
          id: 'listed',
          toolName: 'fail',
          parameters: {},
          maxRetries: 5,
          retryDelayMs: 10,
          nonRetryableErrorTypes: ['FailToolError'],
        },
      ],
    });
    expect(step(state, 'fatal')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(step(state, 'listed')).toMatchObject({ status: 'failed', attempts: 1 });
  });
});

describe('timeouts', () => {
  test('timeoutMs bounds each attempt: a step that sleeps too long fails with StartToCloseTimeout after its retries', async () => {
    const state = await run({
      steps: [
        { id: 'slow', toolName: 'sleep', parameters: { ms: 10_000 }, timeoutMs: 300, maxRetries: 1, retryDelayMs: 10 },
      ],
    });
    expect(step(state, 'slow')).toMatchObject({ status: 'failed', errorType: 'StartToCloseTimeout', attempts: 2 });
  });

  test('options.stepTimeoutMs is the default per-step timeout', async () => {
    const state = await run({
      options: { stepTimeoutMs: 300 },
      steps: [{ id: 'slow', toolName: 'sleep', parameters: { ms: 10_000 } }],
    });
    expect(step(state, 'slow')).toMatchObject({ status: 'failed', errorType: 'StartToCloseTimeout' });
  });

  test('totalTimeoutMs cancels the plan with reason "timeout" and compensates what completed', async () => {
    const state = await run({
      options: { totalTimeoutMs: 1500 },
      steps: [
        {
          id: 'book',
          toolName: 'echo',
          parameters: { booking: 7 },
          compensate: { toolName: 'echo', parameters: { cancel: '{{steps.book.result.booking}}' } },
        },
        { id: 'wait', toolName: 'sleep', parameters: { ms: 60_000 }, dependsOn: ['book'] },
        { id: 'never', toolName: 'noop', dependsOn: ['wait'] },
      ],
    });
    expect(state).toMatchObject({ status: 'cancelled', reason: 'timeout' });
    expect(step(state, 'book')).toMatchObject({
      status: 'compensated',
      compensation: { status: 'compensated', error: null },
    });
    expect(step(state, 'wait').status).toBe('failed');
    expect(step(state, 'never')).toMatchObject({ status: 'skipped', error: 'not started: timeout' });
  });
});

describe('error policy', () => {
  test('stopOnError (the default): the first failure stops new starts and the plan fails', async () => {
    const state = await run({
      steps: [
        { id: 'a', toolName: 'fail', parameters: { message: 'boom' } },
        { id: 'b', toolName: 'noop' },
        { id: 'c', toolName: 'noop', dependsOn: ['b'] },
      ],
    });
    expect(state.status).toBe('failed');
    expect(state.steps.map((s) => s.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(step(state, 'b').error).toBe('not started: step "a" failed: boom');
  });

  test('continueOnError: independent branches finish, dependents of the failure are skipped, the plan is partial', async () => {
    const state = await run({
      options: { continueOnError: true },
      steps: [
        { id: 'bad', toolName: 'fail', parameters: {} },
        { id: 'child', toolName: 'noop', dependsOn: ['bad'] },
        { id: 'grandchild', toolName: 'noop', dependsOn: ['child'] },
        { id: 'good', toolName: 'echo', parameters: { ok: true } },
        { id: 'after-good', toolName: 'noop', dependsOn: ['good'] },
      ],
    });
    expect(state.status).toBe('partial');
    expect(Object.fromEntries(state.steps.map((s) => [s.id, s.status]))).toEqual({
      bad: 'failed',
      child: 'skipped',
      grandchild: 'skipped',
      good: 'completed',
      'after-good': 'completed',
    });
    expect(step(state, 'grandchild').error).toBe('skipped: step "bad" failed');
    expect(state.summary).toMatchObject({ total: 5, completed: 2, failed: 1, skipped: 2 });
  });

  test('onFailure: fail ends the plan failed without running compensations', async () => {
    const state = await run({
      options: { onFailure: 'fail' },
      steps: [
        { id: 'a', toolName: 'echo', parameters: {}, compensate: { toolName: 'noop' } },
        { id: 'b', toolName: 'fail', parameters: {}, dependsOn: ['a'] },
      ],
    });
    expect(state.status).toBe('failed');
    expect(step(state, 'a')).toMatchObject({ status: 'completed', compensation: null });
  });

  test('a reference to a result path that does not exist fails the step, naming the path', async () => {
    const state = await run({
      steps: [
        { id: 'a', toolName: 'echo', parameters: { x: 1 } },
        { id: 'b', toolName: 'echo', parameters: { y: '{{steps.a.result.missing}}' }, dependsOn: ['a'] },
      ],
    });
    expect(step(state, 'b')).toMatchObject({ status: 'failed', errorType: 'ReferenceResolutionError' });
    expect(step(state, 'b').error).toMatch(/missing/);
  });
});
