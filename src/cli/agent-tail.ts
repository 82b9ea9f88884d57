/** `plan agent tail`: an agent's stream, live, until Ctrl-C — tokens as the model writes them, messages as stored. */
import { subscribeAgent, type AgentStreamEvent } from '../api/subscribe-agent';
import type { Command } from './command';
import { EXIT } from './errors';
import { printable } from './printable';

const TOOL_ANSWER_CHARS = 200;

/** Events as text: tokens as they come, an answer's end as a line break, other messages on lines of their own. */
class TailPrinter {
  /** The turns whose answer's tokens were printed, so the stored answer is not printed again. */
  private readonly streamed = new Set<number>();
  private midLine = false;

  constructor(private readonly write: (text: string) => void) {}

  print(event: AgentStreamEvent): void {
    if (event.type === 'token') {
      this.streamed.add(event.turn);
      this.write(event.text);
      this.midLine = !event.text.endsWith('\n');
      return;
    }
    if (event.role === 'assistant') {
      // Streamed already: the answer ends here. Not streamed (joined late, or tool calls alone): print what it said.
      if (this.streamed.has(event.turn)) this.endLine();
      else if (event.text) this.line(event.text);
      this.streamed.delete(event.turn);
      return;
    }
    if (event.role === 'user') this.line(`> ${event.text}`);
    else this.line(`  [tool ${event.toolName ?? '?'}] ${event.text.replace(/\s+/g, ' ').slice(0, TOOL_ANSWER_CHARS)}`);
  }

  private line(text: string): void {
    this.endLine();
    this.write(`${text}\n`);
  }

  private endLine(): void {
    if (this.midLine) this.write('\n');
    this.midLine = false;
  }
}

export const agentTail: Command = {
  spec: {
    usage: 'plan agent tail <id> [--from-start]',
    summary:
      "Follows an agent live until Ctrl-C: its model's tokens as they stream, user messages (> ...) and tool " +
      'answers; --from-start shows its whole stream first.',
    example: 'npm run -s plan -- agent tail support',
    options: { 'from-start': { type: 'boolean', description: "show the agent's whole stream first, then follow it" } },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const agentId = parsed.positionals[0]!;
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // Tokens are a model's, and a model says what its prompt talked it into: printed, never obeyed by the terminal.
    const printer = new TailPrinter((text) => process.stdout.write(printable(text)));
    try {
      const stream = subscribeAgent(await ctx.database(), agentId, {
        from: parsed.values['from-start'] ? 'start' : 'now',
        signal: stop.signal,
      });
      if (process.stderr.isTTY) ctx.output.err(`following agent ${agentId} (Ctrl-C to stop)`);
      for await (const event of stream) printer.print(event);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return EXIT.ok;
  },
};
