/**
 * Names the step on an activity attempt's span, so a trace answers "which step of which plan, with what tool, which
 * try" without reading its arguments.
 */
import { trace } from '@opentelemetry/api';
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { StepCall } from '../activities/types';

/** Sets `plan.id`, `step.id`, `step.purpose`, `tool` and `attempt` on the span of a tool activity's attempt. */
export class StepSpanAttributes implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    // Tool activities take a StepCall; the plan's own activities (mirror, checks) name no step.
    const call = input.args[0] as Partial<StepCall> | undefined;
    const span = trace.getActiveSpan();
    if (span && typeof call?.planId === 'string' && typeof call.stepId === 'string') {
      span.setAttributes({
        'plan.id': call.planId,
        'step.id': call.stepId,
        'step.purpose': call.purpose ?? 'step',
        tool: this.ctx.info.activityType,
        attempt: this.ctx.info.attempt,
      });
    }
    return next(input);
  }
}
