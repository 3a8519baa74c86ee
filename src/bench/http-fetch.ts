// A lean `fetch` for the benchmark's simulated devices: plain HTTP/1.1 over node:http with a
// keep-alive agent, answering a standard Response. The requests on the wire are the same as
// undici's fetch sends (method, headers, body, Content-Length); what is saved is fetch's own
// machinery (WHATWG streams, request/response cloning), which cost the enrolment workers about
// a sixth of their CPU on the cores the server under test shares.
import http from 'node:http';
import type { FetchImpl } from '../sim/scep-client.js';

function headerRecord(h: RequestInit['headers']): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return { ...(h as Record<string, string>) };
}

function bodyBuffer(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('httpFetch: unsupported body type');
}

/** A FetchImpl over `agent` (http: URLs only; redirects are not followed, none are expected). */
export function httpFetch(agent = new http.Agent({ keepAlive: true })): FetchImpl {
  const impl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    // A Request (the typed admin client, openapi-fetch, sends one): its URL, method, headers and body.
    if (input instanceof Request) {
      const body = input.body ? await input.arrayBuffer() : undefined;
      return impl(input.url, { method: input.method, headers: input.headers, ...(body ? { body } : {}) });
    }
    const url = typeof input === 'string' ? new URL(input) : input;
    if (url.protocol !== 'http:') throw new TypeError(`httpFetch: ${url.protocol} is not supported`);
    const headers = headerRecord(init.headers);
    const body = bodyBuffer(init.body);
    if (body && typeof init.body === 'string' && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'text/plain;charset=UTF-8'; // as fetch labels a string body
    }
    if (body && init.body instanceof URLSearchParams && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    }
    if (body) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) h.append(k, x);
            else if (v !== undefined) h.set(k, v);
          }
          const status = res.statusCode ?? 0;
          // A null-body status (204, 304) takes no body in a Response.
          const data = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(data, { status, statusText: res.statusMessage, headers: h }));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  return impl as FetchImpl;
}
