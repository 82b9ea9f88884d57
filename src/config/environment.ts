/**
 * Configuration from the environment. The names that cross process boundaries (workflow type, signals,
 * search attributes) live in `workflows/definitions.ts`, which workflow code can import.
 */
import { isIP } from 'node:net';
import type { Duration, LogLevel, WorkerDeploymentVersion } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { parseCodecKeys, type CodecKey } from '../codec/codec-keys';
import { loadTemporalProfile, type TemporalProfile } from './temporal-profile';
export { RUN_PLAN_WORKFLOW, SEARCH_ATTRIBUTES } from '../workflows/definitions';

export const DEFAULTS = {
  temporalAddress: '127.0.0.1:7233',
  namespace: 'default',
  taskQueue: 'plans',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  embeddedPostgresPort: 54329,
  // How long a stopping worker lets running steps finish; a process manager's stop timeout must exceed it
  // (docs/operations.md).
  shutdownGraceMs: 30_000,
  // The model asked at OpenAI itself (OPENAI_API_KEY without OPENAI_BASE_URL) when PLAN_LLM_MODEL names none: small,
  // cheap, and it answers in structured output, which the planner asks for. Other servers have no model in common.
  openAiModel: 'gpt-5-mini',
} as const;

export interface Config {
  /**
   * Temporal frontend address (the profile's, or TEMPORAL_ADDRESS); null when unset, so the dev stack may start its
   * own server.
   */
  temporalAddress: string | null;
  namespace: string;
  /** The rest of the Temporal connection: profile name, API key, TLS, gRPC headers (temporal-profile.ts). */
  temporal: Pick<TemporalProfile, 'apiKey' | 'tls' | 'grpcMeta'> & { profile: string | null };
  taskQueue: string;
  /** PostgreSQL URL; null when unset, so the dev stack may fall back to an embedded server. */
  databaseUrl: string | null;
  /** TEMPORAL_UI_URL; null: derived from the frontend's address where it can be (web-ui-url.ts). */
  webUiUrl: string | null;
  /** Ports of the dev server `npm start` runs when TEMPORAL_ADDRESS is unset. */
  devServerPort: number;
  devUiPort: number;
  /**
   * Command shapes the shell tool may run (PLAN_SHELL_ALLOW), variables steps may set (PLAN_SHELL_ENV_ALLOW), and the
   * part of this environment commands inherit.
   */
  shell: { allow: string[]; envAllow: string[]; env: Record<string, string> };
  /** Databases sql_query may use besides DATABASE_URL (PLAN_SQL_CONNECTIONS): name -> PostgreSQL URL. */
  sqlConnections: Record<string, string>;
  /**
   * PLAN_SQL_UNRESTRICTED=true: sql_query steps run as their connection's login with all it may do (COPY TO PROGRAM
   * included, for a superuser), unscreened. For plans no model writes; the worker warns at start.
   */
  sqlUnrestricted: boolean;
  /**
   * The OpenAI-compatible server of llm_chat and the planner; model: PLAN_LLM_MODEL, else DEFAULTS.openAiModel at
   * OpenAI itself, else null. Its largest answer (PLAN_LLM_MAX_RESPONSE_BYTES), null: 1 MiB.
   */
  llm: { apiKey: string | null; baseUrl: string | null; model: string | null; maxResponseBytes: number | null };
  /** Hosts (`host[:port]`) http_request may reach although they are internal addresses (PLAN_HTTP_ALLOW). */
  http: { allow: string[] };
  /**
   * Step results whose JSON is larger are stored in PostgreSQL and referenced (PLAN_RESULT_INLINE_LIMIT); null: 64 KiB.
   */
  resultInlineLimitBytes: number | null;
  /**
   * The payload codec (PLAN_CODEC_KEYS, first key encrypts), the codec server's bearer token (PLAN_CODEC_TOKEN) and
   * port (PLAN_CODEC_PORT). No keys: payloads are stored in clear.
   */
  codec: { keys: CodecKey[]; token: string | null; port: number | null };
  /** What `{{secrets.NAME}}` resolves to on a worker: PLAN_SECRET_<NAME> variables, then the PLAN_SECRETS_FILE. */
  secrets: { values: Record<string, string>; file: string | null };
  /**
   * Tracing: spans go over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (null: tracing is off), from the service
   * OTEL_SERVICE_NAME (null: durable-plans-worker, durable-plans-cli).
   */
  tracing: { endpoint: string | null; serviceName: string | null };
  /**
   * Worker Versioning: the Worker Deployment and build a worker serves (PLAN_DEPLOYMENT_NAME, PLAN_BUILD_ID), null
   * when unset; `workerDeploymentVersion` checks that they come together.
   */
  deployment: { name: string | null; buildId: string | null };
  /** How long a stopping worker lets in-flight steps finish before cancelling them (PLAN_SHUTDOWN_GRACE), in ms. */
  shutdownGraceMs: number;
  /** A worker's Prometheus endpoint (PLAN_METRICS_ADDRESS, an `ip:port`); null: no metrics. */
  metricsAddress: string | null;
  /** A worker's logs: the lowest level written (LOG_LEVEL) and the format (LOG_FORMAT; null: pretty on a terminal). */
  log: { level: LogLevel; format: 'json' | 'pretty' | null };
  /** A worker's /healthz and /readyz (PLAN_HEALTH_PORT; null: none) on PLAN_HEALTH_HOST (default: every interface). */
  health: { port: number | null; host: string };
  /** How many agent model calls a worker runs at once (PLAN_AGENT_MAX_RUNNING_TURNS); null: 8. */
  maxRunningTurns: number | null;
  /** The key step callbacks are signed with (PLAN_NOTIFY_SECRET, HMAC-SHA256); null: sent unsigned. */
  notifySecret: string | null;
}

// The worker's environment also holds its credentials (DATABASE_URL, OPENAI_API_KEY): commands inherit only these.
const SHELL_INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'USER', 'LOGNAME'];

/**
 * Reads the configuration from environment variables (see the configuration table in docs/operations.md) and, for
 * the Temporal connection, the standard client configuration file's profile (`profile`, else TEMPORAL_PROFILE, else
 * "default").
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { profile?: string } = {}): Config {
  const temporal = loadTemporalProfile(env, options.profile);
  return {
    temporalAddress: temporal.address,
    namespace: temporal.namespace ?? DEFAULTS.namespace,
    temporal: { profile: temporal.name, apiKey: temporal.apiKey, tls: temporal.tls, grpcMeta: temporal.grpcMeta },
    taskQueue: nonEmpty(env.PLAN_TASK_QUEUE) ?? DEFAULTS.taskQueue,
    databaseUrl: nonEmpty(env.DATABASE_URL),
    webUiUrl: nonEmpty(env.TEMPORAL_UI_URL),
    devServerPort: port(env.TEMPORAL_DEV_PORT, 'TEMPORAL_DEV_PORT') ?? 7233,
    devUiPort:
      port(env.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT') ??
      (port(env.TEMPORAL_DEV_PORT, 'TEMPORAL_DEV_PORT') ?? 7233) + 1000,
    shell: {
      allow: commaList(env.PLAN_SHELL_ALLOW),
      envAllow: commaList(env.PLAN_SHELL_ENV_ALLOW),
      env: Object.fromEntries(
        SHELL_INHERITED_ENV.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])),
      ),
    },
    sqlConnections: sqlConnections(env.PLAN_SQL_CONNECTIONS),
    sqlUnrestricted: nonEmpty(env.PLAN_SQL_UNRESTRICTED) === 'true',
    llm: {
      apiKey: nonEmpty(env.OPENAI_API_KEY),
      baseUrl: nonEmpty(env.OPENAI_BASE_URL),
      model: nonEmpty(env.PLAN_LLM_MODEL) ?? openAiDefaultModel(env),
      maxResponseBytes: positiveInteger(env.PLAN_LLM_MAX_RESPONSE_BYTES, 'PLAN_LLM_MAX_RESPONSE_BYTES'),
    },
    http: { allow: commaList(env.PLAN_HTTP_ALLOW) },
    resultInlineLimitBytes: inlineLimit(env.PLAN_RESULT_INLINE_LIMIT),
    codec: {
      keys: parseCodecKeys(env.PLAN_CODEC_KEYS ?? ''),
      token: nonEmpty(env.PLAN_CODEC_TOKEN),
      port: port(env.PLAN_CODEC_PORT, 'PLAN_CODEC_PORT'),
    },
    secrets: {
      values: Object.fromEntries(
        Object.entries(env).flatMap(([name, value]) =>
          name.startsWith(SECRET_PREFIX) && value !== undefined ? [[name.slice(SECRET_PREFIX.length), value]] : [],
        ),
      ),
      file: nonEmpty(env.PLAN_SECRETS_FILE),
    },
    tracing: { endpoint: otlpEndpoint(env.OTEL_EXPORTER_OTLP_ENDPOINT), serviceName: nonEmpty(env.OTEL_SERVICE_NAME) },
    deployment: { name: nonEmpty(env.PLAN_DEPLOYMENT_NAME), buildId: nonEmpty(env.PLAN_BUILD_ID) },
    shutdownGraceMs: duration(env.PLAN_SHUTDOWN_GRACE, 'PLAN_SHUTDOWN_GRACE') ?? DEFAULTS.shutdownGraceMs,
    metricsAddress: socketAddress(env.PLAN_METRICS_ADDRESS, 'PLAN_METRICS_ADDRESS'),
    log: { level: logLevel(env.LOG_LEVEL), format: logFormat(env.LOG_FORMAT) },
    maxRunningTurns: positiveInteger(env.PLAN_AGENT_MAX_RUNNING_TURNS, 'PLAN_AGENT_MAX_RUNNING_TURNS'),
    notifySecret: nonEmpty(env.PLAN_NOTIFY_SECRET),
    health: {
      port: port(env.PLAN_HEALTH_PORT, 'PLAN_HEALTH_PORT'),
      // Orchestrators probe from outside the container or host, so every interface unless told otherwise.
      host: nonEmpty(env.PLAN_HEALTH_HOST) ?? '0.0.0.0',
    },
  };
}

/**
 * The Worker Deployment Version a worker serves, or null for an unversioned worker. A name without a build id, or the
 * reverse, is a mistake worth stopping for: the worker would otherwise run unversioned and take every plan.
 */
export function workerDeploymentVersion(deployment: Config['deployment']): WorkerDeploymentVersion | null {
  const { name, buildId } = deployment;
  if (name === null && buildId === null) return null;
  if (name === null || buildId === null) {
    const [set, unset] =
      name === null
        ? ['the build id (--build-id, PLAN_BUILD_ID)', 'the deployment name (--deployment-name, PLAN_DEPLOYMENT_NAME)']
        : ['the deployment name (--deployment-name, PLAN_DEPLOYMENT_NAME)', 'the build id (--build-id, PLAN_BUILD_ID)'];
    throw new Error(
      `${set} is set but ${unset} is not: a versioned worker needs both; set both, or neither for an unversioned worker`,
    );
  }
  // Temporal joins the two as "name:build" (formerly "name.build") and refuses a name containing either separator.
  if (/[.:]/.test(name)) {
    throw new Error(`the deployment name "${name}" contains "." or ":", which Temporal refuses; choose another name`);
  }
  return { deploymentName: name, buildId };
}

/** A duration: milliseconds, or a number with a unit (`30s`, `2m`, `500ms`); null when unset. */
export function duration(value: string | undefined, name: string): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  let ms: number;
  try {
    ms = msToNumber(text as Duration);
  } catch {
    ms = NaN;
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(
      `${name} must be a duration such as 30s, 2m or 500ms (a bare number is milliseconds), got "${text}"`,
    );
  }
  return ms;
}

/** `{{secrets.NAME}}` is PLAN_SECRET_NAME in the worker's environment. */
export const SECRET_PREFIX = 'PLAN_SECRET_';

/** PLAN_SQL_CONNECTIONS: a JSON object of connection name -> PostgreSQL URL. */
function sqlConnections(value: string | undefined): Record<string, string> {
  const text = nonEmpty(value);
  if (text === null) return {};
  const expected =
    'PLAN_SQL_CONNECTIONS must be a JSON object of name -> PostgreSQL URL, e.g. {"analytics":"postgres://reader@db/analytics"}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${expected}; it is not JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(expected);
  for (const [name, url] of Object.entries(parsed)) {
    if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url))
      throw new Error(`${expected}; "${name}" is not a postgres:// URL`);
  }
  return parsed as Record<string, string>;
}

/** OTEL_EXPORTER_OTLP_ENDPOINT: the base URL of an OTLP/HTTP receiver (`/v1/traces` is added to it). */
function otlpEndpoint(value: string | undefined): string | null {
  const text = nonEmpty(value);
  if (text === null || /^https?:\/\/[^/]/.test(text)) return text;
  throw new Error(
    `OTEL_EXPORTER_OTLP_ENDPOINT must be the http:// or https:// URL of an OTLP/HTTP receiver, e.g. http://localhost:4318, got "${text}"`,
  );
}

/** A comma-separated list, entries trimmed, empty ones dropped. */
function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A variable's trimmed value, or null when it is unset or blank. */
export function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== '' ? value.trim() : null;
}

// Only at OpenAI itself: a local server (Ollama, vLLM) serves whatever its operator pulled, so no name fits it.
function openAiDefaultModel(env: NodeJS.ProcessEnv): string | null {
  return nonEmpty(env.OPENAI_API_KEY) !== null && nonEmpty(env.OPENAI_BASE_URL) === null ? DEFAULTS.openAiModel : null;
}

/** PLAN_RESULT_INLINE_LIMIT: bytes, at most 1 MiB so a result and its step's other data stay well under 2 MB. */
function inlineLimit(value: string | undefined): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 1024 * 1024) {
    throw new Error(`PLAN_RESULT_INLINE_LIMIT must be a number of bytes from 0 to 1048576, got "${text}"`);
  }
  return n;
}

function positiveInteger(value: string | undefined, name: string): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number above 0, got "${text}"`);
  return n;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** LOG_LEVEL: trace, debug, info (default), warn (or warning, as other programs spell it) or error, in any case. */
function logLevel(value: string | undefined): LogLevel {
  const text = (nonEmpty(value)?.toLowerCase() ?? 'info').replace(/^warning$/, 'warn');
  if (!(LOG_LEVELS as readonly string[]).includes(text)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return text.toUpperCase() as LogLevel;
}

/** LOG_FORMAT: json or pretty; null when unset (the worker picks pretty on a terminal, json otherwise). */
function logFormat(value: string | undefined): 'json' | 'pretty' | null {
  const text = nonEmpty(value)?.toLowerCase() ?? null;
  if (text === null || text === 'json' || text === 'pretty') return text;
  throw new Error(`LOG_FORMAT must be json or pretty, got "${value}"`);
}

/** An `ip:port` to listen on (the SDK's metrics server takes no host names); null when unset. */
function socketAddress(value: string | undefined, name: string): string | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  // IPv4 as is, IPv6 in brackets: `[::]:9464`.
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const ip = match?.[1] ?? match?.[2] ?? '';
  const portNumber = Number(match?.[3]);
  if (isIP(ip) !== (match?.[1] === undefined ? 4 : 6) || portNumber < 1 || portNumber > 65535) {
    throw new Error(
      `${name} must be an IP address and port to listen on, e.g. 127.0.0.1:9464 or 0.0.0.0:9464, got "${text}"`,
    );
  }
  return text;
}

function port(value: string | undefined, name: string): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${text}"`);
  return n;
}
