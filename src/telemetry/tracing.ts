/**
 * Tracing of plans with OpenTelemetry, on only when an OTLP endpoint is configured. This module loads nothing of
 * OpenTelemetry: the SDK is required when tracing starts, so commands run without it pay nothing for it at start-up.
 */
import type { Connection, WorkflowClientInterceptor } from '@temporalio/client';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Config } from '../config';
import type * as TracingProvider from './tracing-provider';

/** A process's tracing: what clients and workers add to trace plans, and the flush at exit. */
export interface Tracing {
  /**
   * Client interceptors: a span per workflow start, signal, update and query, its context sent in the call's headers;
   * a signal or update outside any span joins the trace its plan was started in.
   */
  clientInterceptors(connection: Pick<Connection, 'workflowService'>, namespace: string): WorkflowClientInterceptor[];
  /** Activity interceptors: a span per activity attempt, a child of the workflow's, naming the plan, step and tool. */
  activityInterceptors: ActivityInterceptorsFactory[];
  /** The sink through which the bundled workflow interceptors export the workflow's spans. */
  sinks: InjectedSinks<OpenTelemetrySinks>;
  /** Exports the spans not yet sent and stops; once, when the process is done with Temporal. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing when `config.endpoint` is set (null otherwise): spans are batched and sent over OTLP/HTTP as
 * `config.serviceName`, else `defaultServiceName`.
 */
export function startTracing(config: Config['tracing'], defaultServiceName: string): Tracing | null {
  if (config.endpoint === null) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the SDK only when tracing is on
  const { createTracing } = require('./tracing-provider') as typeof TracingProvider;
  return createTracing(config.endpoint, config.serviceName ?? defaultServiceName);
}

/**
 * The workflow sink when tracing is off. Every plan bundle carries the tracing interceptors, so that a plan replays
 * alike on every worker; their spans need a sink to land in, and without tracing it drops them.
 */
export const UNTRACED_SINKS: InjectedSinks<OpenTelemetrySinks> = {
  exporter: { export: { fn: () => undefined } },
};
