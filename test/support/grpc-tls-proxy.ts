/**
 * A TLS front for the suite's Temporal dev server, standing in for a secured cluster or Temporal Cloud: it requires a
 * client certificate of its authority (mTLS) and `authorization: Bearer <apiKey>` on every call, and forwards the gRPC
 * calls it accepts to the dev server in clear.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TestCertificates } from './test-certificates';

export class GrpcTlsProxy {
  /** gRPC calls forwarded, and refused for a wrong or missing key. */
  forwarded = 0;
  refused = 0;

  private constructor(
    private readonly server: http2.Http2SecureServer,
    private readonly upstream: http2.ClientHttp2Session,
    private readonly sessions: Set<http2.ServerHttp2Session>,
  ) {}

  static async start(options: {
    upstream: string;
    certificates: TestCertificates;
    apiKey: string;
  }): Promise<GrpcTlsProxy> {
    const { certificates: c } = options;
    const server = http2.createSecureServer({
      key: c.read(c.serverKey),
      cert: c.read(c.serverCert),
      ca: c.read(c.caCert),
      requestCert: true,
      rejectUnauthorized: true,
    });
    const upstream = http2.connect(`http://${options.upstream}`);
    upstream.on('error', () => undefined);
    const sessions = new Set<http2.ServerHttp2Session>();
    const proxy = new GrpcTlsProxy(server, upstream, sessions);
    server.on('session', (session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
      session.on('error', () => undefined);
    });
    server.on('stream', (stream, headers) => proxy.forward(stream, headers, options.apiKey));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private forward(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, apiKey: string): void {
    stream.on('error', () => undefined);
    if (headers.authorization !== `Bearer ${apiKey}`) {
      this.refused++;
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'invalid API key' },
        { endStream: true },
      );
      return;
    }
    this.forwarded++;
    const outgoing: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!name.startsWith(':') || name === ':method' || name === ':path') outgoing[name] = value;
    }
    const request = this.upstream.request(outgoing);
    request.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('close', () => request.close());
    let trailers: http2.IncomingHttpHeaders = {};
    request.on('trailers', (received) => (trailers = received));
    request.on('response', (responseHeaders, flags) => {
      const ended = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
      stream.respond(responseHeaders, ended ? { endStream: true } : { waitForTrailers: true });
      if (!ended) {
        stream.on('wantTrailers', () => stream.sendTrailers(trailers));
        request.pipe(stream);
      }
    });
    stream.pipe(request);
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    this.upstream.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
