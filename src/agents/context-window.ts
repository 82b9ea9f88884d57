/**
 * The context manager: what of an agent's conversation the model is given, within a budget of tokens. Recent
 * messages go in whole; when everything would not fit, the older ones are handed to the model to summarise and only
 * the summary goes in. Tokens are estimated at four characters each: close enough for a budget, and no tokenizer.
 */
import type { Conversation, ConversationMessage } from '../store/agent-conversation';

/** A tool's answer longer than this reaches the model cut, with a note saying so (the whole answer stays stored). */
export const TOOL_ANSWER_MAX_CHARS = 16_000;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function messageTokens(message: ConversationMessage): number {
  const calls = message.toolCalls ? JSON.stringify(message.toolCalls).length : 0;
  return estimateTokens(message.content) + Math.ceil(calls / 4) + 4;
}

export interface ContextPlan {
  /** Messages the model is given whole, in order. */
  keep: ConversationMessage[];
  /** Older messages to fold into the summary first; empty when everything fits. */
  summarise: ConversationMessage[];
}

/**
 * Splits the conversation at a user message so that what is kept takes at most half the budget (leaving room for the
 * summary and the answer); the current turn, from its user message on, is always kept.
 */
export function planContext(conversation: Conversation, budgetTokens: number): ContextPlan {
  const { messages } = conversation;
  const summaryTokens = conversation.summary ? estimateTokens(conversation.summary.content) : 0;
  const total = messages.reduce((sum, message) => sum + messageTokens(message), summaryTokens);
  if (total <= budgetTokens) return { keep: messages, summarise: [] };
  const lastUser = messages.map((message) => message.role).lastIndexOf('user');
  let cut = Math.max(lastUser, 0);
  let kept = messages.slice(cut).reduce((sum, message) => sum + messageTokens(message), 0);
  for (let index = cut - 1; index >= 0; index--) {
    kept += messageTokens(messages[index]!);
    if (kept > budgetTokens / 2) break;
    if (messages[index]!.role === 'user') cut = index;
  }
  return { keep: messages.slice(cut), summarise: messages.slice(0, cut) };
}

/** The text the model summarises: the previous summary and the messages to fold in, each cut to a fair share. */
export function summaryRequest(previous: string | null, messages: readonly ConversationMessage[]): string {
  const lines = messages.map((message) => {
    const who = message.role === 'tool' ? `tool ${message.toolName ?? ''}`.trim() : message.role;
    const calls = message.toolCalls?.map((call) => ` [called ${call.name}(${call.arguments.slice(0, 200)})]`) ?? [];
    return `${who}: ${message.content.slice(0, 4_000)}${calls.join('')}`;
  });
  return `${previous ? `Summary so far:\n${previous}\n\n` : ''}Messages to add to it:\n${lines.join('\n')}`;
}

/** What the model is told to do with `summaryRequest`'s text. */
export const SUMMARY_INSTRUCTIONS =
  'You keep the memory of a long conversation between a user and an assistant that uses tools. Rewrite the summary ' +
  'so far together with the new messages as one concise summary: facts learned, decisions, open questions, results ' +
  'of tool calls that still matter. Answer with the summary only.';

/** A tool answer as the model sees it: cut past TOOL_ANSWER_MAX_CHARS, saying how much was left out. */
export function toolAnswerText(content: string): string {
  if (content.length <= TOOL_ANSWER_MAX_CHARS) return content;
  return `${content.slice(0, TOOL_ANSWER_MAX_CHARS)}\n[cut: ${content.length - TOOL_ANSWER_MAX_CHARS} more characters]`;
}
