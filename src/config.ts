/**
 * Configuration from the environment. The names that cross process boundaries (workflow type, signals,
 * search attributes) live in `workflows/definitions.ts`, which workflow code can import.
 */
export { RUN_PLAN_WORKFLOW, SEARCH_ATTRIBUTES } from './workflows/definitions';

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
}

/** Reads the configuration from environment variables (see the README's configuration table). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    temporalAddress: nonEmpty(env.TEMPORAL_ADDRESS),
    namespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? DEFAULTS.namespace,
    taskQueue: nonEmpty(env.PLAN_TASK_QUEUE) ?? DEFAULTS.taskQueue,
    databaseUrl: nonEmpty(env.DATABASE_URL),
    webUiUrl: nonEmpty(env.TEMPORAL_UI_URL) ?? DEFAULTS.webUiUrl,
    devServerPort: port(env.TEMPORAL_DEV_PORT, 'TEMPORAL_DEV_PORT') ?? 7233,
    devUiPort: port(env.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT') ?? (port(env.TEMPORAL_DEV_PORT, 'TEMPORAL_DEV_PORT') ?? 7233) + 1000,
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== '' ? value.trim() : null;
}

function port(value: string | undefined, name: string): number | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${text}"`);
  return n;
}
