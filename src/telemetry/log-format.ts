/**
 * How a worker writes a log entry: `json`, one object per line (time, level, message, then the entry's fields) for log
 * collectors; `pretty`, one readable line with the same fields as key=value, for a person at a terminal. Workflow and
 * activity entries bring their own fields (workflowId, runId, activityType, ...), the plan's lines their plan and step.
 */
import type { LogEntry } from '@temporalio/worker';

export type LogFormat = 'json' | 'pretty';

/** The entry as one line (without the newline). */
export function formatLogEntry(entry: LogEntry, format: LogFormat): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const fields = Object.entries(entry.meta ?? {}).filter(([, value]) => value !== undefined);
  if (format === 'json') {
    const line: Record<string, unknown> = { time, level: entry.level.toLowerCase(), message: entry.message };
    // A field never hides the entry's own time, level or message.
    for (const [key, value] of fields) if (!(key in line)) line[key] = value;
    try {
      return JSON.stringify(line, jsonValue);
    } catch {
      return JSON.stringify(line, withoutRepeats()); // a field that refers to itself
    }
  }
  const text = fields.map(([key, value]) => `${key}=${prettyValue(value)}`);
  const stacks = fields.flatMap(([, value]) => (value instanceof Error && value.stack ? [value.stack] : []));
  return [`${time} ${entry.level.padEnd(5)} ${entry.message}`, ...text].join(' ') + stacks.map(indent).join('');
}

/** Errors as their name, message and stack (JSON.stringify gives `{}`), bigints as numbers' text. */
function jsonValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (!(value instanceof Error)) return value;
  const { name, message, stack } = value;
  const type = (value as { type?: unknown }).type;
  return { name, message, ...(typeof type === 'string' ? { type } : {}), stack, cause: value.cause };
}

/** `jsonValue`, with an object met a second time written as "[seen]" so that a cycle ends. */
function withoutRepeats(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (key, value) => {
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[seen]';
      seen.add(value);
    }
    return jsonValue(key, value);
  };
}

/** Plain words as they are; anything with spaces or quotes, or not a string, as JSON; errors as their message. */
function prettyValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value, jsonValue) ?? String(value);
}

function indent(stack: string): string {
  return `\n    ${stack.split('\n').join('\n    ')}`;
}
