import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { MemoryScope, parseNamespace, planNamespace, resolveSecretSlots, type MemoryNamespace } from '../plan';
import type { SharedMemory } from '../store/shared-memory';
import { parseParameters } from '../tools/parse-parameters';
import { scrubSecrets, scrubText, secretValues } from '../tools/secrets';
import type { ToolServices } from '../tools/services';
import { StepMemory } from '../tools/step-memory';
import { z } from 'zod';
import { INVALID_PARAMETERS, INVALID_TOOL_RESULT } from '../plan/error-types';
import { undoActivityName, type Tool } from '../tools/tool';
import type { ToolRegistry } from '../tools/registry';
import type { CallGuard } from './call-guard';
import type { CarriedWrites } from './carried-mirror';
import type { ResultStore } from './result-store';
import type { SecretSource } from './secret-source';
import type { FailureDetails, StepCall, StepOutcome, ToolActivity } from './types';

/** What tools may use besides their parameters, injected once by createActivities. */
export interface ActivityServices extends ToolServices {
  memory: SharedMemory;
  /** Large results in and out of PostgreSQL, so they never travel through workflow history. */
  results: ResultStore;
  /** The values of `{{secrets.NAME}}`, filled in here so they never travel through the workflow. */
  secrets: SecretSource;
  /** The tools' circuit breakers and rate/concurrency limits. */
  guard: CallGuard;
  /** The plan mirror's rows steps' calls carry (see StepCall.mirror). */
  carried: CarriedWrites;
}

/**
 * One activity per tool, registered under the tool's name, plus `<name>:undo` for tools with a default compensation.
 */
export function createToolActivities(registry: ToolRegistry, services: ActivityServices): Record<string, ToolActivity> {
  return Object.fromEntries(
    registry.list().flatMap((tool) => {
      const own: [string, ToolActivity] = [tool.name, toolActivity(tool, services)];
      if (!tool.undo) return [own];
      const undo: Tool = {
        name: undoActivityName(tool.name),
        description: tool.undo.description,
        risk: tool.risk,
        parameters: z.object({ parameters: tool.parameters, result: z.unknown() }),
        run: (input, context) => tool.undo!.run(input as { parameters: unknown; result: unknown }, context),
      };
      return [own, [undo.name, toolActivity(undo, services)]];
    }),
  );
}

function toolActivity(tool: Tool, services: ActivityServices): ToolActivity {
  return async (call: StepCall): Promise<StepOutcome> => {
    const context = Context.current();
    const { mirror, confirms } = call;
    // The carried rows are written while the tool runs, and with its result once it is done (CarriedWrites).
    const carried = mirror && services.carried.begin(mirror);
    const confirming = mirror && confirms && services.carried.confirm(mirror, confirms);
    let invoked: Awaited<ReturnType<typeof invokeTool>>;
    let kept: unknown;
    try {
      invoked = await invokeTool(tool, services, call);
      kept = await keepUntil(invoked.deadline, () => services.results.keep(call.planId, call.stepId, invoked.result));
    } catch (err) {
      // A call that fails leaves the rows to the workflow.
      carried?.stop();
      throw err;
    }
    const { attempt } = invoked;
    if (carried) {
      carried.complete({ stepId: call.stepId, attempts: attempt, result: invoked.result }, confirming);
      const confirmed = confirming ? { confirmed: await confirming } : {};
      return { result: kept, attempt, mirrored: 'pending', ...confirmed };
    }
    if (!context.info.isLocal) return { result: kept, attempt };
    // A local step's times travel with its result: the workflow's clock after a local activity differs on replay.
    return {
      result: kept,
      attempt,
      startedAt: new Date(context.info.scheduledTimestampMs).toISOString(),
      finishedAt: new Date().toISOString(),
    };
  };
}

/**
 * Runs one call of a tool in the current activity, for a plan's step or an agent's tool call: secrets filled in,
 * parameters checked, memory scoped to the caller, and what comes back checked and scrubbed of every secret.
 */
export async function invokeTool(
  tool: Tool,
  services: ActivityServices,
  call: StepCall,
): Promise<{ result: unknown; attempt: number; deadline: number }> {
  const context = Context.current();
  const { attempt, startToCloseTimeoutMs } = context.info;
  const deadline = Date.now() + startToCloseTimeoutMs - deadlineMargin(startToCloseTimeoutMs);
  let parameters: Record<string, unknown>;
  let resolved: string[];
  try {
    ({ parameters, values: resolved } = resolveSecretSlots(
      await services.results.dereference(call.parameters),
      call.secrets ?? [],
      services.secrets,
    ));
  } catch (err) {
    throw withAttempt(err, attempt, []);
  }
  // Whatever the tool returns or throws is scrubbed of the values of its secret parameters and of its secrets.
  const secrets = [...new Set([...secretValues(tool.secretParams, parameters), ...resolved])].sort(
    (a, b) => b.length - a.length,
  );
  const parsed = parseParameters(tool.parameters, parameters);
  if (!parsed.success) {
    const issues = describeIssues(parsed.issues, '(parameters)');
    throw permanentFailure(
      INVALID_PARAMETERS,
      `parameters do not fit tool "${tool.name}": ${issues}`,
      attempt,
      secrets,
    );
  }
  const idempotencyKey = `${call.planId}:${call.stepId}${call.purpose === 'compensation' ? ':compensate' : ''}`;
  // Bad input was refused above, before the limits and the breaker: it says nothing about the target.
  const passage = await services.guard.enter(tool, parsed.data, { deadline, failFast: call.onCircuitOpen === 'fail' });
  let result: unknown;
  try {
    const writer = { planId: call.planId, stepId: call.stepId, attempt };
    const own = planNamespace(context.info.namespace, call.planId);
    // memoryNamespaces is absent from calls scheduled before plans could declare any: they reach no more.
    const scope = new MemoryScope(own, call.memoryNamespace, call.memoryNamespaces ?? []);
    const memory = new StepMemory(services.memory, stepNamespace(call, own), { writer, idempotencyKey }, scope);
    result = await tool.run(parsed.data, {
      planId: call.planId,
      stepId: call.stepId,
      attempt,
      idempotencyKey,
      deadline,
      heartbeat: (details) => context.heartbeat(details),
      signal: context.cancellationSignal,
      secrets,
      memory,
      logger: context.log,
      shell: services.shell,
      sql: services.sql,
      llm: services.llm,
      http: services.http,
      fencingToken: call.fencingToken ?? null,
    });
  } catch (err) {
    await passage.end(err);
    throw withAttempt(err, attempt, secrets);
  }
  await passage.end(null);
  return { result: scrubSecrets(checkedResult(tool, result, attempt, secrets) ?? null, secrets), attempt, deadline };
}

/**
 * What the tool returned, parsed with its `result` schema when it declares one; a misfit is the tool's bug, not
 * retried.
 */
function checkedResult(tool: Tool, result: unknown, attempt: number, secrets: string[]): unknown {
  if (!tool.result) return result;
  const parsed = tool.result.safeParse(result);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error.issues, '(result)');
  throw permanentFailure(
    INVALID_TOOL_RESULT,
    `tool "${tool.name}" returned a result that does not fit its result schema: ${issues}`,
    attempt,
    secrets,
  );
}

/** `path: message; ...`, with `whole` naming an issue about the value itself. */
function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], whole: string): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || whole}: ${issue.message}`).join('; ');
}

/** A failure the same call would meet again: never retried, carries the attempt, holds none of the call's secrets. */
function permanentFailure(type: string, message: string, attempt: number, secrets: string[]): ApplicationFailure {
  return ApplicationFailure.create({
    message: scrubText(message, secrets),
    type,
    nonRetryable: true,
    details: [{ attempt } satisfies FailureDetails],
  });
}

/**
 * Stores a large result, retrying while PostgreSQL is away until the attempt's deadline: failing the attempt would
 * run the tool (and its side effects) again for the sake of a write.
 */
async function keepUntil(deadline: number, keep: () => Promise<unknown>): Promise<unknown> {
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await keep();
    } catch (err) {
      if (Date.now() + delay >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * How long before Temporal's start-to-close timeout a tool should give up: the server's clock started the attempt
 * a little before the worker did, and a tool that stops first reports its own, more useful, error type.
 */
function deadlineMargin(startToCloseTimeoutMs: number): number {
  return Math.min(1_000, startToCloseTimeoutMs / 10);
}

/**
 * Re-raises a tool's error as an ApplicationFailure that keeps its type and retryability, carries the attempt, and
 * holds none of the call's secrets.
 */
function withAttempt(err: unknown, attempt: number, secrets: string[]): unknown {
  if (err instanceof CancelledFailure) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  const failure = err instanceof ApplicationFailure ? err : null;
  return ApplicationFailure.create({
    message: scrubText(error.message, secrets),
    type: failure?.type ?? error.name,
    nonRetryable: failure?.nonRetryable ?? false,
    nextRetryDelay: failure?.nextRetryDelay ?? undefined,
    details: [{ attempt } satisfies FailureDetails, ...scrubSecrets(failure?.details ?? [], secrets)],
    cause: error.cause instanceof Error ? scrubbedCause(error.cause, secrets) : undefined,
  });
}

function scrubbedCause(cause: Error, secrets: string[]): Error {
  if (secrets.length === 0) return cause;
  const copy = new Error(scrubText(cause.message, secrets));
  copy.name = cause.name;
  return copy;
}

/** The plan's chosen namespace, else its own. Validation refused bad paths already; one here is refused loudly. */
function stepNamespace(call: StepCall, own: MemoryNamespace): MemoryNamespace {
  if (call.memoryNamespace === null) return own;
  const chosen = parseNamespace(call.memoryNamespace);
  if (typeof chosen === 'string') throw ApplicationFailure.nonRetryable(chosen, INVALID_PARAMETERS);
  return chosen;
}
