/**
 * What subscribers of an agent follow (migration 006): token chunks as the model streams them, and each message once
 * written, announced with NOTIFY on one channel whose payload is the agent id.
 */
import type { Pool } from 'pg';

export const AGENT_EVENTS_CHANNEL = 'durable_plans_agent_events';

/** A piece of a model answer: where it starts in the answer of (turn, call), as written by one attempt. */
export interface TokenChunk {
  offset: number;
  text: string;
}

export interface AgentEvent {
  id: number;
  kind: 'token' | 'message';
  turn: number;
  call: number;
  attempt: number;
  offset: number;
  seq: number | null;
  role: 'user' | 'assistant' | 'tool' | null;
  toolName: string | null;
  text: string;
  at: Date;
}

/** Stores chunks of one attempt's answer; a chunk already there (the same attempt writing again) is kept as it was. */
export async function writeTokens(
  pool: Pool,
  place: { agentId: string; turn: number; call: number; attempt: number },
  chunks: readonly TokenChunk[],
): Promise<void> {
  if (chunks.length === 0) return;
  await pool.query(
    `WITH written AS (
       INSERT INTO agent_events (agent_id, kind, turn, call, attempt, "offset", text)
       SELECT $1, 'token', $2, $3, $4, c.o, c.t FROM unnest($5::int[], $6::text[]) AS c(o, t)
       ON CONFLICT DO NOTHING
       RETURNING agent_id
     )
     SELECT pg_notify($7, $1) WHERE EXISTS (SELECT 1 FROM written)`,
    [
      place.agentId,
      place.turn,
      place.call,
      place.attempt,
      chunks.map((c) => c.offset),
      chunks.map((c) => c.text),
      AGENT_EVENTS_CHANNEL,
    ],
  );
}

/** Events after `afterId`, oldest first, at most `limit`. */
export async function readEvents(pool: Pool, agentId: string, afterId: number, limit = 500): Promise<AgentEvent[]> {
  const { rows } = await pool.query<{
    id: string;
    kind: AgentEvent['kind'];
    turn: number;
    call: number;
    attempt: number;
    offset: number;
    seq: string | null;
    role: AgentEvent['role'];
    tool_name: string | null;
    text: string;
    at: Date;
  }>(
    `SELECT id, kind, turn, call, attempt, "offset", seq, role, tool_name, text, at FROM agent_events
      WHERE agent_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [agentId, afterId, limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    turn: row.turn,
    call: row.call,
    attempt: row.attempt,
    offset: row.offset,
    seq: row.seq === null ? null : Number(row.seq),
    role: row.role,
    toolName: row.tool_name,
    text: row.text,
    at: row.at,
  }));
}

/** The id of the agent's newest event (0 without any): where a subscriber that wants only what comes next starts. */
export async function lastEventId(pool: Pool, agentId: string): Promise<number> {
  const { rows } = await pool.query<{ id: string | null }>(
    'SELECT max(id) AS id FROM agent_events WHERE agent_id = $1',
    [agentId],
  );
  return Number(rows[0]?.id ?? 0);
}
