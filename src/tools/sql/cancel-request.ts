import { connect } from 'node:net';
import type { PoolClient } from 'pg';

// The protocol's CancelRequest code (1234 << 16 | 5678).
const CANCEL_REQUEST_CODE = 80877102;

interface ClientKeys {
  host: string;
  port: number;
  processID: number | null;
  secretKey: number | null;
}

/**
 * Asks the server to cancel what `client` is running, over a connection of its own that needs no login and no free
 * slot in the pool (the protocol's CancelRequest, what psql's Ctrl-C sends). Best effort: the step's
 * statement_timeout stops the statement anyway, a little later.
 */
export function cancelRunningStatement(client: PoolClient): Promise<void> {
  const { host, port, processID, secretKey } = client as unknown as ClientKeys;
  if (processID === null || secretKey === null) return Promise.resolve();
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      const packet = Buffer.alloc(16);
      packet.writeInt32BE(16, 0);
      packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
      packet.writeInt32BE(processID, 8);
      packet.writeInt32BE(secretKey, 12);
      socket.end(packet);
    });
  });
}
