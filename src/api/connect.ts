import { Client, Connection } from '@temporalio/client';
import { codecDataConverter } from '../codec/data-converter';
import { DEFAULTS, loadConfig, type Config } from '../config';

/**
 * A Temporal client for the configured server and namespace (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, else the local
 * dev server's defaults), for scripts that start and steer plans; `client.connection.close()` when done. With
 * PLAN_CODEC_KEYS set it encrypts what it sends and decrypts what it reads, like the worker.
 */
export async function connectClient(config: Config = loadConfig()): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress ?? DEFAULTS.temporalAddress });
  return new Client({ connection, namespace: config.namespace, dataConverter: codecDataConverter(config.codec.keys) });
}
