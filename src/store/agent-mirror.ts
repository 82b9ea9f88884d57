/** The `agents` table (migration 006): one row per agent, for dashboards, `plan agent list` and group sends. */
import type { Pool } from 'pg';
import type { AgentRecord, AgentStatus } from '../activities/agent-types';
import { storableText } from './agent-conversation';

export interface AgentRow extends AgentRecord {
  createdAt: Date;
  updatedAt: Date;
}

/** Writes the agent's row as the workflow sees it now. */
export async function writeAgent(pool: Pool, record: AgentRecord): Promise<void> {
  await pool.query(
    `INSERT INTO agents (agent_id, status, group_name, parent_id, model, turns, last_reply, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (agent_id) DO UPDATE SET status = excluded.status, group_name = excluded.group_name,
       parent_id = excluded.parent_id, model = excluded.model, turns = excluded.turns,
       last_reply = excluded.last_reply, error = excluded.error, updated_at = now()`,
    [
      record.agentId,
      record.status,
      record.group,
      record.parentId,
      record.model,
      record.turns,
      record.lastReply === null ? null : storableText(record.lastReply),
      record.error === null ? null : storableText(record.error),
    ],
  );
}

/** Moves the row along within a turn: the status, and the turn count and reply once the model has answered. */
export async function updateAgentTurn(
  pool: Pool,
  agentId: string,
  change: { status: AgentStatus; turns: number; lastReply?: string },
): Promise<void> {
  await pool.query(
    `UPDATE agents SET status = $2, turns = GREATEST(turns, $3), last_reply = COALESCE($4, last_reply), error = NULL,
       updated_at = now() WHERE agent_id = $1`,
    [agentId, change.status, change.turns, change.lastReply === undefined ? null : storableText(change.lastReply)],
  );
}

/** Every agent (or a group's members), most recently active first. */
export async function listAgents(pool: Pool, filter: { group?: string } = {}): Promise<AgentRow[]> {
  const { rows } = await pool.query<{
    agent_id: string;
    status: AgentStatus;
    group_name: string | null;
    parent_id: string | null;
    model: string | null;
    turns: number;
    last_reply: string | null;
    error: string | null;
    created_at: Date;
    updated_at: Date;
  }>(
    `SELECT agent_id, status, group_name, parent_id, model, turns, last_reply, error, created_at, updated_at
       FROM agents WHERE $1::text IS NULL OR group_name = $1 ORDER BY updated_at DESC`,
    [filter.group ?? null],
  );
  return rows.map((row) => ({
    agentId: row.agent_id,
    status: row.status,
    group: row.group_name,
    parentId: row.parent_id,
    model: row.model,
    turns: row.turns,
    lastReply: row.last_reply,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}
