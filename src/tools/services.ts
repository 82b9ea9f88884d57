import { createLlmAccess, type LlmAccess, type LlmSettings } from './llm/llm-access';
import type { ShellAccess } from './shell/shell-access';
import { SqlConnections } from './sql/sql-connections';

/** What the worker's configuration says the shell, sql and llm tools may reach. */
export interface ToolSettings {
  shell: { allow: string[]; env: Record<string, string> };
  /** Connection name -> PostgreSQL URL; "default" is what sql_query uses when a step names none. */
  sqlConnections: Record<string, string>;
  llm: LlmSettings;
}

/** The services those tools receive in their context; built once per worker. */
export interface ToolServices {
  shell: ShellAccess;
  sql: SqlConnections;
  llm: LlmAccess | null;
}

/** Nothing reachable: the shell, sql and llm tools refuse, naming the variables that would enable them. */
export const NO_TOOL_SETTINGS: ToolSettings = {
  shell: { allow: [], env: {} },
  sqlConnections: {},
  llm: { apiKey: null, baseUrl: null, model: null },
};

/** Builds the tools' services; `close` ends the database pools they opened, and belongs after the worker stops. */
export function createToolServices(settings: ToolSettings): { services: ToolServices; close(): Promise<void> } {
  const sql = new SqlConnections(settings.sqlConnections);
  return {
    services: { shell: settings.shell, sql, llm: createLlmAccess(settings.llm) },
    close: () => sql.close(),
  };
}
