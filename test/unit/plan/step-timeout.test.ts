import {
  compensationTimeoutMs,
  normalizePlan,
  stepTimeoutMs,
  type CompensationSpec,
  type StepSpec,
} from '../../../src/plan';

const { plan } = normalizePlan({
  options: { stepTimeoutMs: 30_000 },
  steps: [
    { id: 'bare', toolName: 'slow', compensate: { toolName: 'quick' } },
    { id: 'own', toolName: 'slow', timeoutMs: 5_000, compensate: { toolName: 'plain' } },
    { id: 'plain', toolName: 'plain', compensate: { toolName: 'plain', timeoutMs: 7_000 } },
  ],
});
const step = (id: string) => plan!.steps.find((s) => s.id === id)! as StepSpec & { compensate: CompensationSpec };
// Tools as the worker reports them: `slow` and `quick` declare a timeout, `plain` none, `old` is a hint recorded
// before tools had timeouts.
const declared: Record<string, number | null | undefined> = {
  slow: 600_000,
  quick: 2_000,
  plain: null,
  old: undefined,
};
const tools = (name: string) => declared[name];

test("a step takes its own timeout, else its tool's, else the plan's", () => {
  expect(stepTimeoutMs(step('own'), plan!.options, tools)).toBe(5_000);
  expect(stepTimeoutMs(step('bare'), plan!.options, tools)).toBe(600_000);
  expect(stepTimeoutMs(step('plain'), plan!.options, tools)).toBe(30_000);
  expect(stepTimeoutMs({ ...step('plain'), toolName: 'old' }, plan!.options, tools)).toBe(30_000);
});

test("a compensation takes its own timeout, else its tool's, else its step's", () => {
  expect(compensationTimeoutMs(step('plain'), plan!.options, tools)).toBe(7_000);
  expect(compensationTimeoutMs(step('bare'), plan!.options, tools)).toBe(2_000);
  expect(compensationTimeoutMs(step('own'), plan!.options, tools)).toBe(5_000);
  expect(compensationTimeoutMs({ ...step('own'), timeoutMs: null }, plan!.options, tools)).toBe(600_000);
});
