/** Heartbeat timeout of the tools that wait on the outside world: a dead worker is noticed within it. */
export const WAITING_TOOL_HEARTBEAT_TIMEOUT_MS = 10_000;

const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Heartbeats until `work` settles. Cancellation reaches an activity only through a heartbeat, so a tool that waits
 * on a process or a server must keep beating to be stoppable.
 */
export async function heartbeatWhile<T>(heartbeat: (details?: unknown) => void, work: Promise<T>): Promise<T> {
  heartbeat();
  const timer = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
