/**
 * Worker Versioning on the command line: the deployment flags `plan worker` and `plan promote` share, and
 * `plan promote`, which makes a build the current version of its Worker Deployment (thin over Temporal's own API, the
 * same as `temporal worker deployment set-current-version`).
 */
import { isGrpcServiceError } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { workerDeploymentVersion } from '../config';
import { stringOption, type OptionSpec, type Parsed } from './args';
import type { Command } from './command';
import type { CliContext } from './context';
import { CliError, EXIT, usageError } from './errors';

export const DEPLOYMENT_OPTIONS = {
  'deployment-name': {
    type: 'string',
    value: 'NAME',
    description: 'the Worker Deployment (Worker Versioning; env PLAN_DEPLOYMENT_NAME); with --build-id',
  },
  'build-id': {
    type: 'string',
    value: 'ID',
    description: 'the build of that deployment (env PLAN_BUILD_ID); with --deployment-name',
  },
} as const satisfies Record<string, OptionSpec>;

/** The deployment version from the flags, each falling back to its variable; null: unversioned. */
export function deploymentFlags(ctx: CliContext, parsed: Parsed): WorkerDeploymentVersion | null {
  try {
    return workerDeploymentVersion({
      name: stringOption(parsed, 'deployment-name') ?? ctx.config.deployment.name,
      buildId: stringOption(parsed, 'build-id') ?? ctx.config.deployment.buildId,
    });
  } catch (err) {
    throw usageError((err as Error).message);
  }
}

// gRPC status codes of a version the server does not know yet, or will not make current yet.
const GRPC_NOT_FOUND = 5;
const GRPC_FAILED_PRECONDITION = 9;

export const promote: Command = {
  spec: {
    usage: 'plan promote --deployment-name NAME --build-id ID',
    summary:
      'Makes a build the current version of its Worker Deployment: plans started from now on run on its workers, while\n' +
      "plans already running stay on the build they started on until they end. Start the new build's workers first.",
    example: 'npm run -s plan -- promote --deployment-name plans --build-id "$GIT_SHA"',
    options: DEPLOYMENT_OPTIONS,
    positionals: 0,
  },
  async run(ctx, parsed) {
    const version = deploymentFlags(ctx, parsed);
    if (version === null) throw usageError('name the build: --deployment-name NAME --build-id ID');
    const client = await ctx.temporal();
    let previous: string | null;
    try {
      const answer = await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: ctx.config.namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: client.options.identity,
      });
      previous = answer.previousDeploymentVersion?.buildId || null;
    } catch (err) {
      if (isGrpcServiceError(err) && (err.code === GRPC_NOT_FOUND || err.code === GRPC_FAILED_PRECONDITION)) {
        throw new CliError(
          `Temporal will not make build "${version.buildId}" of deployment "${version.deploymentName}" current yet ` +
            `(${err.details || err.message}). Start its workers first (plan worker --deployment-name ` +
            `${version.deploymentName} --build-id ${version.buildId}) and promote once they are polling.`,
          EXIT.usage,
        );
      }
      throw err;
    }
    const was = previous === null ? 'unversioned workers' : `build "${previous}"`;
    ctx.output.out(
      `build "${version.buildId}" is now the current version of deployment "${version.deploymentName}" (before: ${was}); ` +
        'new plans start on it, running plans finish on the build they started on',
    );
    if (previous !== null && previous !== version.buildId) {
      ctx.output.out(
        `stop the workers of build "${previous}" once it has drained: temporal worker deployment describe-version ` +
          `--deployment-name ${version.deploymentName} --build-id ${previous}`,
      );
    }
    return EXIT.ok;
  },
};
