/**
 * An agent's conversation in PostgreSQL (migration 006): messages numbered by its workflow, and the summaries the
 * context manager made. Writes are keyed by (agent, number), so a retried activity writes each message once; each new
 * message is also an event for subscribers.
 */
import type { Pool } from 'pg';
import type { MessageWrite } from '../activities/agent-types';
import { AGENT_EVENTS_CHANNEL } from './agent-events';

/** One tool call as the model made it: its own function name and argument text. */
export interface StoredToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ConversationMessage {
  seq: number;
  role: 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls: StoredToolCall[] | null;
  toolCallId: string | null;
  toolName: string | null;
  sender: string | null;
}

export interface Conversation {
  /** The latest summary and the last message it covers; null before the first. */
  summary: { coversTo: number; content: string } | null;
  /** Every message after the summary, in order. */
  messages: ConversationMessage[];
}

// PostgreSQL's text refuses NUL and lone surrogates; conversation text is prose, so they become U+FFFD.
const REFUSED = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export function storableText(text: string): string {
  return text.replace(REFUSED, '\uFFFD');
}

/** Stores a message unless one with its number is there already; announces it to subscribers when new. */
export async function writeMessage(
  pool: Pool,
  agentId: string,
  turn: number,
  message: MessageWrite | { seq: number; role: 'assistant'; content: string; toolCalls: StoredToolCall[] | null },
): Promise<void> {
  const content = storableText(message.content);
  const user = message.role === 'user' ? message : null;
  const tool = message.role === 'tool' ? message : null;
  await pool.query(
    `WITH written AS (
       INSERT INTO agent_messages (agent_id, seq, turn, role, content, tool_calls, tool_call_id, tool_name, sender, ack_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)
       ON CONFLICT (agent_id, seq) DO NOTHING
       RETURNING agent_id, seq, turn, role, tool_name, content
     ), announced AS (
       INSERT INTO agent_events (agent_id, kind, turn, seq, role, tool_name, text)
       SELECT agent_id, 'message', turn, seq, role, tool_name, content FROM written
       ON CONFLICT DO NOTHING
       RETURNING agent_id
     )
     SELECT pg_notify($11, agent_id) FROM announced`,
    [
      agentId,
      message.seq,
      turn,
      message.role,
      content,
      message.role === 'assistant' && message.toolCalls ? JSON.stringify(message.toolCalls) : null,
      tool?.toolCallId ?? null,
      tool?.toolName ?? null,
      user?.sender ?? null,
      user?.ackId ?? null,
      AGENT_EVENTS_CHANNEL,
    ],
  );
}

/** The latest summary and every message after it. */
export async function readConversation(pool: Pool, agentId: string): Promise<Conversation> {
  const summaries = await pool.query<{ covers_to: string; content: string }>(
    'SELECT covers_to, content FROM agent_summaries WHERE agent_id = $1 ORDER BY covers_to DESC LIMIT 1',
    [agentId],
  );
  const summary = summaries.rows[0]
    ? { coversTo: Number(summaries.rows[0].covers_to), content: summaries.rows[0].content }
    : null;
  const { rows } = await pool.query<{
    seq: string;
    role: ConversationMessage['role'];
    content: string;
    tool_calls: StoredToolCall[] | null;
    tool_call_id: string | null;
    tool_name: string | null;
    sender: string | null;
  }>(
    `SELECT seq, role, content, tool_calls, tool_call_id, tool_name, sender FROM agent_messages
      WHERE agent_id = $1 AND seq > $2 ORDER BY seq`,
    [agentId, summary?.coversTo ?? -1],
  );
  return {
    summary,
    messages: rows.map((row) => ({
      seq: Number(row.seq),
      role: row.role,
      content: row.content,
      toolCalls: row.tool_calls,
      toolCallId: row.tool_call_id,
      toolName: row.tool_name,
      sender: row.sender,
    })),
  };
}

/** The stored model answer at `seq`, or null: what a retried model call finds when an earlier attempt got that far. */
export async function readAnswer(pool: Pool, agentId: string, seq: number): Promise<StoredAnswer | null> {
  const { rows } = await pool.query<{ content: string; tool_calls: StoredToolCall[] | null }>(
    "SELECT content, tool_calls FROM agent_messages WHERE agent_id = $1 AND seq = $2 AND role = 'assistant'",
    [agentId, seq],
  );
  const row = rows[0];
  return row ? { content: row.content, toolCalls: row.tool_calls ?? [] } : null;
}

/** The stored tool answer at `seq`, or null. */
export async function readToolAnswer(pool: Pool, agentId: string, seq: number): Promise<string | null> {
  const { rows } = await pool.query<{ content: string }>(
    "SELECT content FROM agent_messages WHERE agent_id = $1 AND seq = $2 AND role = 'tool'",
    [agentId, seq],
  );
  return rows[0]?.content ?? null;
}

export interface StoredAnswer {
  content: string;
  toolCalls: StoredToolCall[];
}

/** Keeps a summary of everything up to `coversTo`; a retried write of the same summary changes nothing. */
export async function saveSummary(pool: Pool, agentId: string, coversTo: number, content: string): Promise<void> {
  await pool.query(
    `INSERT INTO agent_summaries (agent_id, covers_to, content) VALUES ($1, $2, $3)
     ON CONFLICT (agent_id, covers_to) DO NOTHING`,
    [agentId, coversTo, storableText(content)],
  );
}

/** The tool call `callId` of the assistant message `seq`, or null when there is none. */
export async function readToolCall(
  pool: Pool,
  agentId: string,
  seq: number,
  callId: string,
): Promise<StoredToolCall | null> {
  const { rows } = await pool.query<{ call: StoredToolCall }>(
    `SELECT call FROM agent_messages, jsonb_array_elements(tool_calls) AS call
      WHERE agent_id = $1 AND seq = $2 AND call->>'id' = $3`,
    [agentId, seq, callId],
  );
  return rows[0]?.call ?? null;
}

/**
 * The agent's answer to the message acknowledged as `ackId`: the last assistant message without tool calls in the
 * turn that took it; null while it is still being worked on.
 */
export async function readReply(pool: Pool, agentId: string, ackId: string): Promise<string | null> {
  const { rows } = await pool.query<{ content: string }>(
    `SELECT a.content FROM agent_messages u
       JOIN agent_messages a ON a.agent_id = u.agent_id AND a.turn = u.turn AND a.role = 'assistant'
                            AND a.tool_calls IS NULL AND a.seq > u.seq
      WHERE u.agent_id = $1 AND u.ack_id = $2
      ORDER BY a.seq DESC LIMIT 1`,
    [agentId, ackId],
  );
  return rows[0]?.content ?? null;
}
