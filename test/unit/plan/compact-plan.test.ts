import { compactPlan, normalizePlan, type Plan } from '../../../src/plan';

function normalized(input: unknown): Plan {
  const { plan, problems } = normalizePlan(input);
  expect(problems).toEqual([]);
  return plan!;
}

describe('compactPlan', () => {
  it('leaves out every defaulted field', () => {
    const plan = normalized({
      steps: [
        { id: 'a', toolName: 't' },
        { id: 'b', toolName: 't', dependsOn: ['a'], compensate: { toolName: 'u' } },
      ],
    });
    expect(compactPlan(plan)).toEqual({
      steps: [
        { id: 'a', toolName: 't' },
        { id: 'b', toolName: 't', dependsOn: ['a'], compensate: { toolName: 'u' } },
      ],
    });
  });

  it("keeps what differs from a default, and every timeout written, even one equal to the plan's", () => {
    const plan = normalized({
      id: 'p',
      options: { stepTimeoutMs: 1000, continueOnError: true, onFailure: 'fail', approvers: ['alice'] },
      steps: [
        { id: 'a', toolName: 't', timeoutMs: 1000, compensate: { toolName: 'u', timeoutMs: 1000 } },
        { id: 'b', toolName: 't', timeoutMs: 2000, compensate: { toolName: 'u', timeoutMs: 1000, maxRetries: 0 } },
      ],
    });
    expect(compactPlan(plan)).toEqual({
      id: 'p',
      options: { stepTimeoutMs: 1000, continueOnError: true, onFailure: 'fail', approvers: ['alice'] },
      steps: [
        // Written, so it wins over the tool's own default timeout as the plan's stepTimeoutMs would not.
        { id: 'a', toolName: 't', timeoutMs: 1000, compensate: { toolName: 'u', timeoutMs: 1000 } },
        { id: 'b', toolName: 't', timeoutMs: 2000, compensate: { toolName: 'u', timeoutMs: 1000, maxRetries: 0 } },
      ],
    });
  });

  it.each([
    [
      'the DESIGN.md form',
      {
        id: 'release-42',
        options: {
          requireApproval: true,
          approvalTimeoutMs: 60000,
          onApprovalTimeout: 'approve',
          allowParallel: true,
          maxParallelSteps: 4,
          stopOnError: false,
          totalTimeoutMs: 600000,
          onFailure: 'fail',
        },
        steps: [
          {
            id: 'build',
            toolName: 'shell',
            description: 'Build',
            parameters: { command: 'npm run build' },
            nonRetryableErrorTypes: ['BadInput'],
          },
          {
            id: 'deploy',
            toolName: 'http',
            dependsOn: ['build'],
            maxRetries: 3,
            retryDelayMs: 10,
            timeoutMs: 60000,
            requiresApproval: true,
            compensate: { toolName: 'http', parameters: { x: 1 }, retryDelayMs: 5 },
          },
        ],
      },
    ],
    [
      'the batch form',
      {
        planId: 'seed',
        tasks: [
          {
            batchIndex: 0,
            taskId: 'a',
            toolName: 't',
            description: 'A',
            parameters: 'text',
            complexity: 'low',
            isRequiredValidateByDatabase: true,
          },
          {
            batchIndex: 1,
            taskId: 'b',
            toolName: 't',
            description: 'B',
            parameters: '{"n":1}',
            complexity: 'high',
            isRequiredValidateByDatabase: false,
          },
        ],
      },
    ],
  ])('normalises back to the same plan: %s', (_, input) => {
    const plan = normalized(input);
    expect(normalized(JSON.parse(JSON.stringify(compactPlan(plan))))).toEqual(plan);
  });

  it('keeps a 10,000-step plan far smaller than its normalised form', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => ({
      id: `s${i}`,
      toolName: 'shell',
      dependsOn: i === 0 ? [] : ['s0'],
    }));
    const plan = normalized({ steps });
    expect(JSON.stringify(compactPlan(plan)).length).toBeLessThan(JSON.stringify(plan).length / 3);
  });
});

test('an onFailure the author chose survives compaction even when it equals the default, and is known as chosen', () => {
  const chosen = normalizePlan({ options: { onFailure: 'fail' }, steps: [{ id: 'a', toolName: 'echo' }] }).plan!;
  const defaulted = normalizePlan({ steps: [{ id: 'a', toolName: 'echo' }] }).plan!;
  expect(chosen.options).toMatchObject({ onFailure: 'fail', onFailureChosen: true });
  expect(defaulted.options).toMatchObject({ onFailure: 'fail', onFailureChosen: false });
  expect(compactPlan(chosen).options).toEqual({ onFailure: 'fail' });
  expect(compactPlan(defaulted).options).toBeUndefined();
  expect(normalizePlan(compactPlan(chosen)).plan).toEqual(chosen);
});
