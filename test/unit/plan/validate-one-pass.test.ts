import { checkPlan, formatProblem, normalizePlan, type ParameterIssue, type ToolCatalog } from '../../../src/plan';

// A catalog the way the tool registry answers: `http` needs a url, and it can name its tools.
const catalog: ToolCatalog = {
  has: (name) => ['shell', 'http_request', 'merge'].includes(name),
  names: () => ['shell', 'http_request', 'merge'],
  checkParameters: (name, parameters): ParameterIssue[] =>
    name === 'http_request' && typeof parameters.url !== 'string' ? [{ path: ['url'], message: 'required' }] : [],
};

const problemsOf = (input: unknown): string[] => checkPlan(input, catalog).problems.map(formatProblem);

describe('one validation reports shape, graph and tool problems together', () => {
  it('reports two key typos, an unknown dependency, a cycle and an unknown tool at once, with the names meant', () => {
    const problems = problemsOf({
      descripton: 'release',
      steps: [
        { id: 'build', toolName: 'shell', maxRetrys: 2 },
        { id: 'deploy', toolName: 'htp_request', dependsOn: ['biuld'], parameters: { url: 'https://x' } },
        { id: 'a', toolName: 'shell', dependsOn: ['b'] },
        { id: 'b', toolName: 'shell', dependsOn: ['a'] },
      ],
    });
    expect(problems).toEqual([
      'unknown key "descripton" (did you mean "description"?)',
      'step "build": unknown key "maxRetrys" (did you mean "maxRetries"?)',
      'step "deploy": dependsOn: unknown step "biuld"',
      'step "a": dependsOn: dependency cycle: a -> b -> a',
      'step "deploy": toolName: unknown tool "htp_request" (did you mean "http_request"?)',
    ]);
  });

  it('checks the tool and parameters of a step that has a shape problem of its own', () => {
    expect(problemsOf({ steps: [{ id: 'call', toolName: 'http_request', timeoutMs: 'soon' }] })).toEqual([
      'step "call": timeoutMs: must be an integer between 1 and 604800000 (7 days)',
      'step "call": parameters.url: required',
    ]);
  });

  it('does not report again what a shape problem already explains', () => {
    const problems = problemsOf({
      steps: [
        { id: 'build', toolName: 'shell' },
        // dependsOn is not a list: no cycle, no "does not depend on" for the reference.
        { id: 'test', toolName: 'shell', dependsOn: 'build', parameters: { x: '{{steps.build.result}}' } },
        // A misspelt dependsOn: the same.
        { id: 'lint', toolName: 'shell', dependOn: ['build'], parameters: { x: '{{steps.build.result}}' } },
        // No toolName: no "unknown tool", and parameters that are not an object are not checked against a schema.
        { id: 'notify', tool: 'http_request' },
        { id: 'call', toolName: 'http_request', parameters: 42 },
      ],
    });
    expect(problems).toEqual([
      'step "test": dependsOn: must be a list of step ids',
      'step "lint": unknown key "dependOn" (did you mean "dependsOn"?)',
      'step "notify": unknown key "tool"',
      'step "notify": toolName: required',
      'step "call": parameters: must be an object (or a string)',
    ]);
  });

  it('does not call a dependency unknown while some step has no id it could be', () => {
    const problems = problemsOf({
      steps: [
        { Id: 'build', toolName: 'shell' },
        { id: 'deploy', toolName: 'shel', dependsOn: ['build'], parameters: { a: '{{steps.build.result}}' } },
      ],
    });
    expect(problems).toEqual([
      'steps[0].id: required',
      'steps[0]: unknown key "Id" (did you mean "id"?)',
      'step "deploy": toolName: unknown tool "shel" (did you mean "shell"?)',
    ]);
  });

  it('still refuses an empty plan, but not as a consequence of an unreadable list of steps', () => {
    expect(problemsOf({ steps: [] })).toEqual(['steps: a plan needs at least one step']);
    expect(problemsOf({ step: [{ id: 'a', toolName: 'shell' }] })).toEqual([
      'unknown key "step" (did you mean "steps"?)',
      'steps: required: the list of steps',
    ]);
  });

  it('returns no plan while any problem is left, and the plan once there is none', () => {
    expect(checkPlan({ steps: [{ id: 'a', toolName: 'nope' }] }, catalog).plan).toBeNull();
    expect(checkPlan({ steps: [{ id: 'a', toolName: 'shell' }] }, catalog).plan?.steps).toHaveLength(1);
  });
});

describe('merge without inputs', () => {
  it('merges the outcomes of the steps it depends on, batches included', () => {
    const { plan, problems } = normalizePlan({
      steps: [
        { id: 'a', toolName: 'shell', batchIndex: 0 },
        { id: 'b', toolName: 'shell', batchIndex: 0 },
        { id: 'm', toolName: 'merge', batchIndex: 1, parameters: { mode: 'concat' } },
      ],
    });
    expect(problems).toEqual([]);
    expect(plan!.steps[2]).toMatchObject({
      dependsOn: ['a', 'b'],
      parameters: { mode: 'concat', inputs: '{{dependencies}}' },
    });
  });

  it('keeps inputs given', () => {
    const { plan } = normalizePlan({
      steps: [
        { id: 'a', toolName: 'shell' },
        { id: 'm', toolName: 'merge', dependsOn: ['a'], parameters: { mode: 'concat', inputs: [1, 2] } },
      ],
    });
    expect(plan!.steps[1]!.parameters).toEqual({ mode: 'concat', inputs: [1, 2] });
  });

  it('is refused when it depends on nothing, saying what to give, and only once', () => {
    expect(problemsOf({ steps: [{ id: 'm', toolName: 'merge', parameters: { mode: 'concat' } }] })).toEqual([
      'step "m": dependsOn: merge has nothing to merge: give parameters.inputs, or dependsOn (without inputs, merge ' +
        'takes the outcomes of the steps it depends on)',
    ]);
    // A dependsOn that could not be read is the problem there.
    expect(
      problemsOf({ steps: [{ id: 'm', toolName: 'merge', dependsOn: 'a', parameters: { mode: 'concat' } }] }),
    ).toEqual(['step "m": dependsOn: must be a list of step ids']);
  });
});
