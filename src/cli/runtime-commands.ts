/** `plan worker` and `plan dev`: run a worker, or bring up the whole local stack (the same as `npm start`). */
import { duration } from '../config';
import { connectPlanWorker, drainWorker } from '../worker';
import { main as startStack } from '../dev/start';
import { applyMigrations } from '../store/migrate';
import { integerOption, stringOption, type Parsed } from './args';
import { DEPLOYMENT_OPTIONS, deploymentFlags } from './deploy-commands';
import { EXIT, usageError } from './errors';
import type { Command } from './command';
import { count } from './plural';
import { appliedMigrations } from './setup-commands';

export const worker: Command = {
  spec: {
    usage: 'plan worker [--deployment-name NAME --build-id ID] [--shutdown-grace DURATION] [--health-port N]',
    summary:
      'Runs a worker for plans on the task queue until Ctrl-C or SIGTERM; run several to share the load. It runs the\n' +
      'built-in tools and those of the configuration file (--config, PLAN_CONFIG, or durable-plans.config.* found from\n' +
      'here upwards). A versioned worker (--deployment-name and --build-id) runs each plan to its end on the build it\n' +
      'started on, while new plans start on the current build (`plan promote`). On SIGTERM or Ctrl-C it takes no new\n' +
      'work and lets running steps finish for the grace period, then cancels them (Temporal retries them on another\n' +
      'worker); a second signal stops at once.',
    example:
      'TEMPORAL_ADDRESS=temporal.internal:7233 npm run -s plan -- worker --deployment-name plans --build-id "$GIT_SHA"',
    options: {
      ...DEPLOYMENT_OPTIONS,
      'shutdown-grace': {
        type: 'string',
        value: 'DURATION',
        description: 'how long running steps may finish after SIGTERM (env PLAN_SHUTDOWN_GRACE, default 30s)',
      },
      'health-port': {
        type: 'string',
        value: 'N',
        description: 'serve GET /healthz and /readyz on this port (env PLAN_HEALTH_PORT; bound to PLAN_HEALTH_HOST)',
      },
    },
    positionals: 0,
  },
  async run(ctx, parsed) {
    const deployment = deploymentFlags(ctx, parsed);
    const grace = stringOption(parsed, 'shutdown-grace');
    const config = {
      ...ctx.config,
      deployment:
        deployment === null
          ? { name: null, buildId: null }
          : { name: deployment.deploymentName, buildId: deployment.buildId },
      shutdownGraceMs: grace === undefined ? ctx.config.shutdownGraceMs : graceFlag(grace),
      health: { ...ctx.config.health, port: portFlag(parsed, 'health-port') ?? ctx.config.health.port },
    };
    // A broken configuration file, then a missing server, is said before anything is built.
    const project = await ctx.projectConfig();
    await ctx.temporal();
    // A worker brings its side store up to date itself (under a lock, so workers starting together do not race):
    // a team's first worker on a fresh database needs no separate set-up step.
    const applied = await applyMigrations(await ctx.database());
    if (applied.length > 0) ctx.output.out(appliedMigrations(applied));
    const running = await connectPlanWorker(config, project.tools, project.coordination);
    // The first signal drains (a deploy's SIGTERM must not cut steps short); a second one is someone in a hurry.
    let signals = 0;
    const stop = () => {
      if (signals++ === 0) return drainWorker(running.worker, (line) => ctx.output.out(line));
      ctx.output.err('stopping now: the steps still running are retried on another worker once their timeout passes');
      process.exit(130); // the shell's code for "stopped by a signal"
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const own =
      project.path === null
        ? 'built-in tools only'
        : `${count(running.tools.list().length, 'tool')}, with those of ${project.path}`;
    ctx.output.out(
      `worker polling task queue "${ctx.config.taskQueue}" on ${ctx.temporalAddress}` +
        `${ctx.config.temporal.profile === null ? '' : ` (profile ${ctx.config.temporal.profile})`}` +
        ` namespace ${ctx.config.namespace}` +
        `${deployment === null ? '' : ` as build "${deployment.buildId}" of deployment "${deployment.deploymentName}"`}` +
        ` (${own}); Ctrl-C stops`,
    );
    try {
      await running.worker.run();
    } finally {
      // Also after a failed worker: the last spans (tracing) and connections are not left behind.
      await running.close();
    }
    return EXIT.ok;
  },
};

/** --shutdown-grace: a duration, or a usage error saying what one looks like. */
function graceFlag(value: string): number {
  try {
    return duration(value, '--shutdown-grace')!;
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

/** A port number option, or a usage error. */
function portFlag(parsed: Parsed, name: string): number | undefined {
  const value = stringOption(parsed, name);
  const port = integerOption(value, name);
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw usageError(`--${name} must be a port number from 1 to 65535, got "${value}"`);
  }
  return port;
}

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
    await startStack(stringOption(parsed, 'config'), stringOption(parsed, 'profile'));
    // The stack runs until a signal; startStack exits the process itself.
    return new Promise<number>(() => undefined);
  },
};
