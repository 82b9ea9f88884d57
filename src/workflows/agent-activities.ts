/** How the agent workflow runs its activities: model calls, tool calls. */
import { proxyActivities } from '@temporalio/workflow';
import type { AgentActivities, ToolCallRequest } from '../activities/agent-types';

/**
 * A model call streams for as long as the model talks; its heartbeats (one per piece of the answer, and every second
 * while waiting) let a dead worker's call be retried within seconds.
 */
export const agentActivities = proxyActivities<AgentActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second', backoffCoefficient: 2 },
  summary: 'model call',
});

/** A tool call's activity: named by its summary in Temporal Web, with the tool's own time limits. */
export function agentToolActivity(request: ToolCallRequest): Pick<AgentActivities, 'agentToolCall'> {
  return proxyActivities<AgentActivities>({
    startToCloseTimeout: request.timeoutMs ?? 5 * 60_000,
    heartbeatTimeout: request.heartbeatTimeoutMs ?? undefined,
    retry: { maximumAttempts: 3, initialInterval: '1 second', backoffCoefficient: 2 },
    summary: `${request.tool} ${request.argumentsPreview.slice(0, 120)}`,
  });
}
