import { cli, planFiles } from '../support/cli';

const file = planFiles();

// What a person sees after writing a plan by hand: every problem at once, not a new round after each fix.
test('plan validate reports key typos, graph and tool problems in one pass, with the names meant', async () => {
  const path = file(
    'release.yaml',
    [
      'description: release',
      'steps:',
      '  - id: build',
      '    toolName: shell',
      '    parameters: { command: "npm run build" }',
      '    maxRetrys: 2',
      '  - id: test',
      '    toolName: shell',
      '    dependOn: [build]',
      '    parameters: { command: "npm test" }',
      '  - id: deploy',
      '    toolName: htp_request',
      '    dependsOn: [biuld]',
      '    parameters: { url: "https://deploy.example/api" }',
    ].join('\n'),
  );
  const text = await cli(['validate', path]);
  expect(text.code).toBe(2);
  expect(text.stderr.trim().split('\n')).toEqual([
    `${path}: the plan is invalid`,
    'step "build": unknown key "maxRetrys" (did you mean "maxRetries"?)',
    'step "test": unknown key "dependOn" (did you mean "dependsOn"?)',
    'step "deploy": dependsOn: unknown step "biuld"',
    'step "deploy": toolName: unknown tool "htp_request" (did you mean "http_request"?)',
  ]);

  const json = await cli(['validate', path, '--json']);
  expect(json.code).toBe(2);
  const { problems } = (JSON.parse(json.stdout) as { error: { problems: { stepId: string; field: string }[] } }).error;
  expect(problems.map((p) => [p.stepId, p.field])).toEqual([
    ['build', null],
    ['test', null],
    ['deploy', 'dependsOn'],
    ['deploy', 'toolName'],
  ]);
});
