/**
 * The project's configuration file as a team meets it: found from the working directory upwards (or named), loaded from
 * TypeScript without a build, its tools joined to the built-ins, and every way it can be wrong named with the file.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError, findConfigFile, loadProjectConfig } from '../../src/config';
import { BUILTIN_TOOLS } from '../../src/tools';

const ROOT = join(__dirname, '..', '..');

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project folder whose files can import zod (through this repository's node_modules), with the given files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dp-config-'));
  made.push(dir);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * A tool written inline, its parameters a zod schema made without importing zod: under jest, dynamic import() is not
 * available, so jiti would compile all of zod's ESM for every file that imports it (seconds each).
 */
const tool = (name: string) =>
  `{ name: '${name}', description: '', risk: 'read', parameters: { _zod: { def: { type: 'object', shape: {} } } }, run: async () => null }`;

const TOOL_TS = `
import { z } from 'zod';
export const greet = {
  name: 'greet',
  description: 'Greets someone.',
  risk: 'read' as const,
  parameters: z.object({ who: z.string() }),
  run: async ({ who }: { who: string }) => ({ greeting: 'hello ' + who }),
};`;

test('a TypeScript configuration file in a folder above the working directory is found and its tools join the built-ins', async () => {
  const dir = project({
    'tools/greet.ts': TOOL_TS,
    'durable-plans.config.ts': "import { greet } from './tools/greet';\nexport default { tools: [greet] };\n",
    'plans/deep/.keep': '',
  });
  const from = join(dir, 'plans', 'deep');
  expect(findConfigFile(from)).toBe(join(dir, 'durable-plans.config.ts'));
  const loaded = await loadProjectConfig({ cwd: from, env: {} });
  expect(loaded.path).toBe(join(dir, 'durable-plans.config.ts'));
  expect(loaded.tools.list().map((t) => t.name)).toEqual([...BUILTIN_TOOLS.map((t) => t.name), 'greet']);
  expect(loaded.tools.checkParameters('greet', { who: 'ada' })).toEqual([]);
  expect(loaded.tools.checkParameters('greet', { who: 1 })).not.toEqual([]);
});

test('--config wins over PLAN_CONFIG, which wins over the file found nearby; without any, only the built-ins', async () => {
  const dir = project({
    'durable-plans.config.mjs': 'export default { tools: [] };\n',
    'named.config.cjs': `module.exports = { tools: [${tool('named_tool')}] };\n`,
    'env.config.mjs': `export default { tools: [${tool('env_tool')}] };\n`,
  });
  const names = async (options: Parameters<typeof loadProjectConfig>[0]) =>
    (await loadProjectConfig(options)).tools.list().map((t) => t.name);
  expect(await names({ cwd: dir, env: {}, flag: 'named.config.cjs' })).toContain('named_tool');
  expect(await names({ cwd: dir, env: { PLAN_CONFIG: 'env.config.mjs' }, flag: 'named.config.cjs' })).toContain(
    'named_tool',
  );
  expect(await names({ cwd: dir, env: { PLAN_CONFIG: 'env.config.mjs' } })).toContain('env_tool');
  expect(await names({ cwd: dir, env: {} })).toEqual(BUILTIN_TOOLS.map((t) => t.name));
  const empty = project({});
  expect(await loadProjectConfig({ cwd: empty, env: {} })).toMatchObject({ path: null });
});

test.each([
  [
    'a name taken by a built-in tool',
    `export default { tools: [${tool('echo')}] };`,
    /tools\[0\] "echo" collides with the built-in tool "echo"/,
  ],
  [
    'two tools with one name',
    `export default { tools: [${tool('twice')}, ${tool('twice')}] };`,
    /tools\[0\] and tools\[1\] are both named "twice"/,
  ],
  ['a misspelt key', 'export default { tool: [] };', /unknown key "tool" \(did you mean "tools"\?\)/],
  ['a default export that is no object', 'export default [];', /default export must be the configuration object/],
  ['something that is not a tool', 'export default { tools: [{ name: "x" }] };', /tools\[0\] is not a tool/],
  ['a file that throws', 'throw new Error("database password missing");', /cannot load it: database password missing/],
  ['a file that does not compile', 'export default { tools: [ };', /cannot load it/],
])('%s is refused, naming the file and the cause', async (_, body, message) => {
  const dir = project({ 'durable-plans.config.ts': `${body}\n` });
  const failure = loadProjectConfig({ cwd: dir, env: {} });
  await expect(failure).rejects.toBeInstanceOf(ConfigFileError);
  await expect(failure).rejects.toThrow(join(dir, 'durable-plans.config.ts'));
  await expect(failure).rejects.toThrow(message);
});

test('a configuration file named but missing is refused, saying which setting named it', async () => {
  const dir = project({});
  await expect(loadProjectConfig({ cwd: dir, env: {}, flag: 'nope.ts' })).rejects.toThrow(
    /nope\.ts: no such file \(named by --config\)/,
  );
  await expect(loadProjectConfig({ cwd: dir, env: { PLAN_CONFIG: 'gone.mjs' } })).rejects.toThrow(
    /gone\.mjs: no such file \(named by PLAN_CONFIG\)/,
  );
});
