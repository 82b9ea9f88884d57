/**
 * Temporal's codec-server protocol over HTTP, so an authorised person reads encrypted plans in Temporal Web and with
 * `temporal workflow show --codec-endpoint`: POST /encode and /decode take and return `{ "payloads": [...] }`, each
 * payload in proto3 JSON (metadata values and data in base64). The Web UI calls it from the browser, hence CORS.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Origins allowed to call from a browser (the Web UI's, e.g. http://localhost:8233). */
  corsOrigins: readonly string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token: string | null;
  port: number;
  /** Default 127.0.0.1; anything else needs a token, since whoever reaches the server can decrypt. */
  host?: string;
}

export interface RunningCodecServer {
  /** Base URL, e.g. http://127.0.0.1:8081, for `--codec-endpoint` and the UI. */
  url: string;
  close(): Promise<void>;
}

/** Where `plan codec-server` and `npm start` listen unless PLAN_CODEC_PORT or --port says otherwise. */
export const DEFAULT_CODEC_PORT = 8888;

/**
 * The browser origins of a Web UI address (none when it is unknown); localhost and 127.0.0.1 are the same machine
 * under two names.
 */
export function browserOrigins(webUiUrl: string | null): string[] {
  if (webUiUrl === null) return [];
  const url = new URL(webUiUrl);
  const origins = [url.origin];
  const other = { localhost: '127.0.0.1', '127.0.0.1': 'localhost' }[url.hostname];
  if (other !== undefined) origins.push(url.origin.replace(url.hostname, other));
  return origins;
}

/** Payloads are at most a few MB each in Temporal; a request far larger is refused before it is read whole. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts the codec server; resolves once it listens. */
export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host) && options.token === null) {
    throw new Error(`the codec server decrypts for whoever reaches it: set PLAN_CODEC_TOKEN to listen on ${host}`);
  }
  const server = createServer((request, response) => {
    handle(options, request, response).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      respond(response, status, { error: message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: () => closeServer(server) };
}

async function handle(options: CodecServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  allowOrigin(options.corsOrigins, request, response);
  // A preflight carries no credentials; it only asks which headers the real request may send.
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    response.setHeader('Access-Control-Max-Age', '600');
    response.writeHead(204).end();
    return;
  }
  const path = new URL(request.url ?? '/', 'http://codec').pathname.replace(/\/+$/, '');
  if (path !== '/encode' && path !== '/decode')
    throw new HttpError(404, 'the codec server answers POST /encode and /decode');
  if (request.method !== 'POST') throw new HttpError(405, `${path} takes POST`);
  if (options.token !== null && !authorised(request.headers.authorization, options.token)) {
    throw new HttpError(401, 'missing or wrong bearer token (Authorization: Bearer <PLAN_CODEC_TOKEN>)');
  }
  const payloads = readPayloads(await readBody(request));
  let done: Payload[];
  try {
    done = await (path === '/encode' ? options.codec.encode(payloads) : options.codec.decode(payloads));
  } catch (err) {
    throw new HttpError(400, (err as Error).message);
  }
  respond(response, 200, { payloads: done.map(toJson) });
}

function allowOrigin(origins: readonly string[], request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  if (origin === undefined || !origins.includes(origin)) return;
  response.setHeader('Access-Control-Allow-Origin', origin);
  // The Web UI sends the user's credentials when "include cross-origin credentials" is on.
  response.setHeader('Access-Control-Allow-Credentials', 'true');
  response.setHeader('Vary', 'Origin');
}

function authorised(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readPayloads(body: string): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'the body must be JSON: {"payloads": [...]}');
  }
  const list = (parsed as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new HttpError(400, 'the body must be JSON: {"payloads": [...]}');
  return list.map((item: unknown, i) => fromJson(item, i));
}

function fromJson(item: unknown, index: number): Payload {
  const bad = () => new HttpError(400, `payloads[${index}] is not a payload: {"metadata": {...}, "data": "<base64>"}`);
  if (item === null || typeof item !== 'object') throw bad();
  const { metadata, data } = item as JsonPayload;
  if (data !== undefined && typeof data !== 'string') throw bad();
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object')) throw bad();
  const entries = Object.entries(metadata ?? {});
  if (entries.some(([, value]) => typeof value !== 'string')) throw bad();
  return {
    metadata: Object.fromEntries(entries.map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
