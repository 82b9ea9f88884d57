/**
 * Follows an agent live from PostgreSQL: model tokens as they stream, and each message once stored (the user's, the
 * model's, tools' answers). LISTEN wakes it; a slow poll covers a notification lost with a dropped connection.
 */
import type { Pool } from 'pg';
import { TokenDedupe } from '../agents/token-dedupe';
import { AGENT_EVENTS_CHANNEL, lastEventId, readEvents } from '../store/agent-events';

export type AgentStreamEvent =
  | { type: 'token'; turn: number; call: number; text: string }
  | {
      type: 'message';
      turn: number;
      seq: number;
      role: 'user' | 'assistant' | 'tool';
      /** For a tool's answer: the tool. */
      toolName: string | null;
      text: string;
    };

export interface SubscribeOptions {
  /**
   * 'now' (default): only what happens from here on; 'start': the agent's whole stream first; a number: what comes
   * after that event id (lastEventId), so a reader can look at the tables first and miss nothing after.
   */
  from?: 'now' | 'start' | number;
  /** Ends the iteration. */
  signal?: AbortSignal;
}

const POLL_MS = 2_000;

/** An async iterator over the agent's stream; `break` (or the signal) ends it and frees its connection. */
export async function* subscribeAgent(
  pool: Pool,
  agentId: string,
  options: SubscribeOptions = {},
): AsyncGenerator<AgentStreamEvent> {
  const connection = await pool.connect();
  let pending = true;
  let wake: (() => void) | null = null;
  const notified = (message: { channel: string; payload?: string }) => {
    if (message.channel !== AGENT_EVENTS_CHANNEL || message.payload !== agentId) return;
    pending = true;
    wake?.();
  };
  const aborted = () => wake?.();
  connection.on('notification', notified);
  options.signal?.addEventListener('abort', aborted);
  try {
    await connection.query(`LISTEN ${AGENT_EVENTS_CHANNEL}`);
    let cursor =
      typeof options.from === 'number' ? options.from : options.from === 'start' ? 0 : await lastEventId(pool, agentId);
    const tokens = new TokenDedupe();
    while (!options.signal?.aborted) {
      if (!pending) await sleepUntilWoken(POLL_MS, (resolve) => (wake = resolve));
      pending = false;
      const events = await readEvents(pool, agentId, cursor);
      if (events.length > 0) pending = true;
      for (const event of events) {
        cursor = event.id;
        if (event.kind === 'token') {
          const text = tokens.fresh(event.turn, event.call, event.offset, event.text);
          if (text) yield { type: 'token', turn: event.turn, call: event.call, text };
        } else {
          yield {
            type: 'message',
            turn: event.turn,
            seq: event.seq ?? 0,
            role: event.role ?? 'assistant',
            toolName: event.toolName,
            text: event.text,
          };
        }
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', aborted);
    connection.off('notification', notified);
    await connection.query(`UNLISTEN ${AGENT_EVENTS_CHANNEL}`).catch(() => undefined);
    connection.release();
  }
}

function sleepUntilWoken(ms: number, register: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
