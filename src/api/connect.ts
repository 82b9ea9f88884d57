import { Client, Connection } from '@temporalio/client';
import { codecDataConverter } from '../codec/data-converter';
import { loadConfig, temporalConnectionOptions, type Config } from '../config';
import { startTracing } from '../telemetry/tracing';

/**
 * A Temporal client for the configured server and namespace — the Temporal profile (TEMPORAL_PROFILE, or
 * `loadConfig(process.env, { profile })`) with its TLS and API key, TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, else the
 * local dev server's defaults — for scripts that start and steer plans; `client.connection.close()` when done. With
 * PLAN_CODEC_KEYS set it encrypts what it sends and decrypts what it reads, like the worker. With
 * OTEL_EXPORTER_OTLP_ENDPOINT set it traces what it does, and closing the connection sends the last spans.
 */
export async function connectClient(config: Config = loadConfig()): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const tracing = startTracing(config.tracing, 'durable-plans-client');
  if (tracing) {
    const close = connection.close.bind(connection);
    connection.close = () => Promise.all([close(), tracing.shutdown()]).then(() => undefined);
  }
  return new Client({
    connection,
    namespace: config.namespace,
    dataConverter: codecDataConverter(config.codec.keys),
    interceptors: { workflow: tracing?.clientInterceptors(connection, config.namespace) ?? [] },
  });
}
