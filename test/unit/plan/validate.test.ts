import {
  checkPlan,
  formatProblem,
  normalizePlan,
  validatePlan,
  type ParameterIssue,
  type Plan,
  type Problem,
  type ToolCatalog,
} from '../../../src/plan';

const messages = (problems: Problem[]): string[] => problems.map(formatProblem);

function plan(steps: object[], extra: object = {}): Plan {
  const result = normalizePlan({ ...extra, steps });
  expect(result.problems).toEqual([]);
  return result.plan!;
}

describe('validatePlan, the graph', () => {
  it('accepts a well-formed plan, approval gates included', () => {
    const steps = [
      { id: 'build', toolName: 'shell' },
      { id: 'deploy', toolName: 'http', dependsOn: ['build'], requiresApproval: true },
    ];
    expect(validatePlan(plan(steps))).toEqual([]);
  });

  it('refuses an empty plan', () => {
    expect(messages(validatePlan(plan([])))).toEqual(['steps: a plan needs at least one step']);
  });

  it('reports duplicates, unknown and self dependencies and cycles together, each with its step', () => {
    const problems = validatePlan(
      plan([
        { id: 'build', toolName: 't' },
        { id: 'deploy', toolName: 't', dependsOn: ['biuld', 'deploy'] },
        { id: 'build', toolName: 't' },
        { id: 'a', toolName: 't', dependsOn: ['c'] },
        { id: 'b', toolName: 't', dependsOn: ['a'] },
        { id: 'c', toolName: 't', dependsOn: ['b'] },
      ]),
    );
    expect(messages(problems)).toEqual([
      'step "build": id: used by steps 1 and 3; ids must be unique',
      'step "deploy": dependsOn: unknown step "biuld"',
      'step "deploy": dependsOn: a step cannot depend on itself',
      'step "a": dependsOn: dependency cycle: a -> c -> b -> a',
    ]);
    expect(problems[1]).toEqual({ stepId: 'deploy', field: 'dependsOn', message: 'unknown step "biuld"' });
  });
});

describe('validatePlan, references', () => {
  it('accepts references to direct and transitive dependencies', () => {
    const steps = [
      { id: 'fetch', toolName: 't' },
      { id: 'build', toolName: 't', dependsOn: ['fetch'], parameters: { src: '{{steps.fetch.result.dir}}' } },
      {
        id: 'deploy',
        toolName: 't',
        dependsOn: ['build'],
        parameters: { from: 'v{{steps.fetch.result.version}}', artifact: '{{steps.build.result}}' },
      },
    ];
    expect(validatePlan(plan(steps))).toEqual([]);
  });

  it('accepts a reference to a step of an earlier batch', () => {
    const steps = [
      { id: 'a', toolName: 't', batchIndex: 0 },
      { id: 'b', toolName: 't', batchIndex: 1 },
      { id: 'c', toolName: 't', batchIndex: 2, parameters: { x: '{{steps.a.result}}' } },
    ];
    expect(validatePlan(plan(steps))).toEqual([]);
  });

  it('refuses references to steps that will not have run, to unknown steps, to itself, and malformed ones', () => {
    const problems = validatePlan(
      plan([
        { id: 'a', toolName: 't' },
        { id: 'b', toolName: 't', parameters: { list: ['{{steps.a.result}}'] } },
        {
          id: 'c',
          toolName: 't',
          dependsOn: ['b'],
          parameters: { x: '{{steps.d.result}}', y: '{{steps.nope.result}}', z: '{{steps.c.result}}' },
        },
        { id: 'd', toolName: 't', dependsOn: ['a'], parameters: { bad: 'x {{steps.a.output}}' } },
      ]),
    );
    expect(messages(problems)).toEqual([
      'step "b": parameters.list[0]: references step "a", which it does not depend on: add "a" to dependsOn',
      'step "c": parameters.x: references step "d", which it does not depend on: add "d" to dependsOn',
      'step "c": parameters.y: references unknown step "nope"',
      'step "c": parameters.z: a step cannot use its own result (only its compensation can)',
      'step "d": parameters.bad: malformed reference "{{steps.a.output}}": write {{steps.<id>.result}} or {{steps.<id>.result.<path>}}',
    ]);
  });

  it('lets a compensation use its own step and its dependencies, but nothing else', () => {
    const steps = [
      { id: 'a', toolName: 't' },
      { id: 'other', toolName: 't' },
      {
        id: 'deploy',
        toolName: 't',
        dependsOn: ['a'],
        compensate: {
          toolName: 'undo',
          parameters: { id: '{{steps.deploy.result.id}}', a: '{{steps.a.result}}', o: '{{steps.other.result}}' },
        },
      },
    ];
    expect(messages(validatePlan(plan(steps)))).toEqual([
      'step "deploy": compensate.parameters.o: references step "other", which it does not depend on: add "other" to dependsOn',
    ]);
  });
});

describe('validatePlan with a tool catalog', () => {
  // A catalog the way the tool registry would answer: http needs an https url and a numeric retries.
  const catalog: ToolCatalog = {
    has: (toolName) => toolName === 'http' || toolName === 'shell',
    checkParameters: (toolName, parameters) => {
      const issues: ParameterIssue[] = [];
      if (toolName !== 'http') return issues;
      if (typeof parameters.url !== 'string' || !parameters.url.startsWith('https://'))
        issues.push({ path: ['url'], message: 'must be an https URL' });
      const headers = parameters.headers as Record<string, unknown> | undefined;
      if (headers !== undefined && typeof headers.token !== 'string')
        issues.push({ path: ['headers', 'token'], message: 'must be a string' });
      if (parameters.retries !== undefined && typeof parameters.retries !== 'number')
        issues.push({ path: ['retries'], message: 'must be a number' });
      return issues;
    },
  };

  it('refuses unknown tools for steps and compensations', () => {
    const steps = [{ id: 'a', toolName: 'shel', compensate: { toolName: 'undo' } }];
    expect(messages(validatePlan(plan(steps), catalog))).toEqual([
      'step "a": toolName: unknown tool "shel"',
      'step "a": compensate.toolName: unknown tool "undo"',
    ]);
  });

  it('reports parameters that miss the schema, except where a reference decides the value at run time', () => {
    const steps = [
      { id: 'login', toolName: 'shell' },
      {
        id: 'call',
        toolName: 'http',
        dependsOn: ['login'],
        parameters: { url: '{{steps.login.result.url}}', headers: '{{steps.login.result.headers}}', retries: 'three' },
        compensate: { toolName: 'http', parameters: { url: 'http://insecure' } },
      },
    ];
    expect(validatePlan(plan(steps), catalog)).toEqual([
      { stepId: 'call', field: 'parameters.retries', message: 'must be a number' },
      { stepId: 'call', field: 'compensate.parameters.url', message: 'must be an https URL' },
    ]);
  });
});

describe('validatePlan, payload size', () => {
  it('refuses a plan over 1.9 MiB of JSON, counting UTF-8 bytes, and names the largest step', () => {
    // 700,000 euro signs are 700,000 characters but 2.1 MB of UTF-8.
    const steps = [
      { id: 'small', toolName: 't' },
      { id: 'big', toolName: 't', parameters: { text: '€'.repeat(700_000) } },
    ];
    expect(messages(validatePlan(plan(steps)))).toEqual([
      expect.stringMatching(
        /^the plan takes 21\d{5} bytes as compact JSON, over the limit of 1992294 .*the largest step is "big"/,
      ),
    ]);
  });

  it('accepts a large plan under the limit', () => {
    expect(validatePlan(plan([{ id: 'big', toolName: 't', parameters: { text: 'x'.repeat(1_900_000) } }]))).toEqual([]);
  });
});

describe('checkPlan', () => {
  it('returns the plan when nothing is wrong', () => {
    const { plan: checked, problems } = checkPlan({ steps: [{ id: 'a', toolName: 'shell' }] });
    expect(problems).toEqual([]);
    expect(checked?.steps[0]?.id).toBe('a');
  });

  it('returns shape problems first, then graph problems, and never a plan with problems', () => {
    expect(checkPlan({ steps: [{ id: 'a', toolName: 't', maxRetries: 'x' }] })).toEqual({
      plan: null,
      problems: [{ stepId: 'a', field: 'maxRetries', message: 'must be an integer between 0 and 100' }],
    });
    expect(checkPlan({ steps: [{ id: 'a', toolName: 't', dependsOn: ['b'] }] })).toEqual({
      plan: null,
      problems: [{ stepId: 'a', field: 'dependsOn', message: 'unknown step "b"' }],
    });
  });

  it('validates 10,000 wide and 2,000 chained steps with references', () => {
    const middle = Array.from({ length: 9_998 }, (_, i) => ({
      id: `m${i}`,
      toolName: 't',
      dependsOn: ['root'],
      parameters: { x: '{{steps.root.result}}' },
    }));
    const wide = [
      { id: 'root', toolName: 't' },
      ...middle,
      { id: 'join', toolName: 't', dependsOn: middle.map((s) => s.id), parameters: { root: '{{steps.root.result}}' } },
    ];
    expect(checkPlan({ options: { allowParallel: true }, steps: wide }).problems).toEqual([]);

    const chain = Array.from({ length: 2_000 }, (_, i) =>
      i === 0
        ? { id: 's0', toolName: 't' }
        : { id: `s${i}`, toolName: 't', dependsOn: [`s${i - 1}`], parameters: { first: '{{steps.s0.result}}' } },
    );
    expect(checkPlan({ steps: chain }).problems).toEqual([]);
    expect(messages(checkPlan({ steps: [{ ...chain[0], dependsOn: ['s1999'] }, ...chain.slice(1)] }).problems)).toEqual(
      [expect.stringMatching(/^step "s0": dependsOn: dependency cycle: s0 -> s1999 -> s1998 -> .* -> s1 -> s0$/)],
    );
  });
});

describe('formatProblem', () => {
  it('writes a step problem, a field problem and a plan problem', () => {
    expect(formatProblem({ stepId: 'deploy', field: 'dependsOn', message: 'unknown step "biuld"' })).toBe(
      'step "deploy": dependsOn: unknown step "biuld"',
    );
    expect(
      formatProblem({
        stepId: null,
        field: 'options.maxParallelSteps',
        message: 'must be an integer between 1 and 1000',
      }),
    ).toBe('options.maxParallelSteps: must be an integer between 1 and 1000');
    expect(formatProblem({ stepId: null, field: null, message: 'too big' })).toBe('too big');
  });
});
