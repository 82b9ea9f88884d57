import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { HTTP_DESTINATION_DENIED } from '../../plan/error-types';
import { deniedRange } from './denied-addresses';

interface AllowEntry {
  host: string;
  /** Null: any port. */
  port: number | null;
}

/**
 * Where requests made on a plan's behalf may go: anywhere public, plus the hosts the operator allows
 * (PLAN_HTTP_ALLOW); never, otherwise, to an internal address. Every outbound request of a tool passes `destination`
 * for every hop; the configured model server (OPENAI_BASE_URL) is the operator's own choice and does not.
 */
export class OutboundPolicy {
  private readonly allowed: AllowEntry[];

  /** `allow`: `host[:port]` entries (`[::1]:8080` for IPv6); throws on a malformed one, so a worker never starts. */
  constructor(allow: readonly string[]) {
    this.allowed = allow.map(allowEntry);
  }

  /**
   * The addresses a request to `url` must connect to — resolved once and checked here, so the connection cannot be
   * sent elsewhere by a second DNS answer — or null for a host the operator allows (the system resolver decides).
   * Throws HttpDestinationDenied when any address is internal; DNS errors are thrown as they come.
   */
  async destination(url: URL): Promise<LookupAddress[] | null> {
    if (this.allows(url)) return null;
    const host = bare(url.hostname);
    const literal = isIP(host);
    const addresses = literal
      ? [{ address: host, family: literal }]
      : await lookup(host, { all: true, verbatim: true });
    for (const { address } of addresses) {
      const range = deniedRange(address);
      if (range === null) continue;
      // A hostname's resolved addresses stay unnamed: the message must not map the worker's internal DNS for a plan.
      const what = literal ? `${address} is a ${range} address` : `${host} resolves to a ${range} address`;
      throw ApplicationFailure.nonRetryable(
        `${url.origin} is not reachable from plans: ${what}. An operator can open it with ` +
          `PLAN_HTTP_ALLOW=${url.host} on the worker`,
        HTTP_DESTINATION_DENIED,
      );
    }
    return addresses;
  }

  private allows(url: URL): boolean {
    const host = normalHost(url.hostname);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return this.allowed.some((entry) => entry.host === host && (entry.port === null || entry.port === port));
  }
}

function allowEntry(entry: string): AllowEntry {
  const match = /^(\[[0-9a-f:.]+\]|[^:/[\]@\s]+)(?::(\d{1,5}))?$/i.exec(entry);
  const port = match?.[2] === undefined ? null : Number(match[2]);
  let host: string | null = null;
  try {
    // The URL parser writes hosts the way request URLs will have them: lower case, 127.1 as 127.0.0.1, IPv6 short.
    if (match) host = normalHost(new URL(`http://${match[1]}`).hostname);
  } catch {
    host = null;
  }
  if (host === null || port === 0 || (port !== null && port > 65535))
    throw new Error(`PLAN_HTTP_ALLOW: "${entry}" is not host[:port] (e.g. api.internal:8443, 10.0.0.5, [fd00::1]:80)`);
  return { host, port };
}

function normalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

/** An IPv6 hostname without the brackets a URL puts around it. */
function bare(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}
