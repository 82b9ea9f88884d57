/**
 * The agent's pure pieces: what of a conversation the model is given within its budget, how a retried stream is
 * shown once, how tool names reach a model, and how the pool bound makes model calls wait their turn.
 */
import { planContext, summaryRequest, toolAnswerText, TOOL_ANSWER_MAX_CHARS } from '../../src/agents/context-window';
import { functionName, functionTable } from '../../src/agents/function-names';
import { modelMessages } from '../../src/agents/model-messages';
import { TokenDedupe } from '../../src/agents/token-dedupe';
import { TurnSlots } from '../../src/agents/turn-slots';
import type { ConversationMessage } from '../../src/store/agent-conversation';

let seq = 0;
const message = (role: ConversationMessage['role'], content: string, extra: Partial<ConversationMessage> = {}) =>
  ({
    seq: ++seq,
    role,
    content,
    toolCalls: null,
    toolCallId: null,
    toolName: null,
    sender: null,
    ...extra,
  }) satisfies ConversationMessage;

describe('planContext', () => {
  test('keeps everything while it fits the budget', () => {
    const messages = [message('user', 'hi'), message('assistant', 'hello')];
    expect(planContext({ summary: null, messages }, 1_000)).toEqual({ keep: messages, summarise: [] });
  });

  test('over budget, summarises older turns and keeps recent ones from a user message on', () => {
    const turns = Array.from({ length: 10 }, (_, i) => [
      message('user', `q${i} ${'x'.repeat(400)}`),
      message('assistant', `a${i} ${'y'.repeat(400)}`),
    ]).flat();
    const plan = planContext({ summary: null, messages: turns }, 1_000);
    expect(plan.summarise.length).toBeGreaterThan(0);
    expect(plan.keep[0]!.role).toBe('user');
    expect([...plan.summarise, ...plan.keep]).toEqual(turns);
    const keptTokens = plan.keep.reduce((sum, m) => sum + m.content.length / 4, 0);
    expect(keptTokens).toBeLessThanOrEqual(500 + 8);
  });

  test('never cuts the current turn, even when it alone is over budget, nor leaves a tool answer without its call', () => {
    const old = [message('user', 'old question'), message('assistant', 'old answer')];
    const current = [
      message('user', 'z'.repeat(10_000)),
      message('assistant', '', { toolCalls: [{ id: 'c1', name: 'echo', arguments: '{}' }] }),
      message('tool', 'r'.repeat(10_000), { toolCallId: 'c1', toolName: 'echo' }),
    ];
    const plan = planContext({ summary: null, messages: [...old, ...current] }, 100);
    expect(plan).toEqual({ keep: current, summarise: old });
  });
});

test('summaryRequest carries the previous summary and each message, cut to a fair share', () => {
  const text = summaryRequest('they like tea', [
    message('user', 'w'.repeat(10_000)),
    message('tool', '42', { toolName: 'calc' }),
  ]);
  expect(text).toContain('Summary so far:\nthey like tea');
  expect(text).toContain('tool calc: 42');
  expect(text.length).toBeLessThan(4_200);
});

test('modelMessages puts the summary in the system prompt and answers an interrupted call', () => {
  const messages = modelMessages('Be brief.', 'earlier: tea', [
    message('user', 'hi', { sender: 'agent:boss' }),
    message('assistant', '', { toolCalls: [{ id: 'c1', name: 'mcp__calc__add', arguments: '{"a":1}' }] }),
  ]);
  expect(messages[0]).toEqual({
    role: 'system',
    content: 'Be brief.\n\nThe conversation so far, summarised:\nearlier: tea',
  });
  expect(messages[1]).toEqual({ role: 'user', content: '[from agent:boss] hi' });
  expect(messages[3]).toEqual({ role: 'tool', tool_call_id: 'c1', content: '(no answer: the call did not complete)' });
  expect(toolAnswerText('a'.repeat(TOOL_ANSWER_MAX_CHARS + 5))).toMatch(/\[cut: 5 more characters\]$/);
});

test('function names: dots become double underscores, and names a model refuses are errors', () => {
  expect(functionName('mcp.calc.add')).toBe('mcp__calc__add');
  expect(functionTable(['echo', 'mcp.calc.add']).get('mcp__calc__add')).toBe('mcp.calc.add');
  expect(() => functionTable(['mcp.calc.a b'])).toThrow(/cannot be offered to a model/);
});

test('TokenDedupe shows a retried attempt only past the text already shown', () => {
  const dedupe = new TokenDedupe();
  expect(dedupe.fresh(1, 0, 0, 'Hello ')).toBe('Hello ');
  expect(dedupe.fresh(1, 0, 6, 'wor')).toBe('wor');
  // The retry streams again from 0 in other chunks.
  expect(dedupe.fresh(1, 0, 0, 'Hello wo')).toBe('');
  expect(dedupe.fresh(1, 0, 8, 'rld')).toBe('ld');
  expect(dedupe.fresh(1, 1, 0, 'next call')).toBe('next call');
});

test('TurnSlots lets `limit` calls run and the rest wait their turn, in order; an aborted waiter leaves the queue', async () => {
  const slots = new TurnSlots(2);
  const order: string[] = [];
  const gates = new Map<string, () => void>();
  const job = (name: string, signal = new AbortController().signal) =>
    slots.hold(signal, async () => {
      order.push(`start ${name}`);
      await new Promise<void>((resolve) => gates.set(name, resolve));
      order.push(`end ${name}`);
    });
  const a = job('a');
  const b = job('b');
  const abort = new AbortController();
  const c = job('c', abort.signal);
  const d = job('d');
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(['start a', 'start b']);
  abort.abort(new Error('cancelled'));
  await expect(c).rejects.toThrow('cancelled');
  gates.get('a')!();
  await a;
  await new Promise((resolve) => setImmediate(resolve));
  expect(order).toEqual(['start a', 'start b', 'end a', 'start d']);
  gates.get('b')!();
  gates.get('d')!();
  await Promise.all([b, d]);
  expect(() => new TurnSlots(0)).toThrow(/positive integer/);
});
