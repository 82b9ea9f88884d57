/**
 * The worker process's Temporal Runtime, which carries its logs and metrics. It is made once per process, before the
 * first NativeConnection, and cannot change after: connectPlanWorker installs it first thing. Logs — the SDK's, the
 * workflows' and activities' (`log`), and the SDK core's own, forwarded — are written to stderr at the configured
 * level and format. With a metrics address the core serves Prometheus's `/metrics` there: the SDK's `temporal_*`
 * series and the plans' `durable_plans_*` (metric-names.ts), recorded through the same meter.
 */
import { IllegalStateError, type LogLevel } from '@temporalio/common';
import { DefaultLogger, Runtime, type RuntimeOptions } from '@temporalio/worker';
import { PLAN_METRICS } from '../workflows/metric-names';
import { formatLogEntry, type LogFormat } from './log-format';

export interface RuntimeSettings {
  /** `ip:port` of the Prometheus endpoint; null: no metrics. */
  metricsAddress: string | null;
  /** The lowest level written, and the format; no format: pretty when stderr is a terminal, json otherwise. */
  log: { level: LogLevel; format: LogFormat | null };
}

/** The settings this process installed the Runtime with; like the Runtime, one per process. */
let installed: string | null = null;

/**
 * Installs the process's Runtime with `settings`. Once: a later call with the same settings does nothing (a process
 * may connect several workers); one with other settings throws, and so does a call after something else made the
 * Runtime (a Worker or NativeConnection created first), since the Runtime cannot change once made.
 */
export function installPlanRuntime(settings: RuntimeSettings): void {
  const format = settings.log.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const wanted = JSON.stringify({ metricsAddress: settings.metricsAddress, level: settings.log.level, format });
  if (installed === wanted) return;
  if (installed !== null) {
    throw new Error(
      `this process's Temporal Runtime is set up already (${installed}) and cannot change; run a worker with other log or metrics settings (${wanted}) in a process of its own`,
    );
  }
  try {
    Runtime.install(runtimeOptions(settings.metricsAddress, settings.log.level, format));
  } catch (err) {
    if (err instanceof IllegalStateError) {
      throw new Error(
        "this process's Temporal Runtime was made before the plan worker could set up its logs and metrics (LOG_LEVEL, LOG_FORMAT, PLAN_METRICS_ADDRESS): connect the plan worker before creating any other Worker or NativeConnection, or install the Runtime yourself and build the worker with createPlanWorker",
        { cause: err },
      );
    }
    if (settings.metricsAddress === null) throw err;
    // The likely cause: the metrics address is taken, or not one of this host's.
    throw new Error(
      `cannot start the worker's Temporal Runtime with metrics on ${settings.metricsAddress} (PLAN_METRICS_ADDRESS): ${(err as Error).message}`,
      { cause: err },
    );
  }
  installed = wanted;
  if (settings.metricsAddress !== null) {
    Runtime.instance().logger.info('metrics served', { url: `http://${settings.metricsAddress}/metrics` });
  }
}

function runtimeOptions(metricsAddress: string | null, level: LogLevel, format: LogFormat): RuntimeOptions {
  return {
    logger: new DefaultLogger(level, (entry) => process.stderr.write(`${formatLogEntry(entry, format)}\n`)),
    telemetryOptions: {
      // The core's own logs at the same level; those of the libraries under it (gRPC, HTTP) are noise below WARN.
      logging: { filter: { core: level, other: level === 'ERROR' ? 'ERROR' : 'WARN' }, forward: {} },
      metrics:
        metricsAddress === null
          ? undefined
          : { prometheus: { bindAddress: metricsAddress, histogramBucketOverrides: planHistogramBuckets() } },
    },
  };
}

/** The plans' histograms measure seconds to days; the core's default buckets are for milliseconds. */
function planHistogramBuckets(): Record<string, number[]> {
  return Object.fromEntries(
    Object.values(PLAN_METRICS).flatMap((metric) => ('buckets' in metric ? [[metric.name, [...metric.buckets]]] : [])),
  );
}
