/** The `mcp` part of the configuration file: the MCP servers the worker connects to, and how their tools are named. */

/** A server the worker starts as a child process and talks to over stdio. */
export interface McpStdioServer {
  command: string;
  args?: readonly string[];
  /** Added to the few variables the SDK passes on (HOME, PATH, …); the worker's own environment is not inherited. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

/** A server reached over Streamable HTTP. */
export interface McpHttpServer {
  url: string;
  /** Sent with every request (an Authorization header, say). */
  headers?: Readonly<Record<string, string>>;
}

export type McpServerConfig = McpStdioServer | McpHttpServer;

export interface McpConfig {
  /** By name: the name is the middle part of each tool's name, `mcp.<server>.<tool>`. */
  servers?: Readonly<Record<string, McpServerConfig>>;
}

/** What a server may be called: it becomes part of tool names and activity types. */
export const MCP_SERVER_NAME = /^[a-z][a-z0-9_-]*$/;

const PREFIX = 'mcp.';

/** The catalogue name of a server's tool. */
export function mcpToolName(server: string, tool: string): string {
  return `${PREFIX}${server}.${tool}`;
}

/** The server and tool a name `mcp.<server>.<tool>` means; null for any other name. */
export function parseMcpToolName(name: string): { server: string; tool: string } | null {
  if (!name.startsWith(PREFIX)) return null;
  const rest = name.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return null;
  return { server: rest.slice(0, dot), tool: rest.slice(dot + 1) };
}

/**
 * Checks the `mcp` value of a configuration file, throwing an Error that names what is wrong: an unknown key, a
 * server name outside MCP_SERVER_NAME, a server with neither or both of `command` and `url`.
 */
export function checkMcpConfig(value: unknown): McpConfig {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error('"mcp" must be an object: mcp: { servers: { name: { command } | { url } } }');
  for (const key of Object.keys(value)) {
    if (key !== 'servers') throw new Error(`mcp: unknown key "${key}"; it has "servers"`);
  }
  const servers = value.servers;
  if (servers === undefined) return {};
  if (!isRecord(servers)) throw new Error('mcp.servers must be an object of servers by name');
  for (const [name, server] of Object.entries(servers)) checkServer(name, server);
  return value as McpConfig;
}

function checkServer(name: string, server: unknown): void {
  const at = `mcp.servers["${name}"]`;
  if (!MCP_SERVER_NAME.test(name)) {
    throw new Error(
      `${at}: a server name is lower case letters, digits, "_" and "-", starting with a letter (it becomes part of ` +
        `tool names, mcp.<server>.<tool>); rename "${name}"`,
    );
  }
  if (!isRecord(server)) throw new Error(`${at} must be { command, args?, env?, cwd? } or { url, headers? }`);
  const stdio = 'command' in server;
  if (stdio === 'url' in server) {
    throw new Error(`${at} needs either "command" (a server run over stdio) or "url" (Streamable HTTP), not both`);
  }
  const allowed = stdio ? ['command', 'args', 'env', 'cwd'] : ['url', 'headers'];
  for (const key of Object.keys(server)) {
    if (!allowed.includes(key)) throw new Error(`${at}: unknown key "${key}"; it may have ${allowed.join(', ')}`);
  }
  if (stdio) {
    if (typeof server.command !== 'string' || server.command === '') throw new Error(`${at}.command must be a string`);
    if (server.args !== undefined && !(Array.isArray(server.args) && server.args.every((a) => typeof a === 'string')))
      throw new Error(`${at}.args must be a list of strings`);
    if (server.cwd !== undefined && typeof server.cwd !== 'string') throw new Error(`${at}.cwd must be a string`);
    checkStrings(server.env, `${at}.env`);
  } else {
    if (typeof server.url !== 'string' || !URL.canParse(server.url) || !/^https?:/.test(server.url))
      throw new Error(`${at}.url must be an http(s) URL; got ${JSON.stringify(server.url)}`);
    checkStrings(server.headers, `${at}.headers`);
  }
}

function checkStrings(value: unknown, at: string): void {
  if (value === undefined) return;
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string'))
    throw new Error(`${at} must be an object of strings`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
