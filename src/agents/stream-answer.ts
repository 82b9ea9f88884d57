/**
 * One streamed chat completion: text is handed on in chunks as it arrives (for subscribers), tool calls are put
 * together from their pieces, and the whole answer is returned at the end.
 */
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { StoredToolCall } from '../store/agent-conversation';
import type { TokenChunk } from '../store/agent-events';

/** Chunks are handed on at least this often while text arrives, and whenever this much has gathered. */
const FLUSH_EVERY_MS = 100;
const FLUSH_AT_CHARS = 512;

export interface StreamedAnswer {
  content: string;
  toolCalls: StoredToolCall[];
}

export interface StreamRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  signal: AbortSignal;
  /** Called on every piece the server sends (heartbeats) and with each chunk of text (one at a time, in order). */
  onPiece(): void;
  onText(chunk: TokenChunk): Promise<void>;
}

export async function streamAnswer(client: OpenAI, request: StreamRequest): Promise<StreamedAnswer> {
  const stream = await client.chat.completions.create(
    {
      model: request.model,
      messages: request.messages,
      ...(request.tools.length > 0 ? { tools: request.tools } : {}),
      stream: true,
    },
    { signal: request.signal },
  );
  let content = '';
  let flushed = 0;
  let lastFlush = Date.now();
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  const flush = async () => {
    if (content.length === flushed) return;
    const chunk = { offset: flushed, text: content.slice(flushed) };
    flushed = content.length;
    lastFlush = Date.now();
    await request.onText(chunk);
  };
  for await (const piece of stream) {
    request.onPiece();
    const delta = piece.choices[0]?.delta;
    if (!delta) continue;
    if (delta.content) content += delta.content;
    for (const part of delta.tool_calls ?? []) {
      const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
    }
    if (content.length - flushed >= FLUSH_AT_CHARS || Date.now() - lastFlush >= FLUSH_EVERY_MS) await flush();
  }
  await flush();
  // A server that sends no id for a call still needs one the answer can name.
  const toolCalls = calls.filter(Boolean).map((call, index) => ({ ...call, id: call.id || `call_${index}` }));
  return { content, toolCalls };
}
