/**
 * The OpenTelemetry side of tracing.ts, loaded only when tracing is on: a tracer provider exporting over OTLP/HTTP,
 * and Temporal's interceptors wired to it.
 */
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import { PlanTraceContext } from './tracing-plan-context';
import { StepSpanAttributes } from './tracing-step-attributes';
import type { Tracing } from './tracing';

/** Tracing to the OTLP/HTTP receiver at `endpoint` (its base URL), as the service `serviceName`. */
export function createTracing(endpoint: string, serviceName: string): Tracing {
  installContextPropagation();
  const resource = new Resource({ 'service.name': serviceName });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // Not registered as the global provider: a process may trace as two services (`plan worker` is a CLI and a worker).
  const tracer = provider.getTracer('durable-plans');
  return {
    clientInterceptors: (connection, namespace) => [
      // Outermost, so that the client's span is made inside the plan's trace.
      new PlanTraceContext(connection, namespace),
      new OpenTelemetryWorkflowClientInterceptor({ tracer }),
    ],
    // The first is outermost: the step's attributes go on the span it has made active.
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
      (ctx) => ({ inbound: new StepSpanAttributes(ctx) }),
    ],
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    shutdown: () => provider.shutdown(),
  };
}

/**
 * The interceptors carry a span's context in Temporal headers through OpenTelemetry's process-wide context manager
 * and propagator; the first tracing of a process installs them, later ones find them in place.
 */
function installContextPropagation(): void {
  const manager = new AsyncLocalStorageContextManager().enable();
  if (context.setGlobalContextManager(manager)) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  else manager.disable();
}
