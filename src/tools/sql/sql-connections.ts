import type { Pool, PoolClient } from 'pg';
import { createPool } from '../../store/pool';
import { stepIdentity, type StepIdentity } from './step-roles';

/** Per connection: a step's statement is checked out of its own pool, under the identity found at first use. */
export interface StepConnection {
  pool: Pool;
  identity(client: PoolClient): Promise<StepIdentity | { login: string; problem: string }>;
}

/**
 * The databases `sql_query` may reach, by name; pools open on first use, and `close()` ends them all. `pool(name)` is
 * for the worker's own tools (trusted code, the login's full rights); plans' steps use `forSteps(name)`.
 */
export class SqlConnections {
  private readonly pools = new Map<string, Pool>();
  private readonly stepConnections = new Map<string, StepConnection>();

  /**
   * `urls`: connection name -> PostgreSQL URL; "default" is the one a step gets when it names none. `unrestricted`
   * (PLAN_SQL_UNRESTRICTED) runs steps as the login itself, whatever it may do.
   */
  constructor(
    private readonly urls: Readonly<Record<string, string>>,
    readonly unrestricted = false,
  ) {}

  names(): string[] {
    return Object.keys(this.urls);
  }

  /** The pool of a named connection, or undefined when the worker has no such connection. */
  pool(name: string): Pool | undefined {
    return this.opened(this.pools, name, () => this.newPool(name));
  }

  /**
   * What `sql_query` steps use: a pool of their own, whose connections are reset after every step (so a step's
   * session state never reaches the worker's tools), and the login's identity, looked up once it answers.
   */
  forSteps(name: string): StepConnection | undefined {
    return this.opened(this.stepConnections, name, () => {
      let found: Promise<StepIdentity | { login: string; problem: string }> | undefined;
      return {
        pool: this.newPool(name),
        identity: (client) => {
          // A failed look-up (the server away) or a refusal (roles not made yet) is tried again by the next step.
          const lookup = (found ??= stepIdentity(client));
          lookup.then(
            (identity) => 'problem' in identity && found === lookup && (found = undefined),
            () => found === lookup && (found = undefined),
          );
          return lookup;
        },
      };
    });
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values(), ...[...this.stepConnections.values()].map((c) => c.pool)];
    this.pools.clear();
    this.stepConnections.clear();
    await Promise.all(pools.map((pool) => pool.end()));
  }

  private opened<T>(map: Map<string, T>, name: string, open: () => T): T | undefined {
    if (!Object.hasOwn(this.urls, name)) return undefined;
    let value = map.get(name);
    if (value === undefined) {
      value = open();
      map.set(name, value);
    }
    return value;
  }

  // Small and separate from the side store's pool, so plans' queries cannot starve the mirror.
  private newPool(name: string): Pool {
    return createPool(this.urls[name]!, { max: 5, applicationName: 'durable-plans-sql' });
  }
}
