/**
 * What stands between a tool call and its target: the tool's rate and concurrency limits (a call over them waits
 * for its turn, heartbeating) and its circuit breaker (an open one fails the call at once with CircuitOpen, which
 * Temporal retries after the cool-down). Plans' steps and agents' tool calls pass through it alike.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { CoordinationConfig } from '../config/coordination-config';
import { CIRCUIT_OPEN, LIMIT_WAIT_TIMEOUT } from '../plan/error-types';
import { admitCall, recordFailure, recordSuccess, releaseProbe, type Breaker } from '../store/circuit-breakers';
import { endTurn, takeTurn, type CallLimit } from '../store/call-limits';
import type { Tool } from '../tools/tool';
import { renderLimitKey } from './limit-key';

/** How a call that went through ends, for its breaker and its limits; `end` must be called once. */
export interface Passage {
  end(error: unknown): Promise<void>;
}

const OPEN_PASSAGE: Passage = { end: async () => undefined };

export class CallGuard {
  constructor(
    private readonly pool: Pool,
    private readonly config: CoordinationConfig,
  ) {}

  /**
   * Waits for the call's turn under its tool's limits, then asks its breaker. `failFast`: an open breaker fails the
   * call for good (the plan pauses, `onFailure: pause`) instead of asking Temporal to retry after the cool-down.
   */
  async enter(tool: Tool, parameters: unknown, options: { deadline: number; failFast: boolean }): Promise<Passage> {
    const limits = this.config.limits[tool.name];
    const settings = this.config.breakers[tool.name];
    if (!limits && !settings) return OPEN_PASSAGE;
    const context = Context.current();
    const holder = `${context.info.workflowExecution?.workflowId}/${context.info.activityId}/${context.info.attempt}`;
    const limit = limits ? { ...limits, key: boundedKey(renderLimitKey(limits.key, tool.name, parameters)) } : null;
    if (limit) await this.waitForTurn(limit, holder, options.deadline);
    if (!settings) return { end: () => afterCall(() => endTurn(this.pool, limit!.key, holder)) };
    const target = settings.per === 'target' && tool.target ? boundedKey(tool.target(parameters)) : null;
    const breaker: Breaker = {
      key: target === null ? tool.name : `${tool.name} ${target}`,
      tool: tool.name,
      target,
      failures: settings.failures,
      windowMs: settings.windowSeconds * 1000,
      coolDownMs: settings.coolDownSeconds * 1000,
    };
    const admission = await admitCall(this.pool, breaker, Math.max(1_000, options.deadline - Date.now()));
    if (!admission.admitted) {
      if (limit) await endTurn(this.pool, limit.key, holder);
      throw circuitOpen(breaker, admission, options.failFast);
    }
    return {
      end: (error) =>
        afterCall(async () => {
          if (limit) await endTurn(this.pool, limit.key, holder);
          if (error === null) return recordSuccess(this.pool, breaker, admission.probe);
          if (countsAgainst(error)) return recordFailure(this.pool, breaker, (error as Error).message ?? String(error));
          if (admission.probe) await releaseProbe(this.pool, breaker);
        }),
    };
  }

  /** Waits, heartbeating (so a cancellation reaches it), until the limit gives the call its turn. */
  private async waitForTurn(limit: CallLimit, holder: string, deadline: number): Promise<void> {
    const context = Context.current();
    const started = Date.now();
    for (;;) {
      const turn = await takeTurn(this.pool, limit, holder, Math.max(1_000, deadline - Date.now()) + 5_000);
      if (turn.granted) return;
      if (Date.now() + turn.retryInMs >= deadline) {
        throw ApplicationFailure.create({
          type: LIMIT_WAIT_TIMEOUT,
          message:
            `waited ${Math.round((Date.now() - started) / 1000)} s for a turn under limit "${limit.key}" ` +
            `(${turn.running} running) until the attempt's deadline`,
        });
      }
      context.heartbeat({ waitingFor: { limit: limit.key, running: turn.running } });
      await context.sleep(Math.min(turn.retryInMs, 1_000));
    }
  }
}

/** Limit keys and breaker targets come from a call's parameters, which a model wrote: long ones are hashed. */
const MAX_KEY_CHARS = 200;

export function boundedKey(key: string): string {
  if (key.length <= MAX_KEY_CHARS) return key;
  return `${key.slice(0, 100)}…sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Tells the breaker and the limits how a call ended. A failure to do so (PostgreSQL away) must not fail a call that
 * has already had its effect, or Temporal would run it again: it is logged; a slot then frees with its lease.
 */
async function afterCall(report: () => Promise<unknown>): Promise<void> {
  try {
    await report();
  } catch (err) {
    Context.current().log.warn('could not record the call with its circuit breaker or limit', {
      error: (err as Error).message,
    });
  }
}

/** A failure says something about the target unless it was the call's own fault (not retryable) or a cancellation. */
function countsAgainst(error: unknown): boolean {
  if (error instanceof CancelledFailure) return false;
  return !(error instanceof ApplicationFailure && error.nonRetryable);
}

function circuitOpen(
  breaker: Breaker,
  admission: { retryInMs: number; failures: number; lastError: string | null },
  failFast: boolean,
): ApplicationFailure {
  const seconds = Math.ceil(admission.retryInMs / 1000);
  return ApplicationFailure.create({
    type: CIRCUIT_OPEN,
    message:
      `circuit open for ${breaker.key} after ${admission.failures} failures` +
      `${admission.lastError ? ` (last: ${admission.lastError.slice(0, 200)})` : ''}; ` +
      (failFast ? 'the plan pauses (onFailure: pause)' : `retried in ${seconds} s`),
    nonRetryable: failFast,
    nextRetryDelay: failFast ? undefined : admission.retryInMs,
  });
}
