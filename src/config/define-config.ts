import type { McpConfig } from '../tools/mcp/mcp-config';
import type { Tool } from '../tools/tool';
import type { BreakerSettings, LimitSettings } from './coordination-config';

/** What a project's `durable-plans.config.*` declares (its default export). */
export interface DurablePlansConfig {
  /**
   * The project's own tools, offered beside the built-ins everywhere: validation, `plan tools`, the planner and the
   * worker. A name taken by another tool is an error naming both.
   */
  tools?: readonly Tool[];
  /**
   * MCP servers whose tools join the catalogue as `mcp.<server>.<tool>`: `{ servers: { name: { command, args?, env?,
   * cwd? } | { url, headers? } } }`. The worker connects to them when it starts; clients only check the names.
   */
  mcp?: McpConfig;
  /**
   * Circuit breakers by tool name: `{ http_request: { failures: 5, windowSeconds: 60, coolDownSeconds: 30, per:
   * 'target' } }`. Shared by every worker and plan (PostgreSQL); `plan breakers` shows them.
   */
  breakers?: Record<string, BreakerSettings>;
  /**
   * Rate and concurrency limits by tool name, across every worker: `{ http_request: { perSecond: 5, concurrency: 2,
   * key: '{{parameters.url.host}}' } }`. A call over the limit waits for its turn.
   */
  limits?: Record<string, LimitSettings>;
}

/** Declares the configuration with its type checked; the file's default export. */
export function defineConfig(config: DurablePlansConfig): DurablePlansConfig {
  return config;
}

/** The keys a configuration may have, so a misspelt one is reported instead of ignored. */
export const CONFIG_KEYS: readonly (keyof DurablePlansConfig)[] = ['tools', 'mcp', 'breakers', 'limits'];
