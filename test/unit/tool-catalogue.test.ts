import { z } from 'zod';
import { loadConfig } from '../../src/config';
import { builtinRegistry, defineTool, secretParamsOf, ToolRegistry } from '../../src/tools';
import { toolSettings } from '../../src/worker';

test('every built-in tool describes itself with a JSON Schema the planner can read', () => {
  const catalogue = builtinRegistry().describe();
  expect(catalogue.map((tool) => tool.name)).toEqual(
    expect.arrayContaining(['echo', 'memory_set', 'http_request', 'shell', 'sql_query', 'llm_chat']),
  );
  for (const tool of catalogue) {
    expect(tool.parameters).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
    expect(['read', 'write', 'destructive']).toContain(tool.risk);
    expect(JSON.parse(JSON.stringify(tool))).toEqual(tool);
  }
  const http = catalogue.find((tool) => tool.name === 'http_request')!;
  // Input form: a parameter with a default is optional to the plan's author.
  expect(http.parameters).toMatchObject({ required: ['url'], properties: { method: { default: 'GET' } } });
});

test('the secret parameters are listed per tool, for the mirror to redact', () => {
  expect(secretParamsOf(builtinRegistry())).toEqual({ http_request: ['secretHeaders'], shell: ['secretEnv'] });
  expect(
    builtinRegistry()
      .describe()
      .find((tool) => tool.name === 'shell')!.secretParams,
  ).toEqual(['secretEnv']);
});

test('a secret parameter the tool does not have is refused when the registry is built', () => {
  const tool = defineTool({
    name: 'leaky',
    description: 'declares a misspelt secret',
    parameters: z.object({ token: z.string() }),
    risk: 'read',
    secretParams: ['tokn'],
    run: async () => null,
  });
  expect(() => new ToolRegistry([tool])).toThrow('tool "leaky" declares secret parameter "tokn" that it does not have');
});

test("the tools' settings come from the environment", () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://main/db',
    PLAN_SHELL_ALLOW: ' node *, /usr/bin/git status ,,',
    PLAN_SHELL_ENV_ALLOW: 'GREETING, APP_*',
    PLAN_SQL_CONNECTIONS: '{"analytics":"postgres://reader@warehouse/analytics"}',
    OPENAI_BASE_URL: 'http://localhost:11434/v1',
    PLAN_LLM_MODEL: 'llama3.2',
    PLAN_LLM_MAX_RESPONSE_BYTES: '65536',
    PLAN_HTTP_ALLOW: ' api.internal:8443, 10.0.0.5 ,,',
    PATH: '/usr/bin',
    OPENAI_API_KEY: '',
    SECRET_TOKEN: 'not for commands',
  });
  expect(toolSettings(config)).toEqual({
    shell: { allow: ['node *', '/usr/bin/git status'], envAllow: ['GREETING', 'APP_*'], env: { PATH: '/usr/bin' } },
    sqlConnections: { default: 'postgres://main/db', analytics: 'postgres://reader@warehouse/analytics' },
    sqlUnrestricted: false,
    llm: { apiKey: null, baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', maxResponseBytes: 65536 },
    http: { allow: ['api.internal:8443', '10.0.0.5'] },
  });
  expect(toolSettings(loadConfig({})).shell.allow).toEqual([]);
  expect(toolSettings(loadConfig({})).http.allow).toEqual([]);
  expect(() => loadConfig({ PLAN_LLM_MAX_RESPONSE_BYTES: '1MB' })).toThrow('PLAN_LLM_MAX_RESPONSE_BYTES must be');
  expect(toolSettings(loadConfig({ PLAN_SQL_UNRESTRICTED: 'true' })).sqlUnrestricted).toBe(true);
});

test('a malformed PLAN_SQL_CONNECTIONS is refused with what it should look like', () => {
  expect(() => loadConfig({ PLAN_SQL_CONNECTIONS: 'analytics=postgres://x' })).toThrow(
    /must be a JSON object of name -> PostgreSQL URL.*not JSON/,
  );
  expect(() => loadConfig({ PLAN_SQL_CONNECTIONS: '{"a":"mysql://x"}' })).toThrow('"a" is not a postgres:// URL');
  expect(() => loadConfig({ PLAN_SQL_CONNECTIONS: '["postgres://x"]' })).toThrow('must be a JSON object');
});
