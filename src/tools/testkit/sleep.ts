import { z } from 'zod';
import { defineTool } from '../tool';

const HEARTBEAT_EVERY_MS = 1_000;

/** Waits, heartbeating, and stops early when the step is cancelled: a stand-in for any long-running tool. */
export const sleep = defineTool({
  name: 'sleep',
  description: 'Waits for `ms` milliseconds, heartbeating; honours cancellation.',
  parameters: z.object({
    ms: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600 * 1000),
  }),
  risk: 'read',
  heartbeatTimeoutMs: 10_000,
  run: async ({ ms }, { heartbeat, signal }) => {
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      heartbeat({ leftMs: left });
      await pause(Math.min(left, HEARTBEAT_EVERY_MS), signal);
    }
    return { sleptMs: ms };
  },
});

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
