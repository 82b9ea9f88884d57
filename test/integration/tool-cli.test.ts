import { cli } from '../support/cli';

test('plan tools lists every tool with its risk and what it does', async () => {
  const { code, stdout } = await cli(['tools']);
  expect(code).toBe(0);
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^TOOL\s+RISK\s+DESCRIPTION$/);
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^http_request\s+write\s+Sends an HTTP request/),
      expect.stringMatching(/^shell\s+destructive\s+Runs an executable/),
      expect.stringMatching(/^sql_query\s+write\s+Runs one SQL statement/),
      expect.stringMatching(/^llm_chat\s+read\s+Asks the worker's OpenAI-compatible/),
    ]),
  );
});

test('plan tools --json prints the catalogue the planner sees, secret parameters included', async () => {
  const { code, stdout } = await cli(['tools', '--json']);
  expect(code).toBe(0);
  const catalogue = JSON.parse(stdout) as { name: string; secretParams: string[]; parameters: { properties?: object } }[];
  const http = catalogue.find((tool) => tool.name === 'http_request')!;
  expect(http.secretParams).toEqual(['secretHeaders']);
  expect(Object.keys(http.parameters.properties!)).toEqual(
    expect.arrayContaining(['method', 'url', 'headers', 'secretHeaders', 'body', 'timeoutMs', 'maxResponseBytes']),
  );
});
