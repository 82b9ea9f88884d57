import { ApplicationFailure } from '@temporalio/activity';
import { HTTP_REDIRECT_ERROR } from '../../plan/error-types';
import type { OutboundPolicy } from './outbound-policy';
import { pinnedRequest, type PinnedInit } from './pinned-request';

/** Redirects followed before giving up; fetch follows 20, a tool has no use for that many. */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Browsers drop Authorization on a cross-origin redirect; cookies and proxy credentials are no less personal.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export interface OutboundInit extends PinnedInit {
  /** Headers holding credentials for the first origin only: not sent on after a redirect to another origin. */
  secretHeaderNames: readonly string[];
}

/**
 * A request made on a plan's behalf: every hop's destination passes the outbound policy and is connected to as
 * checked; redirects are followed by hand, at most MAX_REDIRECTS, and credentials stay with their origin.
 */
export async function outboundFetch(policy: OutboundPolicy, url: string, init: OutboundInit): Promise<Response> {
  let target = new URL(url);
  let hop: PinnedInit = {
    method: init.method,
    headers: new Headers(init.headers),
    body: init.body,
    signal: init.signal,
  };
  for (let redirects = 0; ; redirects++) {
    const response = await pinnedRequest(target, hop, await policy.destination(target));
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return response;
    await response.body?.cancel();
    if (redirects === MAX_REDIRECTS)
      throw redirectFailure(`more than ${MAX_REDIRECTS} redirects, the last to ${location}`);
    const next = nextUrl(target, location);
    const dropped = target.origin === next.origin ? [] : [...CREDENTIAL_HEADERS, ...init.secretHeaderNames];
    hop = redirected(hop, response.status, dropped);
    target = next;
  }
}

function nextUrl(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw redirectFailure(`a redirect to "${location}", which is not a URL`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    throw redirectFailure(`a redirect to ${next.protocol} URL; only http and https are followed`);
  if (next.username || next.password) throw redirectFailure('a redirect to a URL with credentials in it');
  return next;
}

/** The next hop's request, as fetch makes it: 303 (and 301/302 after a POST) become a GET without body. */
function redirected(hop: PinnedInit, status: number, dropped: readonly string[]): PinnedInit {
  const headers = new Headers(hop.headers);
  for (const name of dropped) headers.delete(name);
  const toGet =
    (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST');
  if (!toGet) return { ...hop, headers };
  for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'])
    headers.delete(name);
  return { method: 'GET', headers, signal: hop.signal };
}

function redirectFailure(what: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`http_request stopped at ${what}`, HTTP_REDIRECT_ERROR);
}
