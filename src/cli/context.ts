/**
 * What a command needs, opened on first use and closed at exit: configuration (environment, then flags), the project's
 * configuration file and its tool catalogue, a Temporal client, a PostgreSQL pool. Failing to reach either is exit code
 * 3 with what to do about it.
 */
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import {
  DEFAULTS,
  describeProfile,
  loadConfig,
  loadProjectConfig,
  temporalConnectionOptions,
  webUiBase,
  type Config,
  type ProjectConfig,
} from '../config';
import type { ToolRegistry } from '../tools';
import { codecDataConverter } from '../codec/data-converter';
import { redact } from '../dev/database';
import { createPool } from '../store/pool';
import { startTracing, type Tracing } from '../telemetry/tracing';
import { CliError, EXIT } from './errors';

export interface Output {
  json: boolean;
  tty: boolean;
  out(text: string): void;
  err(text: string): void;
}

export class CliContext {
  readonly config: Config;
  private client: Client | null = null;
  private connection: Connection | null = null;
  private tracing: Tracing | null = null;
  private pool: Pool | null = null;
  private project: Promise<ProjectConfig> | null = null;
  private readonly configFlag: string | undefined;

  constructor(
    flags: { address?: string; namespace?: string; 'task-queue'?: string; config?: string; profile?: string },
    readonly output: Output,
  ) {
    this.configFlag = flags.config;
    const config = loadConfig(process.env, { profile: flags.profile });
    this.config = {
      ...config,
      temporalAddress: flags.address ?? config.temporalAddress,
      namespace: flags.namespace ?? config.namespace,
      taskQueue: flags['task-queue'] ?? config.taskQueue,
    };
  }

  get temporalAddress(): string {
    return this.config.temporalAddress ?? DEFAULTS.temporalAddress;
  }

  get databaseUrl(): string {
    return this.config.databaseUrl ?? DEFAULTS.databaseUrl;
  }

  /** The project's configuration file (loaded once): where it is and the tool catalogue it makes. */
  projectConfig(): Promise<ProjectConfig> {
    this.project ??= loadProjectConfig({ flag: this.configFlag });
    return this.project;
  }

  /** Built-in tools plus the configuration file's own: what every command validates plans against. */
  async tools(): Promise<ToolRegistry> {
    return (await this.projectConfig()).tools;
  }

  /** The Temporal client; exit code 3 when no server answers. */
  async temporal(): Promise<Client> {
    if (this.client) return this.client;
    try {
      this.connection = await Connection.connect({ ...temporalConnectionOptions(this.config), connectTimeout: 5_000 });
    } catch (err) {
      throw temporalUnreachable(this.temporalAddress, err, this.config.temporal.profile);
    }
    this.tracing = startTracing(this.config.tracing, 'durable-plans-cli');
    this.client = new Client({
      connection: this.connection,
      namespace: this.config.namespace,
      dataConverter: codecDataConverter(this.config.codec.keys),
      interceptors: { workflow: this.tracing?.clientInterceptors(this.connection, this.config.namespace) ?? [] },
    });
    return this.client;
  }

  /** The PostgreSQL pool; exit code 3 when the server cannot be reached. */
  async database(): Promise<Pool> {
    if (this.pool) return this.pool;
    const pool = createPool(this.databaseUrl, { max: 2, applicationName: 'durable-plans-cli' });
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new CliError(
        `PostgreSQL is unreachable at ${redact(this.databaseUrl)} (${(err as Error).message}). ` +
          'Start the stack with `npm start`, or set DATABASE_URL.',
        EXIT.unreachable,
      );
    }
    this.pool = pool;
    return pool;
  }

  /** The Temporal Web page of a plan's run; null when no Web UI address is known (web-ui-url.ts). */
  webUrl(planId: string, runId?: string): string | null {
    const ui = webUiBase(this.config);
    if (ui === null) return null;
    const base = `${ui}/namespaces/${encodeURIComponent(this.config.namespace)}/workflows/${encodeURIComponent(planId)}`;
    return runId ? `${base}/${runId}/history` : base;
  }

  /** The same for a line of text: the link, or how to get one. */
  webLink(planId: string, runId?: string): string {
    return this.webUrl(planId, runId) ?? `unknown for ${this.temporalAddress} (set TEMPORAL_UI_URL to link plans)`;
  }

  async close(): Promise<void> {
    // The spans are sent before the process exits.
    await Promise.all([this.connection?.close(), this.pool?.end(), this.tracing?.shutdown()].filter(Boolean));
  }
}

// gRPC status codes of a server that answered but refused who we are.
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAUTHENTICATED = 16;

/**
 * Exit code 3, naming the address (and the profile it came from) and what to do: start or reach a server, or — when
 * the server answered but refused the credentials — check the key or the certificate.
 */
export function temporalUnreachable(address: string, err: unknown, profile: string | null = null): CliError {
  // Connection.connect wraps the server's answer in an error of its own: the status code is on the cause.
  const refusal = [err, (err as Error).cause].find((at) => {
    const code = (at as { code?: unknown } | undefined)?.code;
    return code === GRPC_UNAUTHENTICATED || code === GRPC_PERMISSION_DENIED;
  });
  if (refusal !== undefined) {
    return new CliError(
      `Temporal at ${address} refused the credentials of ${describeProfile(profile)} (${(refusal as Error).message}). ` +
        'Check the API key (api_key, TEMPORAL_API_KEY) or the client certificate (tls.client_cert_path, ' +
        'TEMPORAL_TLS_CLIENT_CERT_PATH) and that it may use the namespace.',
      EXIT.unreachable,
    );
  }
  return new CliError(
    `Temporal is unreachable at ${address}${profile === null ? '' : ` (${describeProfile(profile)})`} (${(err as Error).message}). ` +
      'Start the stack with `npm start`, or point --profile / --address / TEMPORAL_ADDRESS at a Temporal server.',
    EXIT.unreachable,
  );
}
