/**
 * Configuration from the environment. The names that cross process boundaries (workflow type, signals,
 * search attributes) live in `workflows/definitions.ts`, which workflow code can import.
 */
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
  /** Executables the shell tool may run (PLAN_SHELL_ALLOW), and the part of this environment commands inherit. */
  shell: { allow: string[]; env: Record<string, string> };
  /** Databases sql_query may use besides DATABASE_URL (PLAN_SQL_CONNECTIONS): name -> PostgreSQL URL. */
  sqlConnections: Record<string, string>;
  /** The OpenAI-compatible server of llm_chat. */
  llm: { apiKey: string | null; baseUrl: string | null; model: string | null };
  /**
   * Step results whose JSON is larger are stored in PostgreSQL and referenced (PLAN_RESULT_INLINE_LIMIT); null: 64 KiB.
   */
  resultInlineLimitBytes: number | null;
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
      allow: (env.PLAN_SHELL_ALLOW ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
      env: Object.fromEntries(
        SHELL_INHERITED_ENV.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])),
      ),
    },
    sqlConnections: sqlConnections(env.PLAN_SQL_CONNECTIONS),
    llm: {
      apiKey: nonEmpty(env.OPENAI_API_KEY),
      baseUrl: nonEmpty(env.OPENAI_BASE_URL),
      model: nonEmpty(env.PLAN_LLM_MODEL),
    },
    resultInlineLimitBytes: inlineLimit(env.PLAN_RESULT_INLINE_LIMIT),
  };
}

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

function port(value: string | undefined, name: string): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${text}"`);
  return n;
}
