/** An agent's context in the shape of OpenAI's chat completions: system prompt (with the summary), then messages. */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ConversationMessage } from '../store/agent-conversation';
import { toolAnswerText } from './context-window';

export const DEFAULT_SYSTEM_PROMPT =
  'You are a helpful assistant. Use the tools you are given when they help; answer plainly when you are done.';

/** The answer of an interrupted call (one whose answer was never stored), so the context stays valid. */
const NO_ANSWER = '(no answer: the call did not complete)';

export function modelMessages(
  system: string | null,
  summary: string | null,
  messages: readonly ConversationMessage[],
): ChatCompletionMessageParam[] {
  const prompt = system ?? DEFAULT_SYSTEM_PROMPT;
  const out: ChatCompletionMessageParam[] = [
    { role: 'system', content: summary ? `${prompt}\n\nThe conversation so far, summarised:\n${summary}` : prompt },
  ];
  const answered = new Set(messages.flatMap((message) => (message.toolCallId ? [message.toolCallId] : [])));
  for (const message of messages) {
    if (message.role === 'user') {
      const from = message.sender?.startsWith('agent:') ? `[from ${message.sender}] ` : '';
      out.push({ role: 'user', content: from + message.content });
    } else if (message.role === 'tool') {
      out.push({ role: 'tool', tool_call_id: message.toolCallId ?? '', content: toolAnswerText(message.content) });
    } else if (message.toolCalls && message.toolCalls.length > 0) {
      out.push({
        role: 'assistant',
        content: message.content || null,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      });
      for (const call of message.toolCalls) {
        if (!answered.has(call.id)) out.push({ role: 'tool', tool_call_id: call.id, content: NO_ANSWER });
      }
    } else {
      out.push({ role: 'assistant', content: message.content });
    }
  }
  return out;
}
