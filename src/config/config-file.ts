/**
 * Finding and loading the project's configuration file. TypeScript files load without a build step or tsx (through
 * jiti, which compiles them in memory), so a team's `durable-plans.config.ts` works with plain `node` and the
 * installed `plan` command.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { closestName } from '../plan';
import { checkMcpConfig } from '../tools/mcp/mcp-config';
import { CONFIG_KEYS, type DurablePlansConfig } from './define-config';
import { checkCoordination } from './coordination-config';
import { nonEmpty } from './environment';

/** The names looked for, in this order, in the working directory and then each directory above it. */
export const CONFIG_FILE_NAMES = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((ext) => `durable-plans.config.${ext}`);

/** A configuration file that cannot be found, loaded or understood; the message names the file and the cause. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** The nearest configuration file at or above `from`, or null. */
export function findConfigFile(from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    if (dirname(dir) === dir) return null;
  }
}

/** Which file to load: `--config`, else PLAN_CONFIG, else the nearest one found from `cwd` (null: none). */
export function configFilePath(options: { flag?: string; env?: NodeJS.ProcessEnv; cwd?: string }): string | null {
  const cwd = options.cwd ?? process.cwd();
  const named = options.flag ?? nonEmpty((options.env ?? process.env).PLAN_CONFIG);
  if (named === null) return findConfigFile(cwd);
  const path = resolve(cwd, named);
  if (!existsSync(path))
    throw new ConfigFileError(path, `no such file (named by ${options.flag ? '--config' : 'PLAN_CONFIG'})`);
  return path;
}

/** Loads a configuration file and checks its shape (not yet its tools; see toolCatalogue). */
export async function loadConfigFile(path: string): Promise<DurablePlansConfig> {
  let loaded: unknown;
  try {
    // Without jiti's disk cache, so loading writes nothing into the project. The default export is the
    // configuration; for a CommonJS file, module.exports is.
    loaded = await createJiti(__filename, { fsCache: false, tryNative: true }).import(path, { default: true });
  } catch (err) {
    throw new ConfigFileError(path, `cannot load it: ${(err as Error).message ?? String(err)}`);
  }
  return checkConfig(path, loaded);
}

function checkConfig(path: string, value: unknown): DurablePlansConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigFileError(
      path,
      'its default export must be the configuration object: export default defineConfig({ tools: [...] })',
    );
  }
  for (const key of Object.keys(value)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      const near = closestName(key, CONFIG_KEYS);
      throw new ConfigFileError(
        path,
        `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; a configuration has ${CONFIG_KEYS.join(', ')}`,
      );
    }
  }
  const { tools } = value as DurablePlansConfig;
  if (tools !== undefined) {
    if (!Array.isArray(tools)) throw new ConfigFileError(path, '"tools" must be a list of tools made with defineTool');
    tools.forEach((tool: unknown, i) => {
      const t = tool as Record<string, unknown> | null;
      if (
        t === null ||
        typeof t !== 'object' ||
        typeof t.name !== 'string' ||
        typeof t.run !== 'function' ||
        typeof t.parameters !== 'object'
      ) {
        throw new ConfigFileError(
          path,
          `tools[${i}] is not a tool: defineTool({ name, description, parameters, risk, run })`,
        );
      }
    });
  }
  try {
    checkMcpConfig((value as DurablePlansConfig).mcp);
    checkCoordination((value as DurablePlansConfig).breakers, (value as DurablePlansConfig).limits);
  } catch (err) {
    throw new ConfigFileError(path, (err as Error).message);
  }
  return value as DurablePlansConfig;
}
