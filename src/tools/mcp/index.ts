/** Tools from MCP servers: their configuration, their names in the catalogue, and the worker's connections. */
export {
  checkMcpConfig,
  mcpToolName,
  parseMcpToolName,
  MCP_SERVER_NAME,
  type McpConfig,
  type McpServerConfig,
  type McpStdioServer,
  type McpHttpServer,
} from './mcp-config';
export { connectMcpServers, type McpConnections } from './connect-mcp-servers';
export { mcpStepResult } from './mcp-result';
export { withMcpTools } from './with-mcp-tools';
