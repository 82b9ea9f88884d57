import { OutboundPolicy } from './http/outbound-policy';
import { createLlmAccess, type LlmAccess, type LlmSettings } from './llm/llm-access';
import { parseCommandShape } from './shell/command-shape';
import type { ShellAccess } from './shell/shell-access';
import { SqlConnections } from './sql/sql-connections';

/** What the worker's configuration says the shell, sql and llm tools may reach. */
export interface ToolSettings {
  /** Command shapes (PLAN_SHELL_ALLOW), settable variables (PLAN_SHELL_ENV_ALLOW), the inherited environment. */
  shell: { allow: string[]; envAllow: string[]; env: Record<string, string> };
  /** Connection name -> PostgreSQL URL; "default" is what sql_query uses when a step names none. */
  sqlConnections: Record<string, string>;
  /** Run sql_query steps as their login, unscreened (PLAN_SQL_UNRESTRICTED); unset: least privilege. */
  sqlUnrestricted?: boolean;
  llm: LlmSettings;
  /** `host[:port]` entries http_request may reach although they are internal addresses (PLAN_HTTP_ALLOW). */
  http: { allow: string[] };
}

/** The services those tools receive in their context; built once per worker. */
export interface ToolServices {
  shell: ShellAccess;
  sql: SqlConnections;
  llm: LlmAccess | null;
  /** Where requests made on a plan's behalf may go. */
  http: OutboundPolicy;
}

/** Nothing reachable: the shell, sql and llm tools refuse, naming the variables that would enable them. */
export const NO_TOOL_SETTINGS: ToolSettings = {
  shell: { allow: [], envAllow: [], env: {} },
  sqlConnections: {},
  llm: { apiKey: null, baseUrl: null, model: null },
  http: { allow: [] },
};

/**
 * Builds the tools' services (throwing on a malformed shell allowlist, so a worker never starts with one); `close`
 * ends the database pools they opened, and belongs after the worker stops.
 */
export function createToolServices(settings: ToolSettings): { services: ToolServices; close(): Promise<void> } {
  const shell = { ...settings.shell, allow: settings.shell.allow.map(parseCommandShape) };
  const sql = new SqlConnections(settings.sqlConnections, settings.sqlUnrestricted);
  return {
    services: { shell, sql, llm: createLlmAccess(settings.llm), http: new OutboundPolicy(settings.http.allow) },
    close: () => sql.close(),
  };
}
