/**
 * `plan replay-check`: the replay gate before a deploy — this code replayed over recorded histories and over the
 * plans still open on a server, one line per history, exit 1 naming each that would break.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import {
  historyFiles,
  openHistories,
  openOnTaskQueue,
  replayHistories,
  type HistorySource,
} from '../api/replay-histories';
import { codecDataConverter } from '../codec/data-converter';
import { bundlePlanWorkflows } from '../worker';
import { stringOption } from './args';
import type { Command } from './command';
import { EXIT, usageError } from './errors';
import { count, noun } from './plural';

export const replayCheck: Command = {
  spec: {
    usage: 'plan replay-check [FILE|FOLDER ...] [--query QUERY] [--offline]',
    summary:
      "Replays plans' histories with this code and says, one line each, which would break: a change to workflow code\n" +
      'that plans already running cannot replay (see "Changing workflow code" in the README). It replays history files\n' +
      '(`temporal workflow show -w ID -o json`) and every .json file in the folders given, and, once a server is named\n' +
      '(--address, --profile, --namespace, --query, or TEMPORAL_ADDRESS), the open plans there. Exit 1 when a history\n' +
      'fails to replay.',
    example: 'TEMPORAL_ADDRESS=temporal.internal:7233 npm run -s plan -- replay-check test/histories',
    options: {
      query: {
        type: 'string',
        value: 'QUERY',
        description: 'which workflows to replay (default: the running ones of the task queue)',
      },
      offline: { type: 'boolean', description: 'only the files and folders given, never a server' },
    },
    positionals: [0, Infinity],
  },
  async run(ctx, parsed) {
    const named = ['address', 'profile', 'namespace', 'query'].some((flag) => parsed.values[flag] !== undefined);
    const live = !parsed.values.offline && (named || ctx.config.temporalAddress !== null);
    if (parsed.positionals.length === 0 && !live) {
      throw usageError(
        'nothing to replay: name history files or folders, or a server whose open plans to replay (--address, --profile, TEMPORAL_ADDRESS)',
      );
    }
    let files: HistorySource[];
    try {
      files = historyFiles(parsed.positionals);
    } catch (err) {
      throw usageError((err as Error).message);
    }
    const query = stringOption(parsed, 'query') ?? openOnTaskQueue(ctx.config.taskQueue);
    const client = live ? await ctx.temporal() : null;
    async function* sources(): AsyncIterable<HistorySource> {
      yield* files;
      if (client) yield* openHistories(client, query);
    }
    // A history that fails to replay is this command's answer, printed below; the SDK's warnings about it are noise.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
    const bundle = await bundlePlanWorkflows();
    let total = 0;
    let failed = 0;
    for await (const outcome of replayHistories(sources(), {
      workflowBundle: bundle,
      dataConverter: codecDataConverter(ctx.config.codec.keys),
    })) {
      total++;
      if (outcome.error === null) {
        ctx.output.out(`ok    ${outcome.label}`);
      } else {
        failed++;
        ctx.output.out(`FAIL  ${outcome.label}: ${outcome.reason}`);
      }
    }
    if (failed > 0) {
      ctx.output.err(
        `${failed} of ${count(total, 'history', 'histories')} ${noun(failed, 'does', 'do')} not replay with this ` +
          'code: plans like them would fail on it. Put the change behind patched() (README, "Changing workflow ' +
          'code"), or keep them on their build with Worker Versioning.',
      );
      return EXIT.planEndedBadly;
    }
    ctx.output.out(
      total > 0
        ? `${count(total, 'history', 'histories')} ${noun(total, 'replays', 'replay')} with this code`
        : `no histories to replay${client ? ` (no workflow matches ${query})` : ''}`,
    );
    return EXIT.ok;
  },
};
