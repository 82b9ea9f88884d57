import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '../tool';
import type { McpServerConfig } from './mcp-config';
import { mcpTool, type McpToolListing } from './mcp-tool';

/** How long a server has to start, initialise and list its tools. */
const STARTUP_TIMEOUT_MS = 30_000;

// MCP's initialisation names the client and a version; servers only log them.
const CLIENT_INFO = { name: 'durable-plans', version: '1.0.0' };

/** The tools of the connected servers, and how to let go of them. */
export interface McpConnections {
  tools: Tool[];
  close(): Promise<void>;
}

/**
 * Connects to every server (together), lists its tools, page by page, and makes them catalogue tools. A server that
 * cannot be started or does not answer is an Error naming it and the cause, after closing the others: a worker
 * without a tool its plans name would fail their steps one by one instead of refusing once, at start.
 */
export async function connectMcpServers(servers: Readonly<Record<string, McpServerConfig>>): Promise<McpConnections> {
  const clients: Client[] = [];
  const close = async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  };
  try {
    const tools = await Promise.all(
      Object.entries(servers).map(async ([name, server]) => {
        const client = new Client(CLIENT_INFO);
        clients.push(client);
        try {
          await client.connect(transportOf(server), { timeout: STARTUP_TIMEOUT_MS });
          return (await listTools(client)).map((listing) => mcpTool(name, client, listing));
        } catch (err) {
          throw new Error(`MCP server "${name}" (${describe(server)}) did not start: ${(err as Error).message}`);
        }
      }),
    );
    return { tools: tools.flat(), close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function listTools(client: Client): Promise<McpToolListing[]> {
  const listings: McpToolListing[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: STARTUP_TIMEOUT_MS });
    listings.push(...(page.tools as McpToolListing[]));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return listings;
}

function transportOf(server: McpServerConfig): Transport {
  if ('command' in server) {
    return new StdioClientTransport({
      command: server.command,
      args: server.args ? [...server.args] : [],
      env: server.env ? { ...server.env } : undefined,
      cwd: server.cwd,
    });
  }
  return new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: server.headers ? { ...server.headers } : {} },
  });
}

// Never the headers or the environment: they may hold credentials.
function describe(server: McpServerConfig): string {
  return 'command' in server ? [server.command, ...(server.args ?? [])].join(' ') : server.url;
}
