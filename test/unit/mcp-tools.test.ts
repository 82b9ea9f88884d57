/** The pure parts of MCP tools: configuration checks, names, how answers become results and failures. */
import { ApplicationFailure } from '@temporalio/common';
import { checkPlan, formatProblem } from '../../src/plan';
import { MCP_TOOL_ERROR, MCP_UNAVAILABLE } from '../../src/plan/error-types';
import { toolCatalogue } from '../../src/config';
import { checkMcpConfig, mcpToolName, parseMcpToolName } from '../../src/tools/mcp';
import { mcpCallFailure, mcpStepResult, mcpToolFailure } from '../../src/tools/mcp/mcp-result';

const calc = { command: 'node', args: ['calc.js'] };

test('a tool name is mcp.<server>.<tool>; the tool part may hold dots of its own', () => {
  expect(mcpToolName('calc', 'add')).toBe('mcp.calc.add');
  expect(parseMcpToolName('mcp.calc.add')).toEqual({ server: 'calc', tool: 'add' });
  expect(parseMcpToolName('mcp.files.read.v2')).toEqual({ server: 'files', tool: 'read.v2' });
  for (const name of ['echo', 'mcp.calc', 'mcp..add', 'mcp.calc.']) expect(parseMcpToolName(name)).toBeNull();
});

test('the mcp configuration is refused with what is wrong, naming the server', () => {
  expect(checkMcpConfig({ servers: { calc, web: { url: 'https://mcp.example/mcp', headers: { A: 'b' } } } })).toEqual(
    expect.objectContaining({ servers: expect.any(Object) }),
  );
  expect(() => checkMcpConfig({ servers: { Calc: calc } })).toThrow(/mcp\.servers\["Calc"\]: .*rename "Calc"/);
  expect(() => checkMcpConfig({ servers: { 'my.calc': calc } })).toThrow(/rename "my\.calc"/);
  expect(() => checkMcpConfig({ servers: { calc: { command: 'x', url: 'http://a' } } })).toThrow(/not both/);
  expect(() => checkMcpConfig({ servers: { calc: {} } })).toThrow(/needs either "command"/);
  expect(() => checkMcpConfig({ servers: { calc: { ...calc, arg: [] } } })).toThrow(
    /unknown key "arg"; it may have command, args, env, cwd/,
  );
  expect(() => checkMcpConfig({ servers: { web: { url: 'ftp://x' } } })).toThrow(/must be an http\(s\) URL/);
  expect(() => checkMcpConfig({ server: {} })).toThrow(/unknown key "server"/);
});

test('a client catalogue takes any tool of a configured server, and names a misspelt server with the one meant', () => {
  const catalogue = toolCatalogue([], { calc });
  const problems = (steps: object[]) => checkPlan({ steps }, catalogue).problems.map(formatProblem);
  expect(problems([{ id: 'a', toolName: 'mcp.calc.anything', parameters: { x: 1 } }])).toEqual([]);
  expect(problems([{ id: 'a', toolName: 'mcp.calx.add', parameters: {} }])).toEqual([
    'step "a": toolName: unknown tool "mcp.calx.add": no MCP server "calx" in the configuration (did you mean "calc"?)',
  ]);
  // Other unknown tools name the built-in meant.
  expect(problems([{ id: 'a', toolName: 'shel', parameters: {} }])).toEqual([
    'step "a": toolName: unknown tool "shel" (did you mean "shell"?)',
  ]);
  expect(() => toolCatalogue([{ name: 'mcp.x.y' } as never])).toThrow(/names starting with "mcp\." are those of MCP/);
});

test('structured content is the result; else the text blocks joined; else every block as sent', () => {
  expect(mcpStepResult({ structuredContent: { sum: 5 }, content: [{ type: 'text', text: '5' }] })).toEqual({ sum: 5 });
  expect(
    mcpStepResult({
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
    }),
  ).toBe('a\nb');
  expect(mcpStepResult({ content: [] })).toBe('');
  const image = { type: 'image', data: 'AAAA', mimeType: 'image/png' };
  expect(mcpStepResult({ content: [{ type: 'text', text: 'a' }, image] })).toEqual([
    { type: 'text', text: 'a' },
    image,
  ]);
});

test("an isError answer or the server's refusal is not retried; no answer is", () => {
  const said = mcpToolFailure('mcp.calc.refuse', { content: [{ type: 'text', text: 'refused: no' }], isError: true });
  expect(said).toMatchObject({ type: MCP_TOOL_ERROR, nonRetryable: true });
  expect(said.message).toBe('MCP tool "mcp.calc.refuse" failed: refused: no');
  const live = new AbortController().signal;
  const invalid = Object.assign(new Error('MCP error -32602: Invalid params'), { code: -32602 });
  expect(mcpCallFailure('mcp.calc.add', invalid, live)).toMatchObject({ type: MCP_TOOL_ERROR, nonRetryable: true });
  const closed = Object.assign(new Error('MCP error -32000: Connection closed'), { code: -32000 });
  expect(mcpCallFailure('mcp.calc.add', closed, live)).toMatchObject({ type: MCP_UNAVAILABLE, nonRetryable: false });
  expect(mcpCallFailure('mcp.calc.add', new Error('fetch failed'), live)).toMatchObject({ type: MCP_UNAVAILABLE });
  // A cancelled step's own abort is passed on untouched, for Temporal to read as a cancellation.
  const cancelled = new AbortController();
  cancelled.abort();
  const abort = new Error('aborted');
  expect(mcpCallFailure('mcp.calc.add', abort, cancelled.signal)).toBe(abort);
  expect(said).toBeInstanceOf(ApplicationFailure);
});
