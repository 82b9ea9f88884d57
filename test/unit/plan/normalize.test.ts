import { formatProblem, normalizePlan, type Plan, type Problem } from '../../../src/plan';

const messages = (problems: Problem[]): string[] => problems.map(formatProblem);

function normalized(input: unknown): Plan {
  const { plan, problems } = normalizePlan(input);
  expect(messages(problems)).toEqual([]);
  return plan!;
}

describe('normalizePlan, the DESIGN.md form', () => {
  const release = {
    id: 'release-42',
    description: 'Release the app',
    options: {
      requireApproval: true,
      approvalTimeoutMs: 3600000,
      allowParallel: true,
      maxParallelSteps: 4,
      totalTimeoutMs: 600000,
    },
    steps: [
      { id: 'build', toolName: 'shell', description: 'Build the app', parameters: { command: 'npm run build' } },
      {
        id: 'deploy',
        toolName: 'http_request',
        dependsOn: ['build', 'build'],
        parameters: { url: 'https://deploy.example/api', body: '{{steps.build.result.artifact}}' },
        maxRetries: 3,
        timeoutMs: 60000,
        requiresApproval: true,
        compensate: { toolName: 'http_request', parameters: { url: 'https://deploy.example/rollback' } },
      },
    ],
  };

  it('keeps what is written and fills every default', () => {
    const plan = normalized(release);
    expect(plan.id).toBe('release-42');
    expect(plan.options).toEqual({
      requireApproval: true,
      approvalTimeoutMs: 3600000,
      onApprovalTimeout: 'reject',
      autoApprove: false,
      approvers: null,
      requiredApprovals: 1,
      allowParallel: true,
      maxParallelSteps: 4,
      continueOnError: false,
      stepTimeoutMs: 300000,
      totalTimeoutMs: 600000,
      onFailure: 'compensate',
      onFailureChosen: false,
      memoryNamespace: null,
      memoryNamespaces: [],
      mirror: true,
      notify: [],
      priority: 0,
    });
    expect(plan.steps[0]).toEqual({
      id: 'build',
      toolName: 'shell',
      description: 'Build the app',
      parameters: { command: 'npm run build' },
      dependsOn: [],
      maxRetries: 0,
      retryDelayMs: 1000,
      timeoutMs: null,
      requiresApproval: false,
      nonRetryableErrorTypes: [],
      compensate: null,
      batchIndex: null,
      complexity: null,
      isRequiredValidateByDatabase: false,
      acceptFailedDependencies: false,
      local: null,
      resources: [],
    });
    expect(plan.steps[1]!.dependsOn).toEqual(['build']);
    expect(plan.steps[1]!.requiresApproval).toBe(true);
    expect(plan.steps[1]!.compensate).toEqual({
      toolName: 'http_request',
      parameters: { url: 'https://deploy.example/rollback' },
      maxRetries: 3,
      retryDelayMs: 1000,
      timeoutMs: null,
    });
  });

  it('fails on failure unless some step can be compensated, and runs one step at a time by default', () => {
    const plan = normalized({ steps: [{ id: 'a', toolName: 't' }] });
    expect(plan.options.onFailure).toBe('fail');
    expect(plan.options.allowParallel).toBe(false);
    expect(plan.options.maxParallelSteps).toBe(10);
    expect(plan.id).toBeNull();
    expect(plan.description).toBe('');
  });

  it("keeps a timeout only where one is written, so the tool's own default can apply elsewhere", () => {
    const plan = normalized({
      options: { stepTimeoutMs: 5000 },
      steps: [
        { id: 'a', toolName: 't', compensate: { toolName: 'undo' } },
        { id: 'b', toolName: 't', timeoutMs: 5000, compensate: { toolName: 'undo', timeoutMs: null } },
      ],
    });
    expect(plan.steps.map((step) => [step.timeoutMs, step.compensate!.timeoutMs])).toEqual([
      [null, null],
      [5000, null],
    ]);
  });

  it.each([
    [{ continueOnError: true }, true],
    [{ stopOnError: false }, true],
    [{ stopOnError: true, continueOnError: true }, true],
    [{ stopOnError: true }, false],
    [{}, false],
  ])('reads the error switches %j into one: continueOnError=%s', (options, go) => {
    const plan = normalized({ options, steps: [{ id: 'a', toolName: 't' }] });
    expect(plan.options.continueOnError).toBe(go);
    expect(plan.options).not.toHaveProperty('stopOnError');
  });

  it('reads only fields of its own, as JSON would send them', () => {
    const step = Object.assign(Object.create({ maxRetries: 5 }) as object, { id: 'a', toolName: 't' });
    expect(normalized({ steps: [step] }).steps[0]!.maxRetries).toBe(0);
  });

  it('gives the same plan when a normalised plan is normalised again', () => {
    const plan = normalized(release);
    expect(normalized(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });
});

describe('normalizePlan, the batch form', () => {
  const seedTask = (batchIndex: number, taskId: string, parameters: unknown = {}) => ({
    batchIndex,
    taskId,
    toolName: 'run_tests',
    description: taskId,
    parameters,
    complexity: 'low',
    isRequiredValidateByDatabase: false,
  });

  it('makes every task of a batch depend on every task of the batch before', () => {
    const plan = normalized({
      planId: 'test-plan-1',
      tasks: [
        seedTask(2, 'integration-test-001'),
        seedTask(0, 'setup-env-001', { environment: 'staging' }),
        seedTask(1, 'unit-test-001'),
        seedTask(1, 'unit-test-002'),
        { ...seedTask(0, 'setup-db-001'), complexity: 'high', isRequiredValidateByDatabase: true },
      ],
    });
    expect(plan.id).toBe('test-plan-1');
    expect(plan.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ['integration-test-001', ['unit-test-001', 'unit-test-002']],
      ['setup-env-001', []],
      ['unit-test-001', ['setup-env-001', 'setup-db-001']],
      ['unit-test-002', ['setup-env-001', 'setup-db-001']],
      ['setup-db-001', []],
    ]);
    expect(plan.steps[4]).toMatchObject({ batchIndex: 0, complexity: 'high', isRequiredValidateByDatabase: true });
  });

  it('skips missing batch numbers and keeps explicit dependencies first, without duplicates', () => {
    const plan = normalized({
      steps: [
        { id: 'a', toolName: 't', batchIndex: 0 },
        { id: 'b', toolName: 't', batchIndex: 5 },
        { id: 'c', toolName: 't', batchIndex: 9, dependsOn: ['a', 'b'] },
      ],
    });
    expect(plan.steps.map((s) => s.dependsOn)).toEqual([[], ['a'], ['a', 'b']]);
  });

  it('requires a batchIndex on every step once one step has it', () => {
    const { plan, problems } = normalizePlan({
      tasks: [seedTask(0, 'a'), { taskId: 'b', toolName: 't' }, { taskId: 'c', toolName: 't' }],
    });
    expect(plan).toBeNull();
    expect(messages(problems)).toEqual([
      'step "b": batchIndex: required, since other steps have one',
      'step "c": batchIndex: required, since other steps have one',
    ]);
  });

  it('refuses batches so wide that their implied dependencies could not fit in a plan', () => {
    const tasks = Array.from({ length: 4000 }, (_, i) => seedTask(i % 2, `t${i}`));
    const { plan, problems } = normalizePlan({ tasks });
    expect(plan).toBeNull();
    expect(messages(problems)).toEqual([
      expect.stringMatching(/^batchIndex: the batches imply 4000000 dependencies .*at most \d+ fit in a plan/),
    ]);
  });

  it('reads string parameters: a JSON object is parsed, other text becomes the input', () => {
    const plan = normalized({
      tasks: [
        seedTask(0, 'json', '{"testSuite":"unit","parallel":true}'),
        seedTask(0, 'text', 'run everything'),
        seedTask(0, 'list', '[1,2]'),
      ],
    });
    expect(plan.steps.map((s) => s.parameters)).toEqual([
      { testSuite: 'unit', parallel: true },
      { input: 'run everything' },
      { input: '[1,2]' },
    ]);
  });
});

describe('normalizePlan problems', () => {
  it('refuses what is not a plan at all', () => {
    expect(messages(normalizePlan([]).problems)).toEqual(['a plan must be an object with a list of steps']);
    expect(messages(normalizePlan({}).problems)).toEqual(['steps: required: the list of steps']);
    expect(messages(normalizePlan({ steps: {} }).problems)).toEqual(['steps: must be a list of steps']);
  });

  it('names unknown keys and suggests the key that was meant', () => {
    const { plan, problems } = normalizePlan({
      descripton: 'x',
      options: { maxParalelSteps: 2 },
      steps: [
        {
          id: 'deploy',
          toolName: 't',
          dependOn: ['build'],
          depends_on: ['x'],
          MAX_RETRIES: 2,
          compensate: { tool: 'undo', toolName: 'undo' },
          color: 'red',
        },
      ],
    });
    expect(plan).toBeNull();
    expect(messages(problems)).toEqual([
      'unknown key "descripton" (did you mean "description"?)',
      'options: unknown key "maxParalelSteps" (did you mean "maxParallelSteps"?)',
      'step "deploy": unknown key "dependOn" (did you mean "dependsOn"?)',
      'step "deploy": unknown key "depends_on" (did you mean "dependsOn"?)',
      'step "deploy": unknown key "MAX_RETRIES" (did you mean "maxRetries"?)',
      'step "deploy": unknown key "color"',
      'step "deploy": compensate: unknown key "tool"',
    ]);
  });

  it('reports every wrong field at once, each with its step', () => {
    const { plan, problems } = normalizePlan({
      id: 'has/slash',
      description: 3,
      options: { requireApproval: 'yes', onFailure: 'retry', maxParallelSteps: 0, approvalTimeoutMs: 1.5 },
      steps: [
        { id: 'a', toolName: '', dependsOn: 'b', maxRetries: -1, parameters: [1] },
        { toolName: 't' },
        { id: 'has.dot', toolName: 't', requiresApproval: 1, nonRetryableErrorTypes: ['Ok', 2] },
        'not a step',
        { id: 'c', toolName: 't', complexity: 'extreme', batchIndex: null, compensate: 'undo' },
      ],
    });
    expect(plan).toBeNull();
    expect(problems).toContainEqual({
      stepId: 'a',
      field: 'maxRetries',
      message: 'must be an integer between 0 and 100',
    });
    expect(messages(problems)).toEqual([
      'id: must be 1 to 200 letters, digits, "_", "-", "." or ":", starting with a letter or digit',
      'description: must be a string',
      'options.requireApproval: must be true or false',
      'options.approvalTimeoutMs: must be an integer between 1 and 31536000000 (365 days)',
      'options.maxParallelSteps: must be an integer between 1 and 1000',
      'options.onFailure: must be one of "compensate", "pause", "fail"',
      'step "a": toolName: must be a non-empty string',
      'step "a": parameters: must be an object (or a string)',
      'step "a": dependsOn: must be a list of step ids',
      'step "a": maxRetries: must be an integer between 0 and 100',
      'steps[1].id: required',
      'step "has.dot": id: must be 1 to 128 letters, digits, "_" or "-", starting with a letter or digit (no dots or slashes)',
      'step "has.dot": requiresApproval: must be true or false',
      'step "has.dot": nonRetryableErrorTypes[1]: must be a non-empty string',
      'steps[3]: must be an object with an id and a toolName',
      'step "c": compensate: must be an object with a toolName',
      'step "c": complexity: must be one of "low", "medium", "high"',
    ]);
  });

  it('reads a shared-memory namespace and refuses a malformed one', () => {
    const ok = normalizePlan({
      options: { memoryNamespace: 'shop/prod/planner/s-1' },
      steps: [{ id: 'a', toolName: 't' }],
    });
    expect(ok.plan?.options.memoryNamespace).toBe('shop/prod/planner/s-1');
    const bad = normalizePlan({ options: { memoryNamespace: 'shop/prod' }, steps: [{ id: 'a', toolName: 't' }] });
    expect(bad.plan).toBeNull();
    expect(bad.problems.map((p) => p.field)).toEqual(['options.memoryNamespace']);
  });

  it('says the limit of each number that is out of range', () => {
    const day = 86_400_000;
    const { problems } = normalizePlan({
      options: { stepTimeoutMs: 8 * day, totalTimeoutMs: 366 * day, maxParallelSteps: 1001 },
      steps: [
        {
          id: 'a',
          toolName: 't',
          maxRetries: 101,
          retryDelayMs: day + 1,
          timeoutMs: 0,
          compensate: { toolName: 'u', maxRetries: 1000, timeoutMs: 7 * day + 1 },
        },
      ],
    });
    expect(messages(problems)).toEqual([
      'options.maxParallelSteps: must be an integer between 1 and 1000',
      'options.stepTimeoutMs: must be an integer between 1 and 604800000 (7 days)',
      'options.totalTimeoutMs: must be an integer between 1 and 31536000000 (365 days)',
      'step "a": maxRetries: must be an integer between 0 and 100',
      'step "a": retryDelayMs: must be an integer between 0 and 86400000 (1 day)',
      'step "a": timeoutMs: must be an integer between 1 and 604800000 (7 days)',
      'step "a": compensate.maxRetries: must be an integer between 0 and 100',
      'step "a": compensate.timeoutMs: must be an integer between 1 and 604800000 (7 days)',
    ]);
  });

  it('holds requiredApprovals to the number of approvers', () => {
    const check = (options: object) =>
      messages(normalizePlan({ options, steps: [{ id: 'a', toolName: 't' }] }).problems);
    expect(check({ approvers: ['alice', 'bob'], requiredApprovals: 3 })).toEqual([
      'options.requiredApprovals: must be an integer between 1 and 2 (the number of approvers)',
    ]);
    expect(check({ requiredApprovals: 0 })).toEqual(['options.requiredApprovals: must be an integer of at least 1']);
    expect(check({ approvers: [] })).toEqual([
      'options.approvers: must name at least one approver (leave it out to let anyone approve)',
    ]);
    expect(check({ approvers: ['alice', 'alice'] })).toEqual(['options.approvers: names "alice" more than once']);
    expect(check({ approvers: ['alice', 'bob'], requiredApprovals: 2 })).toEqual([]);
  });

  it('refuses more than 20000 steps', () => {
    const steps = Array.from({ length: 20_001 }, (_, i) => ({ id: `s${i}`, toolName: 't' }));
    expect(messages(normalizePlan({ steps }).problems)).toEqual([
      'steps: has 20001 steps; a plan may have at most 20000',
    ]);
  });

  it('refuses both names of one thing', () => {
    const { problems } = normalizePlan({ id: 'a', planId: 'b', steps: [], tasks: [], options: null });
    expect(messages(problems)).toEqual([
      'planId: give id or planId (its name in the batch form), not both',
      'tasks: give steps or tasks (their name in the batch form), not both',
    ]);
    expect(messages(normalizePlan({ steps: [{ id: 'a', taskId: 'a', toolName: 't' }] }).problems)).toEqual([
      'step "a": taskId: give id or taskId (its name in the batch form), not both',
    ]);
  });

  it('refuses parameters that JSON would silently change', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const { problems } = normalizePlan({
      steps: [
        { id: 'a', toolName: 't', parameters: { n: Number.NaN, list: [1, undefined], when: new Date(0), circular } },
      ],
    });
    expect(messages(problems)).toEqual([
      'step "a": parameters.n: must be plain JSON, found NaN',
      'step "a": parameters.list[1]: must be plain JSON, found undefined',
      'step "a": parameters.when: must be plain JSON, found an instance of Date',
      'step "a": parameters.circular.self: must be plain JSON, found a circular reference',
    ]);
  });
});
