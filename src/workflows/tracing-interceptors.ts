/**
 * Not a workflow: the workflow side of tracing, bundled with the plan workflows as a workflow interceptor module
 * (planWorkflowInterceptorModules in src/worker.ts) whether tracing is on or off, so a plan replays alike on every
 * worker. Its spans — the run, each activity it schedules, each signal and update it handles — leave the sandbox
 * through the worker's `exporter` sink. The one file here that may import more than @temporalio/workflow, src/plan and
 * activity types: the SDK's OpenTelemetry workflow interceptors (test/unit/workflow-imports.test.ts).
 *
 * Those interceptors add no commands, but they do add promise ticks, which can reorder the commands of one activation
 * (an update's completion came after a search-attribute upsert it used to precede). So they are a change to what a
 * running plan does and sit behind `patched()`: a run started before them replays without them.
 */
import {
  patched,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';

const TRACING_PATCH = 'opentelemetry-tracing';

// Queries and update validators run live only, never on replay: spans there would draw on the workflow's random
// numbers out of step with its history (temporalio/sdk-typescript#2023). Nor do they change anything worth a span.
const LIVE_ONLY = ['handleQuery', 'validateUpdate'];

export const interceptors = (): WorkflowInterceptors => {
  // Decided once per run as it starts, before the workflow (and so any other of these methods) runs.
  let traced = false;
  const on = () => traced;
  const inbound = gated<WorkflowInboundCallsInterceptor>(new OpenTelemetryInboundInterceptor(), on);
  return {
    inbound: [
      {
        ...inbound,
        execute: (input, next) => {
          traced = patched(TRACING_PATCH);
          return inbound.execute!(input, next);
        },
      },
    ],
    outbound: [gated<WorkflowOutboundCallsInterceptor>(new OpenTelemetryOutboundInterceptor(), on)],
    internals: [gated<WorkflowInternalsInterceptor>(new OpenTelemetryInternalsInterceptor(), on)],
  };
};

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** The interceptor's methods, each passing its input straight on, as if it were absent, unless `on()`. */
function gated<I extends object>(interceptor: I, on: () => boolean): I {
  const names = Object.getOwnPropertyNames(Object.getPrototypeOf(interceptor)).filter((name) => name !== 'constructor');
  return Object.fromEntries(
    names.map((name) => {
      const method = (interceptor as Record<string, Method>)[name]!.bind(interceptor);
      const traceable = !LIVE_ONLY.includes(name);
      const pass: Method = (input, next) => (traceable && on() ? method(input, next) : next(input));
      return [name, pass];
    }),
  ) as I;
}
