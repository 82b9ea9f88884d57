import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { parseNamespace, planNamespace, type MemoryNamespace } from '../plan';
import type { SharedMemory } from '../store/shared-memory';
import type { Tool } from '../tools/tool';
import type { ToolRegistry } from '../tools/registry';
import type { FailureDetails, StepCall, StepOutcome, ToolActivity } from './types';

/** What tools may use besides their parameters, injected once by createActivities. */
export interface ToolServices {
  memory: SharedMemory;
}

/** Error type of a call whose parameters (after reference resolution) do not fit the tool. */
export const INVALID_PARAMETERS = 'InvalidParameters';

/** One activity per tool, registered under the tool's name. */
export function createToolActivities(registry: ToolRegistry, services: ToolServices): Record<string, ToolActivity> {
  return Object.fromEntries(registry.list().map((tool) => [tool.name, toolActivity(tool, services)]));
}

function toolActivity(tool: Tool, services: ToolServices): ToolActivity {
  return async (call: StepCall): Promise<StepOutcome> => {
    const context = Context.current();
    const { attempt } = context.info;
    const parsed = tool.parameters.safeParse(call.parameters);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(parameters)'}: ${i.message}`).join('; ');
      throw ApplicationFailure.create({
        message: `parameters do not fit tool "${tool.name}": ${issues}`,
        type: INVALID_PARAMETERS,
        nonRetryable: true,
        details: [{ attempt } satisfies FailureDetails],
      });
    }
    const idempotencyKey = `${call.planId}:${call.stepId}${call.purpose === 'compensation' ? ':compensate' : ''}`;
    try {
      const result = await tool.run(parsed.data, {
        planId: call.planId,
        stepId: call.stepId,
        attempt,
        idempotencyKey,
        heartbeat: (details) => context.heartbeat(details),
        signal: context.cancellationSignal,
        memory: services.memory,
        namespace: stepNamespace(call, context.info.namespace),
      });
      return { result: result ?? null, attempt };
    } catch (err) {
      throw withAttempt(err, attempt);
    }
  };
}

/** Re-raises a tool's error as an ApplicationFailure that keeps its type and retryability and carries the attempt. */
function withAttempt(err: unknown, attempt: number): unknown {
  if (err instanceof CancelledFailure) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  const failure = err instanceof ApplicationFailure ? err : null;
  return ApplicationFailure.create({
    message: error.message,
    type: failure?.type ?? error.name,
    nonRetryable: failure?.nonRetryable ?? false,
    nextRetryDelay: failure?.nextRetryDelay,
    details: [{ attempt } satisfies FailureDetails, ...(failure?.details ?? [])],
    cause: error.cause instanceof Error ? error.cause : undefined,
  });
}

/** The plan's chosen namespace, else its own. Validation refused bad paths already; one here is refused loudly. */
function stepNamespace(call: StepCall, temporalNamespace: string): MemoryNamespace {
  if (call.memoryNamespace === null) return planNamespace(temporalNamespace, call.planId);
  const chosen = parseNamespace(call.memoryNamespace);
  if (typeof chosen === 'string') throw ApplicationFailure.nonRetryable(chosen, INVALID_PARAMETERS);
  return chosen;
}
