import { SUBPLAN_TOOL } from '../plan';
import { BUILTIN_TOOLS, ToolRegistry } from '../tools';
import type { McpServerConfig } from '../tools/mcp/mcp-config';
import type { Tool } from '../tools/tool';

/**
 * The built-in tools plus a project's own, as one registry: what validation, `plan tools`, the planner and the
 * worker all use. A name taken twice is an error naming both tools, never a silent override. The MCP servers' tools are
 * not listed until a worker (or `plan tools`) connects to them; until then any `mcp.<server>.<tool>` of a configured
 * server passes, and the worker checks its parameters when the plan starts.
 */
export function toolCatalogue(
  tools: readonly Tool[] = [],
  mcpServers: Readonly<Record<string, McpServerConfig>> = {},
): ToolRegistry {
  const builtin = new Set(BUILTIN_TOOLS.map((tool) => tool.name));
  const seen = new Map<string, number>();
  tools.forEach((tool, i) => {
    if (tool.name === SUBPLAN_TOOL)
      throw new Error(`tools[${i}] is named "${SUBPLAN_TOOL}", which plans use for sub-plans; choose another name`);
    if (tool.name.startsWith('mcp.'))
      throw new Error(`tools[${i}] "${tool.name}": names starting with "mcp." are those of MCP servers' tools`);
    if (builtin.has(tool.name))
      throw new Error(`tools[${i}] "${tool.name}" collides with the built-in tool "${tool.name}"; rename yours`);
    const earlier = seen.get(tool.name);
    if (earlier !== undefined) throw new Error(`tools[${earlier}] and tools[${i}] are both named "${tool.name}"`);
    seen.set(tool.name, i);
  });
  return new ToolRegistry([...BUILTIN_TOOLS, ...tools], { mcpServers });
}
