import { checkPlan } from '../../../src/plan';
import { parsePlanText } from '../../../src/plan/reading/parse';

describe('parsePlanText', () => {
  it('reads the YAML plan of DESIGN.md into a plan that checks', () => {
    const text = `
id: release-42              # optional; becomes the workflow id
description: Release the app
options:
  requireApproval: true
  allowParallel: true
  onFailure: compensate
steps:
  - id: build
    toolName: shell
    parameters: { command: npm run build }
  - id: deploy
    toolName: http_request
    dependsOn: [build]
    parameters: { url: "https://deploy.example/api", body: "{{steps.build.result.artifact}}" }
    compensate: { toolName: http_request, parameters: { url: "https://deploy.example/rollback" } }
`;
    const { value, problems } = parsePlanText(text, 'release.yaml');
    expect(problems).toEqual([]);
    const { plan } = checkPlan(value);
    expect(plan?.steps.map((s) => [s.id, s.dependsOn])).toEqual([
      ['build', []],
      ['deploy', ['build']],
    ]);
  });

  it('reads JSON too', () => {
    expect(parsePlanText('{"steps": [{"id": "a", "toolName": "t"}]}')).toEqual({
      value: { steps: [{ id: 'a', toolName: 't' }] },
      problems: [],
    });
  });

  it('reports a syntax error once, with its line and column', () => {
    expect(parsePlanText('steps:\n  - id: a\n    toolName: [t\n', 'plan.yaml').problems).toEqual([
      { stepId: null, field: null, message: expect.stringMatching(/^plan\.yaml:4:1: syntax error: /) },
    ]);
    expect(parsePlanText('id: a\nid: b\n').problems).toEqual([
      { stepId: null, field: null, message: 'line 2, column 1: syntax error: Map keys must be unique' },
    ]);
  });

  it('refuses an empty file and a top level that is not a mapping', () => {
    expect(parsePlanText('# nothing\n', 'p.yaml').problems.map((p) => p.message)).toEqual([
      'p.yaml: the plan is empty',
    ]);
    expect(parsePlanText('- id: a\n').problems.map((p) => p.message)).toEqual([
      'a plan must be a mapping with a list of steps, not a list',
    ]);
    expect(parsePlanText('42').problems.map((p) => p.message)).toEqual([
      'a plan must be a mapping with a list of steps, not a number',
    ]);
  });

  it('reports an alias to a missing anchor', () => {
    expect(parsePlanText('steps: *missing\n').problems.map((p) => p.message)).toEqual([
      expect.stringContaining('Unresolved alias'),
    ]);
  });
});
