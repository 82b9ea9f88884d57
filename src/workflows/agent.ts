/**
 * One long-lived agent per workflow (id = agent id). It sleeps until its inbox holds a message, then runs a turn: a
 * model call (an activity that streams tokens to PostgreSQL), the tool calls the model asks for (activities, through
 * the plans' tool registry, destructive ones after an approval), and model calls again until it answers in text.
 * The conversation lives in PostgreSQL; history holds message numbers and previews, and the agent continues as new
 * between turns when Temporal suggests it (or sooner), so a conversation of any length keeps each run small.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
  ParentClosePolicy,
} from '@temporalio/workflow';
import type {
  AgentCarried,
  AgentInput,
  AgentMessageInput,
  AgentState,
  AgentStatus,
  InboxMessage,
  LifecycleInput,
  MessageWrite,
  ToolCallRequest,
} from '../activities/agent-types';
import { AgentApproval } from './agent-approval';
import { agentActivities, agentToolActivity } from './agent-activities';
import { describeAgent } from './agent-details';
import { AGENT_SENDER, messageProblem, refuseLifecycle, refuseUnless } from './agent-inbox';
import { runProposedPlan } from './agent-plans';
import { AgentMirror } from './agent-mirror';
import {
  agentQuery,
  AGENT_WORKFLOW,
  messageSignal,
  pauseUpdate,
  resumeUpdate,
  sendUpdate,
  spawnUpdate,
  SUBMIT_PLAN_TOOL,
  terminateUpdate,
} from './agent-definitions';
import { describeFailure } from './failures';

/** Continue as new past these, even before Temporal suggests it: far below its warnings (10k events, 10 MB). */
const RUN_MAX_EVENTS = 2_000;
const RUN_MAX_BYTES = 2 * 1024 * 1024;

export async function agent(input: AgentInput): Promise<AgentState> {
  const { agentId, options } = input;
  const parentId = input.parentId ?? null;
  const carried: AgentCarried = input.carried ?? {
    inbox: [],
    turns: 0,
    nextSeq: 1,
    calls: 0,
    lastReply: null,
    error: null,
    paused: false,
    children: [],
    continuedRuns: 0,
  };
  const inbox: InboxMessage[] = carried.inbox;
  let { turns, nextSeq, calls, lastReply, error, paused } = carried;
  const children = carried.children;
  let running = false;
  let waitingForPlan: string | null = null;
  let terminated: AgentState['terminated'] = null;
  const approval = new AgentApproval(agentId, () => mirror.changed());

  const status = (): AgentStatus =>
    terminated
      ? 'terminated'
      : error
        ? 'error'
        : paused
          ? 'paused'
          : approval.pending
            ? 'waiting_for_approval'
            : running
              ? 'running'
              : 'idle';
  const state = (): AgentState => ({
    agentId,
    status: status(),
    options,
    parentId,
    inboxLength: inbox.length,
    turns,
    lastReply,
    error,
    pendingApproval: approval.pending,
    children: [...children],
    waitingForPlan,
    terminated,
    continuedRuns: carried.continuedRuns,
  });
  const mirror = new AgentMirror(
    () => ({
      agentId,
      status: status(),
      group: options.group,
      parentId,
      model: options.model,
      turns,
      lastReply,
      error: error?.message ?? null,
    }),
    () => describeAgent(state()),
  );

  const enqueue = (message: AgentMessageInput): InboxMessage => {
    const item = {
      ackId: message.id ?? uuid4(),
      from: message.from ?? null,
      text: message.text,
      seq: null,
      replyTo: message.replyTo ?? null,
    };
    inbox.push(item);
    mirror.changed();
    return item;
  };
  setHandler(agentQuery, state);
  setHandler(messageSignal, (message) => {
    const problem = messageProblem(message, inbox, terminated !== null);
    if (problem) log.warn(`message dropped: ${problem}`, { agentId });
    else enqueue(message);
  });
  setHandler(
    sendUpdate,
    (message) => {
      // A sender retrying with the same id gets the first answer, not a second message.
      const index = inbox.findIndex((item) => item.ackId === message.id);
      if (index >= 0) return { ackId: inbox[index]!.ackId, ahead: index };
      return { ackId: enqueue(message).ackId, ahead: inbox.length - 1 };
    },
    {
      validator: (message) => {
        const problem = messageProblem(message, inbox, terminated !== null);
        if (problem) throw new Error(problem);
      },
    },
  );
  setHandler(
    pauseUpdate,
    (lifecycle: LifecycleInput) => {
      log.info('paused', { agentId, by: lifecycle?.by ?? null });
      paused = true;
      mirror.changed();
      return state();
    },
    {
      validator: (lifecycle: LifecycleInput) =>
        refuseLifecycle(lifecycle, !paused && !terminated, `agent "${agentId}" is ${status()}; nothing to pause`),
    },
  );
  setHandler(
    resumeUpdate,
    (lifecycle: LifecycleInput) => {
      log.info('resumed', { agentId, by: lifecycle?.by ?? null });
      paused = false;
      error = null;
      mirror.changed();
      return state();
    },
    {
      validator: (lifecycle: LifecycleInput) =>
        refuseLifecycle(
          lifecycle,
          (paused || error !== null) && !terminated,
          `agent "${agentId}" is ${status()}; nothing to resume`,
        ),
    },
  );
  const turnScope = new CancellationScope();
  setHandler(
    terminateUpdate,
    (lifecycle: LifecycleInput) => {
      terminated = { by: lifecycle?.by ?? null, reason: lifecycle?.reason ?? null };
      turnScope.cancel();
      mirror.changed();
      return state();
    },
    {
      validator: (lifecycle: LifecycleInput) =>
        refuseLifecycle(lifecycle, !terminated, `agent "${agentId}" is already terminated`),
    },
  );
  setHandler(
    spawnUpdate,
    async ({ name, options: childOptions }) => {
      const childId = `${agentId}/${name}`;
      // Abandoned by the run that starts it, so continuing as new keeps it; this agent cancels it when it ends.
      await startChild(AGENT_WORKFLOW, {
        workflowId: childId,
        args: [{ agentId: childId, options: childOptions, parentId: agentId } satisfies AgentInput],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      children.push(childId);
      return childId;
    },
    {
      validator: ({ name }) => {
        refuseUnless(!terminated, `agent "${agentId}" is terminated`);
        refuseUnless(/^[A-Za-z0-9_.-]{1,64}$/.test(name), `child name "${name}" must be 1-64 of A-Z a-z 0-9 _ . -`);
        refuseUnless(!children.includes(`${agentId}/${name}`), `agent "${agentId}/${name}" exists already`);
      },
    },
  );
  approval.listen(() => !terminated);
  mirror.changed();

  const runTurn = async (): Promise<void> => {
    const message = inbox[0]!;
    message.seq ??= nextSeq++;
    const turn = turns + 1;
    let writes: MessageWrite[] = [
      { seq: message.seq, role: 'user', content: message.text, sender: message.from, ackId: message.ackId },
    ];
    for (;;) {
      await condition(() => !paused);
      const replySeq = nextSeq++;
      const outcome = await agentActivities.agentModelCall({ agentId, turn, call: calls++, options, writes, replySeq });
      writes = [];
      if (outcome.toolCalls.length === 0) {
        lastReply = outcome.preview;
        break;
      }
      for (const request of outcome.toolCalls) {
        await condition(() => !paused);
        const answer = await callTool(turn, request, replySeq, nextSeq++);
        if (answer) writes.push(answer);
      }
    }
    turns = turn;
    calls = 0;
    inbox.shift();
    await replyToAgent(message);
  };

  /**
   * Another agent's message is answered in its inbox, marked as a reply so it is not answered back (two agents would
   * otherwise talk forever). The whole answer is in agent_messages; the reply carries its start.
   */
  const replyToAgent = async (message: InboxMessage): Promise<void> => {
    if (!message.from?.startsWith(AGENT_SENDER) || message.replyTo != null || lastReply === null) return;
    const sender = message.from.slice(AGENT_SENDER.length);
    await getExternalWorkflowHandle(sender)
      .signal(messageSignal, { text: lastReply, from: `${AGENT_SENDER}${agentId}`, replyTo: message.ackId })
      .catch((err: unknown) => log.warn(`reply to ${sender} not delivered: ${String(err)}`, { agentId }));
  };

  /** Runs one tool call; returns the answer the workflow writes itself (refused, rejected, failed), else null. */
  const callTool = async (
    turn: number,
    request: ToolCallRequest,
    callSeq: number,
    resultSeq: number,
  ): Promise<MessageWrite | null> => {
    const answer = (content: string): MessageWrite => ({
      seq: resultSeq,
      role: 'tool',
      content,
      toolCallId: request.id,
      toolName: request.tool ?? request.requested,
    });
    if (request.tool === null) return answer(`error: no tool "${request.requested}" is available to this agent`);
    if (request.tool === SUBMIT_PLAN_TOOL) {
      waitingForPlan = `${agentId}/plan-${turn}-${request.id}`;
      mirror.changed();
      try {
        return answer(await runProposedPlan(waitingForPlan, request));
      } finally {
        waitingForPlan = null;
        mirror.changed();
      }
    }
    if (request.needsApproval) {
      const decision = await approval.ask({ ...request, tool: request.tool });
      if (decision.decision === 'reject') {
        const why = decision.text ? `: ${decision.text}` : '';
        return answer(`rejected by ${decision.by}${why}; the call did not run`);
      }
    }
    try {
      await agentToolActivity(request).agentToolCall({
        agentId,
        turn,
        callSeq,
        callId: request.id,
        tool: request.tool,
        resultSeq,
      });
      return null;
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure(err, 1);
      return answer(`error${failure.type ? ` (${failure.type})` : ''}: ${failure.message}`);
    }
  };

  try {
    await serve();
  } catch (err) {
    // The workflow was cancelled (`temporal workflow cancel`, or a parent agent that ended): that ends it as terminate.
    if (!isCancellation(err)) throw err;
    terminated ??= { by: null, reason: 'cancelled' };
  }
  return CancellationScope.nonCancellable(async () => {
    for (const child of children)
      await getExternalWorkflowHandle(child)
        .cancel()
        .catch(() => undefined);
    mirror.changed();
    await mirror.settled();
    await condition(allHandlersFinished);
    return state();
  });

  async function serve(): Promise<void> {
    for (;;) {
      await condition(() => terminated !== null || runTooLong() || (!paused && error === null && inbox.length > 0));
      if (terminated) return;
      if (runTooLong()) {
        await condition(allHandlersFinished);
        await mirror.settled();
        await continueAsNew<typeof agent>({
          agentId,
          options,
          parentId,
          carried: {
            inbox,
            turns,
            nextSeq,
            calls,
            lastReply,
            error,
            paused,
            children,
            continuedRuns: carried.continuedRuns + 1,
          },
        });
      }
      running = true;
      mirror.changed();
      try {
        await turnScope.run(runTurn);
      } catch (err) {
        if (terminated) return;
        const failure = describeFailure(err, 1);
        error = { message: failure.message, type: failure.type };
        log.warn(`turn failed: ${failure.message}`, { agentId, errorType: failure.type });
      } finally {
        running = false;
        mirror.changed();
      }
    }
  }
}

/** Whether this run should hand over to a new one before the next turn. */
function runTooLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > RUN_MAX_EVENTS || info.historySize > RUN_MAX_BYTES;
}
