/** `plan tools` lists every tool a step may name, `subplan` included, and `plan tools <name>` shows one in full. */
import { cli, STACK_TRACE } from '../support/cli';

test('plan tools lists subplan beside the registered tools, in every format', async () => {
  const [table, json, openai] = await Promise.all([
    cli(['tools']),
    cli(['tools', '--json']),
    cli(['tools', '--format', 'openai']),
  ]);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^subplan\s+write\s+Runs a nested plan as a sub-agent/m);
  const catalogue = JSON.parse(json.stdout) as { name: string; parameters: { required?: string[] } }[];
  expect(catalogue.find((tool) => tool.name === 'subplan')?.parameters.required).toEqual(['plan']);
  const functions = JSON.parse(openai.stdout) as { function: { name: string } }[];
  expect(functions.map((tool) => tool.function.name)).toContain('subplan');
});

test('plan tools <name> shows that tool alone: what it does and its parameters', async () => {
  const [human, json] = await Promise.all([cli(['tools', 'http_request']), cli(['tools', 'subplan', '--json'])]);
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/^http_request \(risk: write\)\n\nSends an HTTP request/);
  expect(human.stdout).toContain('Secret parameters: secretHeaders');
  expect(human.stdout).toContain('Parameters (JSON Schema):\n{');
  expect(JSON.parse(json.stdout)).toMatchObject({ name: 'subplan', risk: 'write', secretParams: [] });
});

test('plan tools with an unknown name names the tool meant, exit 2', async () => {
  const { code, stdout, stderr } = await cli(['tools', 'htp_request']);
  expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
  expect(stderr).toBe('no tool "htp_request" (did you mean "http_request"?); `plan tools` lists them all\n');
  expect(stderr).not.toMatch(STACK_TRACE);
});
