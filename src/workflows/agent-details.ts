import type { AgentState } from '../activities/agent-types';

/** Markdown for Temporal Web's "Current details": where the agent stands, and while a call waits, how to decide. */
export function describeAgent(state: AgentState): string {
  const lines = [`**${state.status}** — ${state.turns} turns, ${state.inboxLength} waiting in the inbox`];
  if (state.error)
    lines.push(`Failed: ${state.error.message}. Retry the turn with \`plan agent resume ${state.agentId}\`.`);
  if (state.waitingForPlan) lines.push(`Waiting for its plan \`${state.waitingForPlan}\` (approve it like any plan).`);
  const call = state.pendingApproval;
  if (call) {
    lines.push(
      `Tool \`${call.tool}\` (call ${call.callId}) waits for approval with \`${call.argumentsPreview}\`. Approve with ` +
        `\`npm run -s plan -- approve ${state.agentId}\` or \`temporal workflow signal --workflow-id ${state.agentId} ` +
        `--name approve --input '{"by":"your-name"}'\`; reject with \`reject\` and a "reason".`,
    );
  }
  return lines.join('\n\n');
}
