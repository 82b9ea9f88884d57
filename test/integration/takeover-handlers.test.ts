import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { checkPlan, PlanState } from '../../src/plan';
import { approveSignal, decideUpdate, stateQuery } from '../../src/workflows/definitions';
import { finish, progressLoaded, type heldTakeover } from '../support/workflows/held-takeover';
import { testStack } from '../support/test-stack';

// What a plan's handlers do while a run that continued as new is still loading its progress: signals wait, updates
// are checked once the state is whole, the query asks to be retried — so nothing lands on a half-built state.
test('while a continued run loads its progress, decisions wait for it and are judged against the whole state', async () => {
  const plan = {
    options: { allowParallel: true },
    steps: [
      { id: 'g', toolName: 'noop', requiresApproval: true },
      { id: 'x', toolName: 'noop' },
    ],
  };
  // The progress the previous run saved: it had started scheduling, so the step gate is open and waiting.
  const previous = new PlanState(checkPlan(plan).plan!, 'p', '2026-11-22T10:00:00.000Z');
  previous.beginExecution('2026-11-22T10:00:01.000Z');
  const progress = JSON.parse(JSON.stringify(previous.progress()));

  const taskQueue = `takeover-${randomUUID()}`;
  const native = await NativeConnection.connect({ address: testStack().temporalAddress });
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('../support/workflows/held-takeover'),
      logger: new DefaultLogger('WARN'),
    }),
  });
  const connection = await Connection.connect({ address: testStack().temporalAddress });
  const client = new Client({ connection });
  await worker.runUntil(async () => {
    const handle = await client.workflow.start<typeof heldTakeover>('heldTakeover', {
      workflowId: `takeover-${randomUUID()}`,
      taskQueue,
      args: [plan],
    });
    // Before the progress is in, the fresh state would say the gate is not even open: nothing may be judged on it.
    await handle.signal(approveSignal, { by: 'alice', step: 'g' });
    await expect(handle.query(stateQuery)).rejects.toThrow(/taking over from its previous run/);
    // Accepted (its validator does not judge a half-built state), then it waits inside its handler.
    const late = await handle.startUpdate(decideUpdate, {
      args: [{ decision: 'approve', by: 'bob', step: 'g' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    await handle.signal(progressLoaded, progress);
    // Alice's signal came first and opened the gate; Bob's update, judged on the whole state, is refused with the
    // reason.
    const refusal = await late.result().catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause?.message).toMatch(/step "g" is already approved/);
    await handle.signal(finish);
    const state = await handle.result();
    expect(state.approvals.map((a) => [a.by, a.step])).toEqual([['alice', 'g']]);
    expect(state.steps[0]!.status).toBe('pending');
  });
  await connection.close();
  await native.close();
});
