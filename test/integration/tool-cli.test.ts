import { cli, planFiles, STACK_TRACE } from '../support/cli';

test('plan tools lists every tool with its risk and what it does', async () => {
  const { code, stdout } = await cli(['tools']);
  expect(code).toBe(0);
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^TOOL\s+RISK\s+DESCRIPTION$/);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^http_request\s+write\s+Sends an HTTP request/),
      expect.stringMatching(/^shell\s+destructive\s+Runs a command the worker's PLAN_SHELL_ALLOW allows/),
      expect.stringMatching(/^sql_query\s+write\s+Runs one SQL statement/),
      expect.stringMatching(/^llm_chat\s+read\s+Asks the worker's OpenAI-compatible/),
    ]),
  );
});

test('plan tools --json prints the catalogue the planner sees, secret parameters included', async () => {
  const { code, stdout } = await cli(['tools', '--json']);
  expect(code).toBe(0);
  const catalogue = JSON.parse(stdout) as {
    name: string;
    secretParams: string[];
    parameters: { properties?: object };
  }[];
  const http = catalogue.find((tool) => tool.name === 'http_request')!;
  expect(http.secretParams).toEqual(['secretHeaders']);
  expect(Object.keys(http.parameters.properties!)).toEqual(
    expect.arrayContaining(['method', 'url', 'headers', 'secretHeaders', 'body', 'timeoutMs', 'maxResponseBytes']),
  );
});

test('plan tools --format openai prints OpenAI function tools whose parameters refuse unknown keys', async () => {
  const { code, stdout } = await cli(['tools', '--format', 'openai']);
  expect(code).toBe(0);
  const definitions = JSON.parse(stdout) as {
    type: string;
    function: { name: string; description: string; parameters: Record<string, unknown> };
  }[];
  const http = definitions.find((tool) => tool.function.name === 'http_request')!;
  expect(http).toMatchObject({
    type: 'function',
    function: {
      description: expect.stringMatching(/^Sends an HTTP request/),
      parameters: { type: 'object', required: ['url'], additionalProperties: false },
    },
  });
  expect(http.function.parameters).not.toHaveProperty('$schema');
  // The same tools, in the same order, as --json.
  const json = JSON.parse((await cli(['tools', '--format', 'json'])).stdout) as { name: string }[];
  expect(definitions.map((tool) => tool.function.name)).toEqual(json.map((tool) => tool.name));
});

test('plan tools --format with anything else is a usage error naming the formats', async () => {
  const { code, stdout, stderr } = await cli(['tools', '--format', 'yaml']);
  expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
  expect(stderr).not.toMatch(STACK_TRACE);
  expect(stderr).toMatch('--format must be one of table, json, openai; got "yaml"');
  // With --json the refusal is JSON on stdout.
  const both = await cli(['tools', '--json', '--format', 'openai']);
  expect({ code: both.code, stderr: both.stderr }).toEqual({ code: 2, stderr: '' });
  expect(JSON.parse(both.stdout)).toMatchObject({
    ok: false,
    error: { type: 'usage', message: expect.stringContaining('--json means --format json') },
  });
});

test('plan validate names a misspelt parameter and the one meant, and exits 2', async () => {
  const file = planFiles()('typo.yaml', {
    steps: [
      {
        id: 'call',
        toolName: 'http_request',
        parameters: { url: 'https://example.com', secretHeader: { Authorization: 'x' } },
      },
    ],
  });
  const { code, stdout, stderr } = await cli(['validate', file]);
  expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
  expect(stderr).toContain(
    'step "call": parameters.secretHeader: unknown parameter "secretHeader" (did you mean "secretHeaders"?)',
  );
});
