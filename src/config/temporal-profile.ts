/**
 * Where Temporal is and how to authenticate: the standard client configuration every Temporal tool shares — a profile
 * of `temporal.toml` (TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml) chosen by `--profile` or
 * TEMPORAL_PROFILE, overridden by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* and
 * TEMPORAL_GRPC_META_*. Read with `@temporalio/envconfig`, so a profile written for the `temporal` CLI works here.
 * Certificates are named here and read only when a connection is made (temporal-connection.ts): a command that never
 * talks to Temporal does not fail on a missing certificate.
 */
import { loadClientConfigProfile, type ClientConfigTLS } from '@temporalio/envconfig';

export interface TemporalProfile {
  /** The profile named by --profile or TEMPORAL_PROFILE; null: the file's "default" profile, if any. */
  name: string | null;
  address: string | null;
  namespace: string | null;
  apiKey: string | null;
  /** TLS settings (certificates as paths or data); undefined: TLS only if an API key is set. */
  tls: ClientConfigTLS | undefined;
  /** Extra gRPC headers sent with every call (grpc_meta, TEMPORAL_GRPC_META_<NAME>). */
  grpcMeta: Record<string, string>;
}

/** A profile that cannot be read: the file, the profile and what is wrong. */
export class TemporalProfileError extends Error {
  override name = 'TemporalProfileError';
}

/** The Temporal connection settings from the configuration file and the environment. */
export function loadTemporalProfile(env: NodeJS.ProcessEnv, profile?: string): TemporalProfile {
  // envconfig treats a variable set to "" as a value; blank means unset everywhere else in our configuration.
  const vars = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
  const name = profile ?? vars.TEMPORAL_PROFILE ?? null;
  let loaded;
  try {
    loaded = loadClientConfigProfile({ profile: name ?? undefined, overrideEnvVars: vars });
  } catch (err) {
    const file = vars.TEMPORAL_CONFIG_FILE ?? '~/.config/temporalio/temporal.toml';
    const message = (err as Error).message;
    throw new TemporalProfileError(
      /not found in config data/.test(message)
        ? `Temporal profile "${name}" is not in ${file} (--profile / TEMPORAL_PROFILE name a [profile.<name>] table there)`
        : `cannot read the Temporal configuration ${file}: ${message}`,
    );
  }
  return {
    name,
    address: loaded.address ?? null,
    namespace: loaded.namespace ?? null,
    apiKey: loaded.apiKey ?? null,
    tls: loaded.tls,
    grpcMeta: loaded.grpcMeta ?? {},
  };
}
