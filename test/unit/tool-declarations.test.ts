import { z } from 'zod';
import { defineTool, openAiFunctionTools, ToolRegistry, type ToolDescription } from '../../src/tools';

const forecast = defineTool({
  name: 'forecast',
  description: 'The weather tomorrow.',
  parameters: z.object({ city: z.string(), apiKey: z.string() }),
  result: z.object({ city: z.string(), celsius: z.number(), source: z.string().default('met.no') }),
  timeoutMs: 120_000,
  secretParams: ['apiKey'],
  risk: 'read',
  run: async ({ city }) => ({ city, celsius: 21 }),
});

test('defineTool types run by both schemas', () => {
  const tool = defineTool({
    name: 'typed',
    description: 't',
    parameters: z.object({ city: z.string() }),
    result: z.object({ celsius: z.number() }),
    risk: 'read',
    // @ts-expect-error the result schema says celsius is a number
    run: async ({ city }) => ({ celsius: city }),
  });
  expect(tool.result).toBeDefined();
});

test('describe() gives the result schema as the steps after a tool read it, defaults filled in', () => {
  const [described] = new ToolRegistry([forecast]).describe();
  expect(described!.result).toEqual({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      city: { type: 'string' },
      celsius: { type: 'number' },
      source: { type: 'string', default: 'met.no' },
    },
    required: ['city', 'celsius', 'source'],
    additionalProperties: false,
  });
  expect(JSON.parse(JSON.stringify(described))).toEqual(described);
});

test('a tool without a result schema has no result in its description', () => {
  const plain = defineTool({
    name: 'plain',
    description: 'p',
    parameters: z.object({}),
    risk: 'read',
    run: async () => 1,
  });
  expect(new ToolRegistry([plain]).describe()[0]).not.toHaveProperty('result');
});

test.each([0, 1.5, 7 * 24 * 3600 * 1000 + 1, Number.NaN])(
  'a tool timeoutMs of %p is refused when the registry is built',
  (timeoutMs) => {
    const slow = defineTool({ ...forecast, name: 'slow', timeoutMs });
    expect(() => new ToolRegistry([slow])).toThrow(
      `tool "slow": timeoutMs must be an integer between 1 and 604800000 (7 days); got ${timeoutMs}`,
    );
  },
);

test('the catalogue converts to OpenAI function tools: name, description and the parameters schema', () => {
  const described: ToolDescription[] = new ToolRegistry([forecast]).describe();
  expect(openAiFunctionTools(described)).toEqual([
    {
      type: 'function',
      function: {
        name: 'forecast',
        description: 'The weather tomorrow.',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' }, apiKey: { type: 'string' } },
          required: ['city', 'apiKey'],
          additionalProperties: false,
        },
      },
    },
  ]);
  // The description it came from keeps its $schema.
  expect(described[0]!.parameters).toHaveProperty('$schema');
});
