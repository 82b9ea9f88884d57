/**
 * What a command needs, opened on first use and closed at exit: configuration (environment, then flags), the project's
 * configuration file and its tool catalogue, a Temporal client, a PostgreSQL pool. Failing to reach either is exit code
 * 3 with what to do about it.
 */
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { DEFAULTS, loadConfig, loadProjectConfig, type Config, type ProjectConfig } from '../config';
import type { ToolRegistry } from '../tools';
import { codecDataConverter } from '../codec/data-converter';
import { redact } from '../dev/database';
import { createPool } from '../store/pool';
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
  private pool: Pool | null = null;
  private project: Promise<ProjectConfig> | null = null;
  private readonly configFlag: string | undefined;

  constructor(
    flags: { address?: string; namespace?: string; 'task-queue'?: string; config?: string },
    readonly output: Output,
  ) {
    this.configFlag = flags.config;
    const config = loadConfig();
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
      this.connection = await Connection.connect({ address: this.temporalAddress, connectTimeout: 5_000 });
    } catch (err) {
      throw temporalUnreachable(this.temporalAddress, err);
    }
    this.client = new Client({
      connection: this.connection,
      namespace: this.config.namespace,
      dataConverter: codecDataConverter(this.config.codec.keys),
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

  /** The Temporal Web page of a plan's run. */
  webUrl(planId: string, runId?: string): string {
    const base = `${this.config.webUiUrl}/namespaces/${encodeURIComponent(this.config.namespace)}/workflows/${encodeURIComponent(planId)}`;
    return runId ? `${base}/${runId}/history` : base;
  }

  async close(): Promise<void> {
    await Promise.all([this.connection?.close(), this.pool?.end()].filter(Boolean));
  }
}

/** Exit code 3, naming the address and how to start a server. */
export function temporalUnreachable(address: string, err: unknown): CliError {
  return new CliError(
    `Temporal is unreachable at ${address} (${(err as Error).message}). ` +
      'Start the stack with `npm start`, or point --address / TEMPORAL_ADDRESS at a Temporal server.',
    EXIT.unreachable,
  );
}
