import { z } from 'zod';
import { STEP_TIMEOUT_MS, type ParameterIssue, type ToolCatalog } from '../plan';
import { closestName, integerIn } from '../plan';
import { parseMcpToolName, type McpServerConfig } from './mcp/mcp-config';
import { objectShape } from './object-schema';
import { parseParameters } from './parse-parameters';
import type { RiskLevel, Tool } from './tool';

const TOOL_NAME = /^[a-z][a-z0-9_]*$/;
// `mcp.<server>.<tool>`: the tool part is the server's own name for it.
const MCP_TOOL_NAME = /^mcp\.[a-z][a-z0-9_-]*\.[A-Za-z0-9_.-]+$/;

/** One tool as the planner, `plan tools --json` and the workflow's redaction see it. */
export interface ToolDescription {
  name: string;
  description: string;
  risk: RiskLevel;
  /** Top-level parameters whose values are credentials; never shown, returned or mirrored. */
  secretParams: string[];
  /**
   * JSON Schema of the parameters a plan may pass, defaults included: draft 2020-12 for the project's tools, the
   * server's own for an MCP tool.
   */
  parameters: Record<string, unknown>;
  /** JSON Schema of what the tool returns, when it declares it: what `{{steps.<id>.result...}}` can reach. */
  result?: Record<string, unknown>;
}

/** The tools a worker offers; also the catalogue the client validates plans against. */
export class ToolRegistry implements ToolCatalog {
  private readonly tools = new Map<string, Tool>();

  /**
   * @param options.mcpServers the configuration's MCP servers, not connected here: a catalogue without their tools
   * (a client's) takes any `mcp.<server>.<tool>` of them and leaves its parameters to the worker, which connects.
   */
  constructor(tools: Tool[], options: { mcpServers?: Readonly<Record<string, McpServerConfig>> } = {}) {
    this.mcpServers = options.mcpServers ?? {};
    for (const tool of tools) {
      if (!TOOL_NAME.test(tool.name) && !MCP_TOOL_NAME.test(tool.name))
        throw new Error(`tool name "${tool.name}" must be snake_case`);
      if (this.tools.has(tool.name)) throw new Error(`two tools are named "${tool.name}"`);
      checkSecretParams(tool);
      checkTimeout(tool);
      this.tools.set(tool.name, tool);
    }
  }

  /** The configured MCP servers whose tools this catalogue takes on trust (see the constructor). */
  readonly mcpServers: Readonly<Record<string, McpServerConfig>>;

  has(name: string): boolean {
    return this.tools.has(name) || this.ofUnconnectedServer(name);
  }

  /** Why an unknown `mcp.*` name is wrong: no such server configured, or no such tool on it, with the likeliest one. */
  unknownToolHint(name: string): string | null {
    const mcp = parseMcpToolName(name);
    if (mcp === null) return null;
    const servers = [...new Set([...Object.keys(this.mcpServers), ...this.list().flatMap(mcpServerOf)])];
    if (!servers.includes(mcp.server)) {
      const near = closestName(mcp.server, servers);
      return servers.length === 0
        ? 'the configuration file lists no MCP servers (mcp: { servers: { ... } })'
        : `no MCP server "${mcp.server}" in the configuration${near ? ` (did you mean "${near}"?)` : ''}`;
    }
    const tools = this.list().flatMap((tool) => (mcpServerOf(tool)[0] === mcp.server ? [tool.name] : []));
    const near = closestName(name, tools);
    return `MCP server "${mcp.server}" has no tool "${mcp.tool}"${near ? ` (did you mean "${near}"?)` : ''}`;
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  list(): Tool[] {
    return [...this.tools.values()];
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  mayRunLocally(name: string): boolean {
    const tool = this.tools.get(name);
    return tool?.local !== undefined && tool.heartbeatTimeoutMs === undefined;
  }

  checkParameters(name: string, parameters: Record<string, unknown>): ParameterIssue[] {
    const tool = this.tools.get(name);
    if (!tool && this.ofUnconnectedServer(name)) return [];
    if (!tool) return [{ path: [], message: `unknown tool "${name}"` }];
    const parsed = parseParameters(tool.parameters, parameters);
    return parsed.success ? [] : parsed.issues;
  }

  /** Every tool with its JSON Schema: the catalogue the LLM planner is given. */
  describe(): ToolDescription[] {
    return this.list().map((tool) => ({
      name: tool.name,
      description: tool.description,
      risk: tool.risk,
      secretParams: tool.secretParams ?? [],
      parameters: tool.parametersJsonSchema ?? parametersSchema(tool),
      // 'output': what the steps after it read, defaults filled in.
      ...(tool.result ? { result: z.toJSONSchema(tool.result, { io: 'output' }) as Record<string, unknown> } : {}),
    }));
  }

  private ofUnconnectedServer(name: string): boolean {
    const server = parseMcpToolName(name)?.server;
    return server !== undefined && Object.hasOwn(this.mcpServers, server);
  }
}

function mcpServerOf(tool: Tool): string[] {
  const mcp = parseMcpToolName(tool.name);
  return mcp ? [mcp.server] : [];
}

/** Tool name -> its secret parameters, for the tools that have any: what the plan mirror redacts. */
export function secretParamsOf(registry: ToolRegistry): Record<string, string[]> {
  return Object.fromEntries(
    registry
      .list()
      .filter((tool) => (tool.secretParams ?? []).length > 0)
      .map((tool) => [tool.name, [...tool.secretParams!]]),
  );
}

/** 'input': what a plan writes, so parameters with defaults are optional; closed when unknown keys are refused. */
function parametersSchema(tool: Tool): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.parameters, { io: 'input' }) as Record<string, unknown>;
  return objectShape(tool.parameters)?.closed ? { ...schema, additionalProperties: false } : schema;
}

// A misspelt secret parameter would silently leave the real one unredacted.
function checkSecretParams(tool: Tool): void {
  const secret = tool.secretParams ?? [];
  if (secret.length === 0) return;
  const shape = objectShape(tool.parameters);
  if (shape === null) {
    throw new Error(`tool "${tool.name}" declares secret parameters but its parameters are not an object schema`);
  }
  for (const name of secret) {
    if (!shape.keys.includes(name))
      throw new Error(`tool "${tool.name}" declares secret parameter "${name}" that it does not have`);
  }
}

// The bounds a step's own timeoutMs has; refused when the registry is built, not when a step first runs.
function checkTimeout(tool: Tool): void {
  const expected = integerIn(STEP_TIMEOUT_MS);
  if (tool.timeoutMs !== undefined && !expected.test(tool.timeoutMs)) {
    throw new Error(`tool "${tool.name}": timeoutMs must be ${expected.description}; got ${tool.timeoutMs}`);
  }
}
