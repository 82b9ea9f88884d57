import type { MemoryNamespace } from '../plan';

/** The plan step that wrote an entry. */
export interface MemoryWriter {
  planId: string;
  stepId: string;
  attempt: number;
}

/** One live shared-memory entry; times are ISO strings. */
export interface MemoryEntry {
  namespace: MemoryNamespace;
  key: string;
  value: unknown;
  /** 1 when created, +1 on every write: what `expectedVersion` compares against. */
  version: number;
  expiresAt: string | null;
  /** Null when the writer was not a plan step (an agent, the CLI). */
  writtenBy: MemoryWriter | null;
  createdAt: string;
  updatedAt: string;
}

/** The columns `toEntry` reads, for RETURNING and SELECT lists. */
export const ENTRY_COLUMNS = `project, environment, agent_type, session_id, key, value, version, expires_at,
  written_by_plan, written_by_step, written_by_attempt, written_by_key, created_at, updated_at`;

export interface EntryRow {
  project: string;
  environment: string;
  agent_type: string;
  session_id: string;
  key: string;
  value: unknown;
  version: string; // bigint arrives as text
  expires_at: Date | null;
  written_by_plan: string | null;
  written_by_step: string | null;
  written_by_attempt: number | null;
  written_by_key: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Maps a row to the entry callers see. */
export function toEntry(row: EntryRow): MemoryEntry {
  return {
    namespace: {
      project: row.project,
      environment: row.environment,
      agentType: row.agent_type,
      sessionId: row.session_id,
    },
    key: row.key,
    value: row.value,
    version: Number(row.version),
    expiresAt: row.expires_at?.toISOString() ?? null,
    writtenBy:
      row.written_by_plan === null
        ? null
        : { planId: row.written_by_plan, stepId: row.written_by_step ?? '', attempt: row.written_by_attempt ?? 0 },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
