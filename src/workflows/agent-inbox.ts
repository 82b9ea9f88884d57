/**
 * What an agent takes from outside, and the bounds on it: messages for its inbox and the who-and-why of lifecycle
 * changes. Everything here ends up in workflow history (and a continued run's input), so every field has a limit.
 */
import type { AgentMessageInput, InboxMessage, LifecycleInput } from '../activities/agent-types';

/** How another agent signs its messages: `agent:<id>`. */
export const AGENT_SENDER = 'agent:';
/** The largest message an inbox takes, in characters; larger ones belong in shared memory or a file. */
export const MAX_MESSAGE_CHARS = 32 * 1024;
/** How many messages may wait; a sender beyond it is refused (`send`) or dropped with a warning (signal). */
export const MAX_INBOX = 100;
/** And how much text they may hold together: a run that continues as new carries them in one payload (2 MB limit). */
export const MAX_INBOX_CHARS = 512 * 1024;
/** Names and ids (a sender, an acknowledgement id, who paused): a line, not a document. */
export const MAX_NAME_CHARS = 256;
/** Why an agent was terminated: kept in its state for good. */
export const MAX_REASON_CHARS = 2_000;

/** Why a message cannot be taken, or null. */
export function messageProblem(
  message: AgentMessageInput,
  waiting: readonly InboxMessage[],
  ended: boolean,
): string | null {
  if (ended) return 'the agent is terminated';
  if (typeof message?.text !== 'string' || message.text.trim() === '') return 'a message needs a non-empty "text"';
  if (message.text.length > MAX_MESSAGE_CHARS)
    return `the message is ${message.text.length} characters; an agent takes at most ${MAX_MESSAGE_CHARS}`;
  const names = { from: message.from, id: message.id, replyTo: message.replyTo };
  for (const [field, value] of Object.entries(names)) {
    const problem = nameProblem(field, value);
    if (problem) return problem;
  }
  if (message.id === '') return '"id" must not be empty';
  const queued = waiting.reduce((sum, item) => sum + item.text.length, 0);
  if (waiting.length >= MAX_INBOX || queued + message.text.length > MAX_INBOX_CHARS)
    return `the inbox is full (${waiting.length} messages, ${queued} characters wait); try again after a reply`;
  return null;
}

/** A lifecycle update's validator: refuses a malformed input, then with `why` unless the agent is in a state for it. */
export function refuseLifecycle(input: LifecycleInput | undefined, ok: boolean, why: string): void {
  const problem = lifecycleProblem(input);
  if (problem) throw new Error(problem);
  refuseUnless(ok, why);
}

/** Why a pause, resume or terminate input cannot be taken, or null. */
function lifecycleProblem(input: LifecycleInput | undefined): string | null {
  const by = nameProblem('by', input?.by);
  if (by) return by;
  const reason = input?.reason;
  if (reason == null) return null;
  if (typeof reason !== 'string') return '"reason" must be a string';
  return reason.length > MAX_REASON_CHARS ? `"reason" is longer than ${MAX_REASON_CHARS} characters` : null;
}

function nameProblem(field: string, value: unknown): string | null {
  if (value == null) return null;
  if (typeof value !== 'string') return `"${field}" must be a string`;
  return value.length > MAX_NAME_CHARS ? `"${field}" is longer than ${MAX_NAME_CHARS} characters` : null;
}

/** An update's validator: refuses with `why` unless `ok`. */
export function refuseUnless(ok: boolean, why: string): void {
  if (!ok) throw new Error(why);
}
