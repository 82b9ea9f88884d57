import { ToolRegistry } from '../registry';
import { connectMcpServers } from './connect-mcp-servers';

/**
 * The catalogue with its configured MCP servers connected: their tools listed under `mcp.<server>.<tool>`, and only
 * those (an unknown tool of a configured server is now an unknown tool). `close` ends the connections.
 */
export async function withMcpTools(catalogue: ToolRegistry): Promise<{ tools: ToolRegistry; close(): Promise<void> }> {
  const connections = await connectMcpServers(catalogue.mcpServers);
  try {
    return { tools: new ToolRegistry([...catalogue.list(), ...connections.tools]), close: connections.close };
  } catch (err) {
    await connections.close();
    throw err;
  }
}
