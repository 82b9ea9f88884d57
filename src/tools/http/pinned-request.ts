import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

export interface PinnedInit {
  method: string;
  headers: Headers;
  body?: string;
  signal: AbortSignal;
}

// Statuses whose Response has no body by definition (the Response constructor refuses one).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * One HTTP exchange, without following redirects, connecting only to `addresses` when given (the ones the outbound
 * policy checked), whatever DNS would say now. node:http rather than fetch, whose resolver cannot be pinned without
 * a dependency. The answer is a web Response, its body streamed.
 */
export function pinnedRequest(url: URL, init: PinnedInit, addresses: LookupAddress[] | null): Promise<Response> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: init.method,
      headers: Object.fromEntries(init.headers),
      signal: init.signal,
      lookup: addresses ? pinnedLookup(addresses) : undefined,
      // A connection of its own: a pooled socket would carry one hop's checked address over to another's request.
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      try {
        resolve(webResponse(res, init.method));
      } catch (err) {
        res.destroy();
        reject(err as Error);
      }
    });
    req.end(init.body);
  });
}

/** A resolver that answers with the checked addresses; `all` is asked for when Node tries several (happy eyeballs). */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    if (options.all) return (callback as (err: null, all: LookupAddress[]) => void)(null, addresses);
    callback(null, first.address, first.family);
  };
}

function webResponse(res: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`the server answered with status ${status}`);
  const empty = NULL_BODY.has(status) || method === 'HEAD';
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage, headers });
}
