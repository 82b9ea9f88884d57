/** `plan agent start|send|status|pause|resume|stop|list`: agents from the shell (`plan agent tail`: agent-tail.ts). */
import type { AgentState } from '../activities/agent-types';
import {
  agentState,
  AgentStartError,
  pauseAgent,
  resumeAgent,
  sendToAgent,
  sendToGroup,
  startAgent,
  terminateAgent,
  waitForReply,
} from '../api/agents';
import { listAgents } from '../store/agent-mirror';
import { integerOption, stringOption, type Parsed } from './args';
import { defaultActor, type Command } from './command';
import type { CliContext } from './context';
import { CliError, EXIT, usageError } from './errors';
import { table } from './render-state';

const list = (text: string | undefined) =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);

export const agentStart: Command = {
  spec: {
    usage:
      'plan agent start <id> [--system TEXT] [--model M] [--tools a,b] [--approve-tools a,b] [--group G] ' +
      '[--context-tokens N] [--max-tool-rounds N] [--json]',
    summary:
      'Starts an agent (an `agent` workflow whose id is <id>); <parent>/<name> starts a child of a running agent. ' +
      'It may call only the --tools listed; destructive ones and --approve-tools wait for `plan approve <id>`.',
    example: 'npm run -s plan -- agent start support --system "You run the order desk." --tools echo,memory_get',
    options: {
      system: { type: 'string', value: 'TEXT', description: "the agent's system prompt" },
      model: { type: 'string', value: 'M', description: 'the model it talks to (default PLAN_LLM_MODEL)' },
      tools: { type: 'string', value: 'a,b', description: 'the tools it may call, comma-separated (default: none)' },
      'approve-tools': {
        type: 'string',
        value: 'a,b',
        description: 'tools whose calls wait for `plan approve` although not destructive',
      },
      group: { type: 'string', value: 'G', description: 'a group it belongs to, for `agent send --group`' },
      'context-tokens': { type: 'string', value: 'N', description: 'the context budget in tokens' },
      'max-tool-rounds': { type: 'string', value: 'N', description: 'at most this many tool rounds per turn' },
      json: { type: 'boolean', description: 'print {"agentId": ...} as JSON' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const agentId = parsed.positionals[0]!;
    try {
      await startAgent(
        await ctx.temporal(),
        agentId,
        {
          system: stringOption(parsed, 'system'),
          model: stringOption(parsed, 'model'),
          tools: list(stringOption(parsed, 'tools')),
          approveTools: list(stringOption(parsed, 'approve-tools')),
          group: stringOption(parsed, 'group'),
          contextTokens: integerOption(stringOption(parsed, 'context-tokens'), 'context-tokens'),
          maxToolRounds: integerOption(stringOption(parsed, 'max-tool-rounds'), 'max-tool-rounds'),
        },
        { taskQueue: ctx.config.taskQueue, catalog: await ctx.tools() },
      );
    } catch (err) {
      if (err instanceof AgentStartError) throw usageError(err.message);
      throw err;
    }
    if (ctx.output.json) ctx.output.out(JSON.stringify({ agentId }));
    else
      ctx.output.out(
        `agent ${agentId} started; talk to it with \`plan agent send ${agentId} "..."\`, follow it with ` +
          `\`plan agent tail ${agentId}\`\n${ctx.webLink(agentId)}`,
      );
    return EXIT.ok;
  },
};

export const agentSend: Command = {
  spec: {
    usage: 'plan agent send <id> <text> [--from NAME] [--wait] [--timeout SECONDS] [--json] | send --group G <text>',
    summary:
      "Puts a message in an agent's inbox and prints its acknowledgement id, or with --wait the reply once the turn " +
      'is over; --group sends to every running member. A refusal (inbox full, terminated) says why and exits 1.',
    example: 'npm run -s plan -- agent send support "What does customer c-100 owe?" --wait',
    options: {
      from: { type: 'string', value: 'NAME', description: 'who the message is from (default: your user name)' },
      group: { type: 'string', value: 'G', description: 'send to every running agent of this group' },
      wait: { type: 'boolean', description: "wait for the agent's reply and print it" },
      timeout: { type: 'string', value: 'SECONDS', description: 'with --wait, give up after this long (default 300)' },
      json: { type: 'boolean', description: 'print the acknowledgement (and reply) as JSON' },
    },
    positionals: [1, 2],
  },
  async run(ctx, parsed) {
    const group = stringOption(parsed, 'group');
    const from = stringOption(parsed, 'from') ?? defaultActor();
    if (group !== undefined) {
      if (parsed.positionals.length !== 1) throw usageError('with --group, give the text alone: send --group G <text>');
      if (parsed.values.wait) throw usageError('--wait waits for one agent; it does not go with --group');
      const sent = await sendToGroup(await ctx.temporal(), await ctx.database(), group, parsed.positionals[0]!, {
        from,
      });
      if (ctx.output.json) ctx.output.out(JSON.stringify(sent));
      else
        ctx.output.out(
          table(
            ['AGENT', 'ACK'],
            sent.map((s) => [s.agentId, s.ackId]),
          ),
        );
      return EXIT.ok;
    }
    if (parsed.positionals.length !== 2)
      throw usageError(`give the agent and the text\nusage: ${agentSend.spec.usage}`);
    const [agentId, text] = parsed.positionals as [string, string];
    const answer = await sendToAgent(await ctx.temporal(), agentId, text, { from });
    if (!parsed.values.wait) {
      ctx.output.out(ctx.output.json ? JSON.stringify({ agentId, ...answer }) : answer.ackId);
      return EXIT.ok;
    }
    const seconds = integerOption(stringOption(parsed, 'timeout'), 'timeout') ?? 300;
    let reply: string;
    try {
      reply = await waitForReply(await ctx.database(), agentId, answer.ackId, AbortSignal.timeout(seconds * 1000));
    } catch (err) {
      if ((err as Error).name !== 'TimeoutError') throw err;
      throw new CliError(
        `no reply within ${seconds} s (the message is queued as ${answer.ackId}; \`plan agent status ${agentId}\` ` +
          'says what the agent is doing)',
        EXIT.planEndedBadly,
      );
    }
    ctx.output.out(ctx.output.json ? JSON.stringify({ agentId, ...answer, reply }) : reply);
    return EXIT.ok;
  },
};

/** The state as a person reads it: one line per fact, and while a call waits, the command that decides it. */
function describeState(state: AgentState): string {
  const lines = [
    `agent ${state.agentId}: ${state.status}`,
    `turns: ${state.turns}, waiting in the inbox: ${state.inboxLength}`,
  ];
  if (state.options.tools.length > 0) lines.push(`tools: ${state.options.tools.join(', ')}`);
  if (state.options.group) lines.push(`group: ${state.options.group}`);
  if (state.parentId) lines.push(`parent: ${state.parentId}`);
  if (state.children.length > 0) lines.push(`children: ${state.children.join(', ')}`);
  if (state.lastReply !== null) lines.push(`last reply: ${state.lastReply}`);
  if (state.error)
    lines.push(
      `error${state.error.type ? ` (${state.error.type})` : ''}: ${state.error.message}`,
      `retry the turn with: plan agent resume ${state.agentId}`,
    );
  const call = state.pendingApproval;
  if (call)
    lines.push(
      `waiting for approval: ${call.tool} ${call.argumentsPreview} (call ${call.callId})`,
      `decide with: plan approve ${state.agentId} --by NAME   or   plan reject ${state.agentId} --reason TEXT`,
    );
  if (state.waitingForPlan) lines.push(`waiting for its plan ${state.waitingForPlan} (approve it like any plan)`);
  if (state.terminated)
    lines.push(
      `terminated${state.terminated.by ? ` by ${state.terminated.by}` : ''}` +
        `${state.terminated.reason ? `: ${state.terminated.reason}` : ''}`,
    );
  return lines.join('\n');
}

export const agentStatus: Command = {
  spec: {
    usage: 'plan agent status <id> [--json]',
    summary: "An agent's state from its workflow: status, turns, inbox, last reply, a call waiting for approval.",
    example: 'npm run -s plan -- agent status support --json',
    options: { json: { type: 'boolean', description: "print the agent's state as JSON" } },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const state = await agentState(await ctx.temporal(), parsed.positionals[0]!);
    ctx.output.out(ctx.output.json ? JSON.stringify(state, null, 2) : describeState(state));
    return EXIT.ok;
  },
};

type Lifecycle = typeof pauseAgent;

function lifecycleCommand(name: string, summary: string, change: Lifecycle): Command {
  return {
    spec: {
      usage: `plan agent ${name} <id> [--by NAME] [--reason TEXT] [--json]`,
      summary,
      example: `npm run -s plan -- agent ${name} support --by alice --reason "end of shift"`,
      options: {
        by: { type: 'string', value: 'NAME', description: 'who does it, as recorded (default: your user name)' },
        reason: { type: 'string', value: 'TEXT', description: 'why, as recorded' },
        json: { type: 'boolean', description: "print the agent's state afterwards as JSON" },
      },
      positionals: 1,
    },
    async run(ctx: CliContext, parsed: Parsed) {
      const state = await change(await ctx.temporal(), parsed.positionals[0]!, {
        by: stringOption(parsed, 'by') ?? defaultActor(),
        reason: stringOption(parsed, 'reason'),
      });
      ctx.output.out(ctx.output.json ? JSON.stringify(state, null, 2) : `agent ${state.agentId}: ${state.status}`);
      return EXIT.ok;
    },
  };
}

export const agentPause = lifecycleCommand(
  'pause',
  'Pauses an agent: the running model or tool call finishes, nothing new starts until resume.',
  pauseAgent,
);
export const agentResume = lifecycleCommand(
  'resume',
  'Resumes a paused agent, or retries the turn of an agent in error.',
  resumeAgent,
);
export const agentStop = lifecycleCommand(
  'stop',
  'Terminates an agent for good: its running call is cancelled, its workflow ends with its state.',
  terminateAgent,
);

export const agentList: Command = {
  spec: {
    usage: 'plan agent list [--group G] [--json]',
    summary: 'Every agent (or a group) from the PostgreSQL mirror, most recently active first.',
    example: 'npm run -s plan -- agent list --group night-shift',
    options: {
      group: { type: 'string', value: 'G', description: 'only the agents of this group' },
      json: { type: 'boolean', description: 'print the agents as a JSON array' },
    },
    positionals: 0,
  },
  async run(ctx, parsed) {
    const group = stringOption(parsed, 'group');
    const agents = await listAgents(await ctx.database(), { group });
    if (ctx.output.json) ctx.output.out(JSON.stringify(agents, null, 2));
    else if (agents.length === 0) ctx.output.out(group ? `no agents in group ${group}` : 'no agents');
    else
      ctx.output.out(
        table(
          ['AGENT', 'STATUS', 'TURNS', 'GROUP', 'LAST REPLY'],
          agents.map((a) => [
            a.agentId,
            a.status,
            String(a.turns),
            a.group ?? '',
            (a.lastReply ?? '').replace(/\s+/g, ' ').slice(0, 60),
          ]),
        ),
      );
    return EXIT.ok;
  },
};
