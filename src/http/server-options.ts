// The Node HTTP server options both ports run with: header and whole-request timeouts from the
// config (src/config.ts Limits), so a client that trickles its headers or its body is answered
// 408 and closed by Node itself. Node checks these deadlines every `connectionsCheckingInterval`
// (30 s by default, which would let a trickle live up to the timeout plus 30 s): a quarter of
// the header timeout keeps the overshoot small at the cost of one timer per server.
import type { ServerOptions } from 'node:http';
import type { Limits } from '../config.js';

export function serverOptions(limits: Limits): ServerOptions {
  return {
    keepAliveTimeout: 65_000,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}
