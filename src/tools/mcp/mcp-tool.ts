import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { heartbeatWhile, WAITING_TOOL_HEARTBEAT_TIMEOUT_MS } from '../heartbeat-while';
import type { RiskLevel, Tool } from '../tool';
import { mcpToolName } from './mcp-config';
import { mcpCallFailure, mcpStepResult, mcpToolFailure, type McpCallResult } from './mcp-result';

/** One tool as a server's `tools/list` describes it. */
export interface McpToolListing {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
}

/**
 * A server's tool as a catalogue tool, `mcp.<server>.<tool>`: its parameters are checked against the server's input
 * schema before a plan starts and before each call, and a step calls it with `tools/call` on the worker's connection.
 */
export function mcpTool(server: string, client: Pick<Client, 'callTool'>, listing: McpToolListing): Tool {
  const name = mcpToolName(server, listing.name);
  return {
    name,
    description: listing.description ?? listing.title ?? `Tool "${listing.name}" of the MCP server "${server}".`,
    parameters: parametersOf(listing.inputSchema),
    parametersJsonSchema: listing.inputSchema,
    risk: riskOf(listing.annotations),
    // A call waits on another process: heartbeats let a cancellation reach it and a dead worker be noticed.
    heartbeatTimeoutMs: WAITING_TOOL_HEARTBEAT_TIMEOUT_MS,
    run: async (parameters, { signal, heartbeat, deadline }) => {
      let result: McpCallResult;
      try {
        result = (await heartbeatWhile(
          heartbeat,
          client.callTool({ name: listing.name, arguments: parameters as Record<string, unknown> }, undefined, {
            signal,
            // The step's own deadline, not the SDK's default minute.
            timeout: Math.max(1, deadline - Date.now()),
          }),
        )) as McpCallResult;
      } catch (err) {
        throw mcpCallFailure(name, err, signal);
      }
      if (result.isError) throw mcpToolFailure(name, result);
      return mcpStepResult(result);
    },
  };
}

/**
 * The input schema as a zod schema that checks parameters the way the server will. A schema zod cannot read is left
 * to the server to judge (any object passes here), rather than making the whole server unusable.
 */
function parametersOf(inputSchema: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return z.looseObject({});
  }
}

/** MCP's hints, read as the spec defines their defaults: not read-only and not said otherwise means destructive. */
function riskOf(annotations: McpToolListing['annotations']): RiskLevel {
  if (annotations?.readOnlyHint === true) return 'read';
  return annotations?.destructiveHint === false ? 'write' : 'destructive';
}
