import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One scripted answer of the fake server: a chat completion with this content, or an HTTP error, or silence. */
export type FakeReply =
  | {
      content: string;
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** Function calls the model makes (its own function names, arguments as JSON text). */
      toolCalls?: Array<{ name: string; arguments: string }>;
      /** Streamed answers: the pause between chunks (default 0), and the size of a chunk in characters (default 8). */
      chunkDelayMs?: number;
      chunkChars?: number;
    }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { hang: true };

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions) answering from a script, for tests: the real `openai`
 * client talks to it over HTTP. Every request body is kept for assertions.
 */
export class FakeOpenAI {
  readonly requests: Array<Record<string, unknown>> = [];
  private readonly script: FakeReply[] = [];
  private server: Server | null = null;
  private fallback: ((body: Record<string, unknown>) => FakeReply) | null = null;
  baseURL = '';

  /** Answers every request the script has no reply left for. */
  otherwise(answer: (body: Record<string, unknown>) => FakeReply): this {
    this.fallback = answer;
    return this;
  }

  reply(...replies: FakeReply[]): this {
    this.script.push(...replies);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseURL = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/v1`;
    return this;
  }

  /** Answers one request with the next scripted reply. */
  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = JSON.parse(await read(req)) as Record<string, unknown>;
    this.requests.push(body);
    const next = this.script.shift() ??
      this.fallback?.(body) ?? {
        status: 500,
        body: { error: { message: 'the fake server has no more replies' } },
      };
    if ('hang' in next) return; // never answers: the client's timeout must end it
    if ('status' in next) {
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify(next.body ?? { error: { message: `status ${next.status}` } }));
      return;
    }
    if (body.stream === true) return this.stream(res, String(body.model), next);
    const usage = next.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: String(body.model),
        choices: [{ index: 0, message: { role: 'assistant', content: next.content }, finish_reason: 'stop' }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
    );
  }

  /** A streamed answer as OpenAI sends it: server-sent events of deltas, then [DONE]. */
  private async stream(
    res: ServerResponse,
    model: string,
    reply: {
      content: string;
      toolCalls?: Array<{ name: string; arguments: string }>;
      chunkDelayMs?: number;
      chunkChars?: number;
    },
  ): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const id = `chatcmpl-${this.requests.length}`;
    const send = (delta: Record<string, unknown>, finish: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
      );
    send({ role: 'assistant', content: '' });
    const size = reply.chunkChars ?? 8;
    for (let at = 0; at < reply.content.length; at += size) {
      if (res.destroyed) return;
      send({ content: reply.content.slice(at, at + size) });
      if (reply.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
    }
    (reply.toolCalls ?? []).forEach((call, index) => {
      send({
        tool_calls: [
          {
            index,
            id: `call_${this.requests.length}_${index}`,
            type: 'function',
            function: { name: call.name, arguments: '' },
          },
        ],
      });
      send({ tool_calls: [{ index, function: { arguments: call.arguments } }] });
    });
    send({}, reply.toolCalls?.length ? 'tool_calls' : 'stop');
    res.end('data: [DONE]\n\n');
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
