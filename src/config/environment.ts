/**
 * Configuration from the environment. The names that cross process boundaries (workflow type, signals,
 * search attributes) live in `workflows/definitions.ts`, which workflow code can import.
 */
import { parseCodecKeys, type CodecKey } from '../codec/codec-keys';
export { RUN_PLAN_WORKFLOW, SEARCH_ATTRIBUTES } from '../workflows/definitions';

export const DEFAULTS = {
  temporalAddress: '127.0.0.1:7233',
  namespace: 'default',
  taskQueue: 'plans',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  webUiUrl: 'http://localhost:8233',
  embeddedPostgresPort: 54329,
} as const;

export interface Config {
  /** Temporal frontend address; null when unset, so the dev stack may start its own server. */
  temporalAddress: string | null;
  namespace: string;
  taskQueue: string;
  /** PostgreSQL URL; null when unset, so the dev stack may fall back to an embedded server. */
  databaseUrl: string | null;
  webUiUrl: string;
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
  /** The OpenAI-compatible server of llm_chat; its largest answer (PLAN_LLM_MAX_RESPONSE_BYTES), null: 1 MiB. */
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
}

// The worker's environment also holds its credentials (DATABASE_URL, OPENAI_API_KEY): commands inherit only these.
const SHELL_INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'USER', 'LOGNAME'];

/** Reads the configuration from environment variables (see the README's configuration table). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    temporalAddress: nonEmpty(env.TEMPORAL_ADDRESS),
    namespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? DEFAULTS.namespace,
    taskQueue: nonEmpty(env.PLAN_TASK_QUEUE) ?? DEFAULTS.taskQueue,
    databaseUrl: nonEmpty(env.DATABASE_URL),
    webUiUrl: nonEmpty(env.TEMPORAL_UI_URL) ?? DEFAULTS.webUiUrl,
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
      model: nonEmpty(env.PLAN_LLM_MODEL),
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
  };
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

function port(value: string | undefined, name: string): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${text}"`);
  return n;
}
