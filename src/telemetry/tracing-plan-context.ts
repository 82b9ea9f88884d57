/**
 * A decision belongs to its plan's trace. `plan approve` runs in a process of its own, so its span would start a trace
 * of its own; instead, a signal or update sent outside any span is sent within the context the plan's run was started
 * with — the trace header on the first event of its history.
 */
import { context, trace, type Context } from '@opentelemetry/api';
import type {
  Connection,
  Next,
  WorkflowClientInterceptor,
  WorkflowSignalInput,
  WorkflowStartUpdateInput,
  WorkflowStartUpdateOutput,
} from '@temporalio/client';
import type { Headers } from '@temporalio/common';
import { extractContextFromHeaders } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';

/** Runs signals and updates in the trace of the plan they are sent to, unless the caller is in a trace already. */
export class PlanTraceContext implements WorkflowClientInterceptor {
  constructor(
    private readonly connection: Pick<Connection, 'workflowService'>,
    private readonly namespace: string,
  ) {}

  signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>): Promise<void> {
    return this.inPlanTrace(input.workflowExecution, () => next(input));
  }

  startUpdate(
    input: WorkflowStartUpdateInput,
    next: Next<WorkflowClientInterceptor, 'startUpdate'>,
  ): Promise<WorkflowStartUpdateOutput> {
    return this.inPlanTrace(input.workflowExecution, () => next(input));
  }

  private async inPlanTrace<T>(execution: { workflowId: string; runId?: string }, send: () => Promise<T>): Promise<T> {
    if (trace.getActiveSpan() !== undefined) return send();
    const planContext = await this.startContext(execution);
    return planContext === undefined ? send() : context.with(planContext, send);
  }

  private async startContext(execution: { workflowId: string; runId?: string }): Promise<Context | undefined> {
    try {
      const { history } = await this.connection.workflowService.getWorkflowExecutionHistory({
        namespace: this.namespace,
        execution,
        maximumPageSize: 1,
      });
      const header = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.header?.fields;
      return header ? extractContextFromHeaders(header as Headers) : undefined;
    } catch {
      // Tracing never stands in the way: the signal or update itself reports a plan that cannot be reached.
      return undefined;
    }
  }
}
