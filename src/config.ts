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
}

/** Reads the configuration from environment variables (see the README's configuration table). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    temporalAddress: nonEmpty(env.TEMPORAL_ADDRESS),
    namespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? DEFAULTS.namespace,
    taskQueue: nonEmpty(env.PLAN_TASK_QUEUE) ?? DEFAULTS.taskQueue,
    databaseUrl: nonEmpty(env.DATABASE_URL),
    webUiUrl: nonEmpty(env.TEMPORAL_UI_URL) ?? DEFAULTS.webUiUrl,
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== '' ? value.trim() : null;
}
