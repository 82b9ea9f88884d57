import type { Pool } from 'pg';
import { createPool } from '../../store/pool';

/** The databases `sql_query` may reach, by name; a pool opens on first use, and `close()` ends them all. */
export class SqlConnections {
  private readonly pools = new Map<string, Pool>();

  /** `urls`: connection name -> PostgreSQL URL; "default" is the one a step gets when it names none. */
  constructor(private readonly urls: Readonly<Record<string, string>>) {}

  names(): string[] {
    return Object.keys(this.urls);
  }

  /** The pool of a named connection, or undefined when the worker has no such connection. */
  pool(name: string): Pool | undefined {
    if (!Object.hasOwn(this.urls, name)) return undefined;
    let pool = this.pools.get(name);
    if (!pool) {
      // Small and separate from the side store's pool, so plans' queries cannot starve the mirror.
      pool = createPool(this.urls[name]!, { max: 5, applicationName: 'durable-plans-sql' });
      this.pools.set(name, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.end()));
  }
}
