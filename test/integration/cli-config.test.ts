/**
 * The configuration file through the command line: its tools are known to `validate`, `tools` and `worker`, whether
 * named by --config, by PLAN_CONFIG or found from the working directory; a broken one stops every command with its
 * path and the cause (exit 2), before anything connects or starts.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, STACK_TRACE } from '../support/cli';
import { ROOT } from '../support/child';

jest.setTimeout(60_000);

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project folder with a configuration file whose `lookup_order` tool takes `{ orderId }`, and a plan using it. */
function project(config: string): { dir: string; config: string; plan: (parameters: object) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'dp-cli-config-'));
  made.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules')); // the config imports zod, as a project's would
  writeFileSync(join(dir, 'durable-plans.config.ts'), config);
  let n = 0;
  return {
    dir,
    config: join(dir, 'durable-plans.config.ts'),
    plan: (parameters) => {
      const path = join(dir, `plan-${n++}.json`);
      writeFileSync(path, JSON.stringify({ steps: [{ id: 'find', toolName: 'lookup_order', parameters }] }));
      return path;
    },
  };
}

const LOOKUP_ORDER = `
import { z } from 'zod';
const lookupOrder = {
  name: 'lookup_order',
  description: 'Finds an order by id.',
  risk: 'read' as const,
  parameters: z.object({ orderId: z.string().regex(/^o-\\d+$/) }),
  run: async ({ orderId }: { orderId: string }) => ({ orderId, status: 'shipped' }),
};
export default { tools: [lookupOrder] };
`;

test("--config and PLAN_CONFIG bring a project's tools to plan validate and plan tools", async () => {
  const app = project(LOOKUP_ORDER);
  const valid = await cli(['validate', app.plan({ orderId: 'o-1' }), '--config', app.config]);
  expect(valid).toMatchObject({ code: 0, stdout: 'valid: 1 step, 0 batches\n' });
  const misspelt = await cli(['validate', app.plan({ orderID: 'o-1' })], { env: { PLAN_CONFIG: app.config } });
  expect(misspelt.code).toBe(2);
  expect(misspelt.stderr).toMatch(/orderID/);
  const wrongType = await cli(['validate', app.plan({ orderId: 42 })], { env: { PLAN_CONFIG: app.config } });
  expect(wrongType.code).toBe(2);
  expect(wrongType.stderr).toMatch(/parameters\.orderId/);
  const tools = await cli(['tools', '--json'], { env: { PLAN_CONFIG: app.config } });
  expect(tools.code).toBe(0);
  expect(JSON.parse(tools.stdout)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        name: 'lookup_order',
        risk: 'read',
        parameters: expect.objectContaining({ required: ['orderId'] }),
      }),
    ]),
  );
  // Without the configuration, the tool is unknown.
  const without = await cli(['validate', app.plan({ orderId: 'o-1' })]);
  expect(without.code).toBe(2);
  expect(without.stderr).toMatch(/unknown tool "lookup_order"/);
});

test.each([
  ['validate', (plan: string) => ['validate', plan]],
  ['tools', () => ['tools']],
  ['worker', () => ['worker']],
])('a configuration file that fails to load stops plan %s with its path and the cause, exit 2', async (_, args) => {
  const app = project(`${LOOKUP_ORDER}\nthrow new Error('PAYMENTS_URL is not set');\n`);
  const result = await cli(args(app.plan({ orderId: 'o-1' })), { env: { PLAN_CONFIG: app.config } });
  expect(result.code).toBe(2);
  expect(result.stderr).toBe(`configuration file ${app.config}: cannot load it: PAYMENTS_URL is not set\n`);
  expect(result.stderr).not.toMatch(STACK_TRACE);
});

test('a tool of the configuration named like a built-in one is refused, naming both', async () => {
  const app = project(LOOKUP_ORDER.replace("name: 'lookup_order'", "name: 'http_request'"));
  const result = await cli(['tools'], { env: { PLAN_CONFIG: app.config } });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/tools\[0\] "http_request" collides with the built-in tool "http_request"/);
});
