/**
 * DBOS Transact running the benchmark's shapes — the same no-op steps as a chain or in parallel lanes — in this
 * process, checkpointing to the same PostgreSQL: the peer `npm run bench -- peers` measures beside runPlan.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';

async function noop(): Promise<number> {
  return 0;
}

const step = DBOS.registerStep(noop, { name: 'noop' });

const shapeWorkflow = DBOS.registerWorkflow(
  async (n: number, parallel: number, shape: 'wide' | 'chain'): Promise<number> => {
    if (shape === 'chain') {
      for (let i = 0; i < n; i++) await step();
      return n;
    }
    let next = 0;
    const lane = async () => {
      while (next < n) {
        next++;
        await step();
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, n) }, lane));
    return n;
  },
  { name: 'benchShape' },
);

export interface DbosPeer {
  /** Runs `concurrency` workflows of the shape at once; resolves when all are done. */
  run(n: number, parallel: number, shape: 'wide' | 'chain', concurrency: number): Promise<void>;
  stop(): Promise<void>;
}

/** Launches DBOS on `databaseUrl` (its own schema there) with its logging quiet. */
export async function startDbosPeer(databaseUrl: string): Promise<DbosPeer> {
  DBOS.setConfig({ name: 'durable-plans-bench', systemDatabaseUrl: databaseUrl, logLevel: 'error' });
  await DBOS.launch();
  return {
    async run(n, parallel, shape, concurrency) {
      const handles = await Promise.all(
        Array.from({ length: concurrency }, () => DBOS.startWorkflow(shapeWorkflow)(n, parallel, shape)),
      );
      await Promise.all(handles.map((h) => h.getResult()));
    },
    stop: () => DBOS.shutdown(),
  };
}
