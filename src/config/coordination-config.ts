/**
 * Circuit breakers and rate/concurrency limits, per tool, from the project's configuration: shared by every worker
 * and plan through PostgreSQL. Checked when the configuration loads, so a typo is an error naming it.
 */
import { closestName } from '../plan';

/** When a tool's breaker opens, and for how long. */
export interface BreakerSettings {
  /** Failures (retryable ones: bad input does not count) within `windowSeconds` that open the breaker (default 5). */
  failures?: number;
  windowSeconds?: number;
  /** How long it stays open before one probe call may try again (default 30). */
  coolDownSeconds?: number;
  /** One breaker per tool, or per tool and target — the HTTP host, the SQL connection (default 'target'). */
  per?: 'tool' | 'target';
}

/** How often and how many at once a tool may be called, per key, across all workers. */
export interface LimitSettings {
  /** Calls started per second (a token bucket holding one second's worth). */
  perSecond?: number;
  /** Calls running at once. */
  concurrency?: number;
  /** What shares a limit: `{{tool}}` (default), `{{parameters.url.host}}`, `{{parameters.connection}}`... */
  key?: string;
}

export interface CoordinationConfig {
  breakers: Record<string, Required<BreakerSettings>>;
  limits: Record<string, Required<Omit<LimitSettings, 'perSecond' | 'concurrency'>> & LimitSettings>;
}

export const NO_COORDINATION: CoordinationConfig = { breakers: {}, limits: {} };

export const BREAKER_DEFAULTS: Required<BreakerSettings> = {
  failures: 5,
  windowSeconds: 60,
  coolDownSeconds: 30,
  per: 'target',
};

const BREAKER_KEYS = Object.keys(BREAKER_DEFAULTS);
const LIMIT_KEYS = ['perSecond', 'concurrency', 'key'];

/** The configuration's `breakers` and `limits` checked and defaulted; a problem throws, naming its place. */
export function checkCoordination(breakers: unknown, limits: unknown): CoordinationConfig {
  return {
    breakers: mapTools(breakers, 'breakers', (at, value) => {
      knownKeys(at, value, BREAKER_KEYS);
      const settings = { ...BREAKER_DEFAULTS, ...value } as Required<BreakerSettings>;
      positive(`${at}.failures`, settings.failures, true);
      positive(`${at}.windowSeconds`, settings.windowSeconds);
      positive(`${at}.coolDownSeconds`, settings.coolDownSeconds);
      if (settings.per !== 'tool' && settings.per !== 'target') throw new Error(`${at}.per must be "tool" or "target"`);
      return settings;
    }),
    limits: mapTools(limits, 'limits', (at, value) => {
      knownKeys(at, value, LIMIT_KEYS);
      const { perSecond, concurrency, key = '{{tool}}' } = value as LimitSettings;
      if (perSecond === undefined && concurrency === undefined)
        throw new Error(`${at} must set perSecond, concurrency or both`);
      if (perSecond !== undefined) positive(`${at}.perSecond`, perSecond);
      if (concurrency !== undefined) positive(`${at}.concurrency`, concurrency, true);
      if (typeof key !== 'string' || key === '') throw new Error(`${at}.key must be a template such as "{{tool}}"`);
      return {
        key,
        ...(perSecond === undefined ? {} : { perSecond }),
        ...(concurrency === undefined ? {} : { concurrency }),
      };
    }),
  };
}

function mapTools<T>(
  value: unknown,
  name: string,
  check: (at: string, settings: Record<string, unknown>) => T,
): Record<string, T> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error(`"${name}" must be an object of settings by tool name`);
  return Object.fromEntries(
    Object.entries(value).map(([tool, settings]) => {
      const at = `${name}.${tool}`;
      if (!isRecord(settings)) throw new Error(`${at} must be an object`);
      return [tool, check(at, settings)];
    }),
  );
}

function knownKeys(at: string, value: Record<string, unknown>, known: string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closestName(key, known);
    throw new Error(
      `${at}: unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; known: ${known.join(', ')}`,
    );
  }
}

function positive(at: string, value: unknown, integer = false): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value)))
    throw new Error(`${at} must be a positive ${integer ? 'whole number' : 'number'}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
