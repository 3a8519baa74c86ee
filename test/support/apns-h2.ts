// A bare HTTP/2 client for speaking to the APNs simulator without @parse/node-apn, so that
// protocol tests see exactly what goes on the wire.
import http2 from 'node:http2';
import type { PemPair } from './apns-certs.js';

export interface H2Answer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

export interface H2Request {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export class H2Client {
  private readonly session: http2.ClientHttp2Session;

  /** `client` undefined: connect without a client certificate. */
  constructor(url: string, serverCaPem: string, client: PemPair | undefined) {
    this.session = http2.connect(url, {
      ca: serverCaPem,
      ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
    });
    this.session.on('error', () => undefined);
  }

  request(req: H2Request): Promise<H2Answer> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({ ':method': req.method ?? 'POST', ':path': req.path, ...req.headers });
      let headers: http2.IncomingHttpHeaders = {};
      let body = '';
      stream.setEncoding('utf8');
      stream.on('response', (h) => (headers = h));
      stream.on('data', (c: string) => (body += c));
      stream.on('end', () => resolve({ status: Number(headers[':status']), headers, body }));
      stream.on('error', reject);
      // Node ends GET and HEAD streams itself (no body).
      if (!stream.writableEnded) stream.end(req.body);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}
