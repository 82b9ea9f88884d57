import { z } from 'zod';
import { checkPlan, formatProblem } from '../../src/plan';
import { BUILTIN_TOOLS, builtinRegistry, defineTool, ToolRegistry } from '../../src/tools';

/** The lines `plan validate` prints for a plan, against the given tools. */
function problems(steps: object[], registry = builtinRegistry()): string[] {
  return checkPlan({ steps }, registry).problems.map(formatProblem);
}

describe('unknown parameter keys', () => {
  it('are refused for a built-in tool, each named, with the key that was likely meant, beside every other problem', () => {
    const steps = [
      {
        id: 'call',
        toolName: 'http_request',
        parameters: { url: 'ftp://example.com', secretHeader: { Authorization: 'Bearer x' }, retries: 3 },
      },
    ];
    expect(problems(steps)).toEqual([
      expect.stringMatching(/^step "call": parameters\.url: /),
      'step "call": parameters.secretHeader: unknown parameter "secretHeader" (did you mean "secretHeaders"?)',
      'step "call": parameters.retries: unknown parameter "retries"',
    ]);
  });

  it('are refused in compensations too, and even where the value is a reference known only at run time', () => {
    const steps = [
      { id: 'login', toolName: 'echo', parameters: { token: 't' } },
      {
        id: 'call',
        toolName: 'http_request',
        dependsOn: ['login'],
        parameters: { url: 'https://example.com', secretHeader: '{{steps.login.result.token}}' },
        compensate: { toolName: 'memory_delete', parameters: { key: 'k', namespce: 'a/b/c/d' } },
      },
    ];
    expect(problems(steps)).toEqual([
      'step "call": parameters.secretHeader: unknown parameter "secretHeader" (did you mean "secretHeaders"?)',
      'step "call": compensate.parameters.namespce: unknown parameter "namespce" (did you mean "namespace"?)',
    ]);
  });

  it('are refused for a sub-plan, and inside the nested plan', () => {
    const nested = { steps: [{ id: 'inner', toolName: 'memory_get', parameters: { key: 'k', nmespace: 'a/b/c/d' } }] };
    expect(problems([{ id: 'child', toolName: 'subplan', parameters: { plan: nested, namespac: 'a/b/c/d' } }])).toEqual(
      [
        'step "child": parameters.namespac: unknown parameter "namespac" (did you mean "namespace"?)',
        'step "child": parameters.plan: step "inner": parameters.nmespace: unknown parameter "nmespace" (did you mean "namespace"?)',
      ],
    );
  });

  it('leave plans with templates alone', () => {
    const steps = [
      { id: 'read', toolName: 'memory_get', parameters: { key: 'k' } },
      {
        id: 'write',
        toolName: 'memory_set',
        dependsOn: ['read'],
        parameters: { key: 'k2', value: '{{steps.read.result.value}}' },
      },
      {
        id: 'all',
        toolName: 'merge',
        dependsOn: ['read', 'write'],
        parameters: { mode: 'concat', inputs: '{{dependencies}}' },
      },
    ];
    expect(problems(steps)).toEqual([]);
  });

  it('are kept by a tool whose schema accepts extra keys on purpose', () => {
    const open = (name: string, parameters: z.ZodType) =>
      defineTool({ name, description: 'takes anything', parameters, risk: 'read', run: async (p) => p });
    const registry = new ToolRegistry([
      open('loose', z.object({ a: z.string() }).loose()),
      open('passthrough', z.object({ a: z.string() }).passthrough()),
      open('numbers', z.object({ a: z.string() }).catchall(z.number())),
      open('strict', z.strictObject({ a: z.string() })),
    ]);
    const step = (toolName: string, extra: unknown) => ({ id: toolName, toolName, parameters: { a: 'x', extra } });
    expect(problems([step('loose', true), step('passthrough', true), step('numbers', 1)], registry)).toEqual([]);
    expect(problems([step('numbers', 'one')], registry)).toEqual([
      expect.stringMatching(/^step "numbers": parameters\.extra: /),
    ]);
    // A strict schema's own complaint is replaced by the same one-line-per-key problem as any other tool's.
    expect(problems([step('strict', true)], registry)).toEqual([
      'step "strict": parameters.extra: unknown parameter "extra"',
    ]);
  });

  it('are refused for a tool built with another copy of zod, whose classes are not ours', () => {
    let other!: typeof z;
    jest.isolateModules(() => {
      // A second copy of zod needs a fresh module registry, which only require() inside isolateModules gives.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = (require('zod') as { z: typeof z }).z;
    });
    expect(other.ZodObject).not.toBe(z.ZodObject);
    const parameters = other.object({ token: other.string(), city: other.string() });
    const weather = defineTool({
      name: 'weather',
      description: 'w',
      parameters,
      risk: 'read',
      secretParams: ['token'],
      run: async () => null,
    });
    const registry = new ToolRegistry([...BUILTIN_TOOLS, weather]);
    expect(problems([{ id: 'w', toolName: 'weather', parameters: { token: 't', cty: 'Oslo' } }], registry)).toEqual([
      'step "w": parameters.city: Invalid input: expected string, received undefined',
      'step "w": parameters.cty: unknown parameter "cty" (did you mean "city"?)',
    ]);
    expect(registry.describe().find((tool) => tool.name === 'weather')!.parameters).toMatchObject({
      additionalProperties: false,
    });
  });

  it('make the JSON Schema the planner and `plan tools` see say so', () => {
    const described = Object.fromEntries(
      builtinRegistry()
        .describe()
        .map((tool) => [tool.name, tool.parameters]),
    );
    expect(described.http_request).toMatchObject({ additionalProperties: false });
    expect(described.memory_set).toMatchObject({ additionalProperties: false });
    // echo takes any parameters, noop ignores them: neither refuses extra keys.
    expect(described.echo!.additionalProperties).not.toBe(false);
    expect(described.noop!.additionalProperties).not.toBe(false);
  });
});
