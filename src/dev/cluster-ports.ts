/** The ports of the cluster's services: the frontend's as asked, the rest free at each start. */
import { createServer } from 'node:net';
import { CLUSTER_SERVICES, type ClusterPorts } from './cluster-config';
import { freePort } from './free-port';

/**
 * Membership ports are stored in PostgreSQL as SMALLINT (cluster_membership.rpc_port), so they must stay below
 * 32768 — under the kernel's usual ephemeral range, where freePort() finds its ports.
 */
const MEMBERSHIP_PORTS = { from: 20_000, to: 32_767 } as const;

/** Picks every port now; membership rows that earlier runs left behind name ports nobody answers on, harmlessly. */
export async function pickClusterPorts(frontendPort: number): Promise<ClusterPorts> {
  const services = {} as ClusterPorts['services'];
  const taken = new Set<number>();
  for (const name of CLUSTER_SERVICES) {
    const membership = await freePortBetween(MEMBERSHIP_PORTS.from, MEMBERSHIP_PORTS.to, taken);
    taken.add(membership);
    services[name] = { grpc: name === 'frontend' ? frontendPort : await freePort(), membership };
  }
  return { services, frontendHttp: await freePort() };
}

/** A port in [from, to] that nothing listens on now (tried at random, so two clusters starting together differ). */
async function freePortBetween(from: number, to: number, taken: Set<number>): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if (!taken.has(port) && (await canListen(port))) return port;
  }
  throw new Error(`found no free port between ${from} and ${to} for the cluster's membership after 100 tries`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
