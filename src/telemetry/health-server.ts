/**
 * Health endpoints for orchestrators and load balancers: `GET /healthz` runs the liveness checks, `GET /readyz` the
 * readiness checks. 200 when every check passes, 503 otherwise, always with a JSON body naming each check and, for a
 * failing one, why: `{"status":"fail","checks":{"postgresql":{"status":"fail","error":"..."}}}`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One check: resolves when healthy, rejects saying why not. */
export interface HealthCheck {
  name: string;
  run(): Promise<unknown>;
}

export interface HealthServerOptions {
  host: string;
  port: number;
  /** Whether the process is alive; a failing one asks to be restarted. */
  live: HealthCheck[];
  /** Whether it can do its work now; a failing one asks to be sent none for a while. */
  ready: HealthCheck[];
  /** A check that has not answered by then fails (default 2 s): a probe must answer within the prober's timeout. */
  timeoutMs?: number;
}

export interface HealthServer {
  /** Where it listens, e.g. `http://0.0.0.0:8080`. */
  url: string;
  close(): Promise<void>;
}

type CheckResult = { status: 'pass' } | { status: 'fail'; error: string };

/** Starts serving the health endpoints; rejects when the port cannot be bound. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://health').pathname;
    const checks = path === '/healthz' ? options.live : path === '/readyz' ? options.ready : null;
    if (checks === null)
      return send(response, 404, { error: 'not found; the health endpoints are /healthz and /readyz' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, { error: `${request.method} is not allowed; use GET` });
    }
    void runChecks(checks, timeoutMs).then((results) => {
      const passed = Object.values(results).every((result) => result.status === 'pass');
      send(response, passed ? 200 : 503, { status: passed ? 'pass' : 'fail', checks: results });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new Error(`cannot serve health checks on ${options.host}:${options.port}: ${err.message}`)),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Every check at once, each failing on its own error or on the timeout. */
async function runChecks(checks: HealthCheck[], timeoutMs: number): Promise<Record<string, CheckResult>> {
  const results = await Promise.all(
    checks.map(async ({ name, run }): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([run(), timeout]);
        return [name, { status: 'pass' }];
      } catch (err) {
        return [name, { status: 'fail', error: describe(err) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(results);
}

/** An error's message; a connection refused on every address the name has (an AggregateError) has none of its own. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { code } = err as { code?: unknown };
  const inner = err instanceof AggregateError ? err.errors.find((e): e is Error => e instanceof Error) : undefined;
  return err.message || inner?.message || (typeof code === 'string' ? code : err.name);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(`${JSON.stringify(body)}\n`);
}
