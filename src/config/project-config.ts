import type { ToolRegistry } from '../tools';
import { ConfigFileError, configFilePath, loadConfigFile } from './config-file';
import { toolCatalogue } from './tool-catalogue';
import { checkCoordination, NO_COORDINATION, type CoordinationConfig } from './coordination-config';

/** What the project's configuration file gives every command and worker. */
export interface ProjectConfig {
  /** The file it came from; null when there is none (built-in tools only). */
  path: string | null;
  /** Built-in tools plus the file's own, and the names of its MCP servers' tools (connected by the worker). */
  tools: ToolRegistry;
  /** Circuit breakers and rate/concurrency limits by tool, for the worker. */
  coordination: CoordinationConfig;
}

/**
 * Finds and loads the project's configuration (`--config`, PLAN_CONFIG, or the nearest `durable-plans.config.*` at or
 * above `cwd`) and builds its tool catalogue; any problem is a ConfigFileError naming the file.
 */
export async function loadProjectConfig(
  options: { flag?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ProjectConfig> {
  const path = configFilePath(options);
  if (path === null) return { path: null, tools: toolCatalogue(), coordination: NO_COORDINATION };
  const config = await loadConfigFile(path);
  try {
    return {
      path,
      tools: toolCatalogue(config.tools, config.mcp?.servers),
      coordination: checkCoordination(config.breakers, config.limits),
    };
  } catch (err) {
    throw new ConfigFileError(path, (err as Error).message);
  }
}
