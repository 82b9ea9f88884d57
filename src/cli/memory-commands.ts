/** `plan memory set|get|delete|list`: the shared memory store from the shell. */
import { parseNamespace, parseNamespacePrefix, type MemoryNamespace } from '../plan';
import { MemoryConflictError, MemoryInputError, SharedMemory, type MemoryEntry } from '../store/shared-memory';
import { integerOption, stringOption, type Parsed } from './args';
import type { CliContext } from './context';
import { CliError, EXIT, refused, usageError } from './errors';
import type { Command } from './command';
import { table } from './render-state';

const NS = 'project/environment/agent_type/session_id';

function namespace(path: string): MemoryNamespace {
  const ns = parseNamespace(path);
  if (typeof ns === 'string') throw usageError(ns);
  return ns;
}

async function memory(ctx: CliContext): Promise<SharedMemory> {
  return new SharedMemory(await ctx.database());
}

/** Store errors the user caused become exit codes: a conflict is a refusal (1), bad input is usage (2). */
async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MemoryConflictError) throw refused(`refused: ${err.message}`);
    if (err instanceof MemoryInputError) throw usageError(err.message);
    throw err;
  }
}

function show(ctx: CliContext, entry: MemoryEntry | null, parsed: Parsed): void {
  if (parsed.values.json) ctx.output.out(JSON.stringify(entry, null, 2));
  else if (entry) ctx.output.out(JSON.stringify(entry.value, null, 2));
}

export const memorySet: Command = {
  spec: {
    usage: `plan memory set <${NS}> <key> <json> [--ttl SECONDS] [--expect-version N] [--json]`,
    summary: 'Writes a JSON value. --expect-version is compare-and-set (0 = must not exist); a stale version exits 1.',
    example: `npm run -s plan -- memory set shop/prod/planner/s-1 budget '{"limit":100}' --ttl 3600`,
    options: {
      ttl: { type: 'string', value: 'SECONDS', description: 'the entry expires after this many seconds' },
      'expect-version': {
        type: 'string',
        value: 'N',
        description: 'write only if the entry is at this version (0: only if it does not exist)',
      },
      json: { type: 'boolean', description: 'print the written entry (version, expiry) as JSON' },
    },
    positionals: 3,
  },
  async run(ctx, parsed) {
    const [path, key, text] = parsed.positionals as [string, string, string];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw usageError(`the value must be JSON (quote strings: '"text"'): ${(err as Error).message}`);
    }
    const ttlSeconds = integerOption(stringOption(parsed, 'ttl'), 'ttl');
    const expectedVersion = integerOption(stringOption(parsed, 'expect-version'), 'expect-version');
    const store = await memory(ctx);
    const entry = await storeCall(() => store.set(namespace(path), key, value, { ttlSeconds, expectedVersion }));
    if (parsed.values.json) ctx.output.out(JSON.stringify(entry, null, 2));
    else
      ctx.output.out(
        `${path} ${key}: version ${entry.version}${entry.expiresAt ? `, expires ${entry.expiresAt}` : ''}`,
      );
    return EXIT.ok;
  },
};

export const memoryGet: Command = {
  spec: {
    usage: `plan memory get <${NS}> <key> [--json]`,
    summary: 'Prints the value (with --json, the whole entry: version, expiry, writer). Exit 1 when there is none.',
    example: 'npm run -s plan -- memory get shop/prod/planner/s-1 budget',
    options: {
      json: { type: 'boolean', description: 'print the whole entry (value, version, expiry, writer) as JSON' },
    },
    positionals: 2,
  },
  async run(ctx, parsed) {
    const [path, key] = parsed.positionals as [string, string];
    const store = await memory(ctx);
    const entry = await storeCall(() => store.get(namespace(path), key));
    if (!entry) throw new CliError(`no entry ${key} in ${path}`, EXIT.planEndedBadly, 'not_found');
    show(ctx, entry, parsed);
    return EXIT.ok;
  },
};

export const memoryDelete: Command = {
  spec: {
    usage: `plan memory delete <${NS}> <key> [--expect-version N]`,
    summary: 'Deletes an entry. Exit 1 when there was none, or when --expect-version does not match.',
    example: 'npm run -s plan -- memory delete shop/prod/planner/s-1 budget',
    options: {
      'expect-version': { type: 'string', value: 'N', description: 'delete only if the entry is at this version' },
    },
    positionals: 2,
  },
  async run(ctx, parsed) {
    const [path, key] = parsed.positionals as [string, string];
    const expectedVersion = integerOption(stringOption(parsed, 'expect-version'), 'expect-version');
    const store = await memory(ctx);
    const deleted = await storeCall(() => store.delete(namespace(path), key, { expectedVersion }));
    ctx.output.out(deleted ? `deleted ${key} from ${path}` : `no entry ${key} in ${path}`);
    return deleted ? EXIT.ok : EXIT.planEndedBadly;
  },
};

export const memoryList: Command = {
  spec: {
    usage: 'plan memory list <namespacePrefix> [--key-prefix TEXT] [--limit N] [--json]',
    summary: 'Lists live entries whose namespace starts with the given parts (project, then environment, ...).',
    example: 'npm run -s plan -- memory list shop/prod',
    options: {
      'key-prefix': { type: 'string', value: 'TEXT', description: 'only the keys starting with this' },
      limit: { type: 'string', value: 'N', description: 'at most this many entries' },
      json: { type: 'boolean', description: 'print the entries as a JSON array' },
    },
    positionals: 1,
  },
  async run(ctx, parsed) {
    const prefix = parseNamespacePrefix(parsed.positionals[0]!);
    if (typeof prefix === 'string') throw usageError(prefix);
    const store = await memory(ctx);
    const entries = await storeCall(() =>
      store.list(prefix, {
        keyPrefix: stringOption(parsed, 'key-prefix'),
        limit: integerOption(stringOption(parsed, 'limit'), 'limit'),
      }),
    );
    if (parsed.values.json) ctx.output.out(JSON.stringify(entries, null, 2));
    else if (entries.length === 0) ctx.output.out('no entries');
    else {
      const rows = entries.map((e) => {
        const value = JSON.stringify(e.value);
        const ns = [e.namespace.project, e.namespace.environment, e.namespace.agentType, e.namespace.sessionId].join(
          '/',
        );
        return [ns, e.key, String(e.version), e.expiresAt ?? '', value.length > 50 ? `${value.slice(0, 49)}…` : value];
      });
      ctx.output.out(table(['NAMESPACE', 'KEY', 'VERSION', 'EXPIRES', 'VALUE'], rows));
    }
    return EXIT.ok;
  },
};
