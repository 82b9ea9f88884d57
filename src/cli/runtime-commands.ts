/** `plan worker` and `plan dev`: run a worker, or bring up the whole local stack (the same as `npm start`). */
import { connectPlanWorker } from '../worker';
import { main as startStack } from '../dev/start';
import { applyMigrations } from '../store/migrate';
import { stringOption } from './args';
import { EXIT } from './errors';
import type { Command } from './command';

export const worker: Command = {
  spec: {
    usage: 'plan worker',
    summary:
      'Runs a worker for plans on the task queue until Ctrl-C; run several to share the load. It runs the built-in tools\n' +
      'and those of the configuration file (--config, PLAN_CONFIG, or durable-plans.config.* found from here upwards).',
    example: 'TEMPORAL_ADDRESS=temporal.internal:7233 npm run -s plan -- worker --task-queue plans',
    options: {},
    positionals: 0,
  },
  async run(ctx) {
    // A broken configuration file, then a missing server, is said before anything is built.
    const project = await ctx.projectConfig();
    await ctx.temporal();
    // A worker brings its side store up to date itself (under a lock, so workers starting together do not race):
    // a team's first worker on a fresh database needs no separate set-up step.
    const applied = await applyMigrations(await ctx.database());
    if (applied.length > 0) ctx.output.out(`applied PostgreSQL migrations ${applied.join(', ')}`);
    const running = await connectPlanWorker(ctx.config, project.tools);
    const stop = () => running.worker.getState() === 'RUNNING' && running.worker.shutdown();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const own =
      project.path === null
        ? 'built-in tools only'
        : `${project.tools.list().length} tools, with those of ${project.path}`;
    ctx.output.out(
      `worker polling task queue "${ctx.config.taskQueue}" on ${ctx.temporalAddress} (${own}); Ctrl-C stops`,
    );
    await running.worker.run();
    await running.close();
    return EXIT.ok;
  },
};

export const dev: Command = {
  spec: {
    usage: 'plan dev',
    summary:
      'Brings up the local stack — Temporal dev server and UI, PostgreSQL, migrations, a worker — like `npm start`.',
    example: 'npm run -s plan -- dev',
    options: {},
    positionals: 0,
  },
  async run(_ctx, parsed) {
    await startStack(stringOption(parsed, 'config'));
    // The stack runs until a signal; startStack exits the process itself.
    return new Promise<number>(() => undefined);
  },
};
