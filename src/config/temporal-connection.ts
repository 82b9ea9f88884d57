/**
 * The options every connection to Temporal is made with — the CLI's and the TypeScript API's `Connection`, the
 * worker's `NativeConnection` — so that a profile with mTLS or an API key works the same for all of them.
 */
import { toClientOptions } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { DEFAULTS, type Config } from './environment';
import { TemporalProfileError } from './temporal-profile';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** Address, TLS (certificates read now), API key and gRPC headers of the configured Temporal. */
export function temporalConnectionOptions(config: Config): TemporalConnectionOptions {
  const { temporal } = config;
  const tls = temporal.tls;
  if (tls && !tls.disabled && Boolean(tls.clientCert) !== Boolean(tls.clientKey)) {
    throw new TemporalProfileError(
      `${describeProfile(temporal.profile)} names a TLS client ${tls.clientCert ? 'certificate without its key' : 'key without its certificate'}; mTLS needs both (client_cert_path and client_key_path, or TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH)`,
    );
  }
  let secured;
  try {
    // envconfig's own rule: an API key without TLS settings means TLS with the system's roots (as Cloud needs).
    secured = toClientOptions({ apiKey: temporal.apiKey ?? undefined, tls }).connectionOptions.tls;
  } catch (err) {
    throw new TemporalProfileError(
      `cannot read a TLS file of ${describeProfile(temporal.profile)}: ${(err as Error).message}`,
    );
  }
  return {
    address: config.temporalAddress ?? DEFAULTS.temporalAddress,
    ...(secured !== undefined && secured !== null ? { tls: secured } : {}),
    ...(temporal.apiKey !== null ? { apiKey: temporal.apiKey } : {}),
    ...(Object.keys(temporal.grpcMeta).length > 0 ? { metadata: temporal.grpcMeta } : {}),
  };
}

/** "Temporal profile "x"" or "the Temporal configuration", for messages. */
export function describeProfile(profile: string | null): string {
  return profile === null ? 'the Temporal configuration' : `Temporal profile "${profile}"`;
}
