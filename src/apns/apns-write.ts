// One push through @parse/node-apn's client, with the request already built. node-apn's
// `Provider.send(notification, recipients)` makes, for every call, the notification's header
// object and JSON (`Notification.headers()`, `compile()`), a recipients array and a
// `Promise.allSettled` over it, then calls its client's `write(built, token, 'device', 'post')`;
// an MDM push has one recipient and its own payload, so the sender calls that client directly
// with headers it built once per batch. The client (node-apn 8.x lib/client.js, or the round-robin
// lib/multiclient.js behind MultiProvider) still owns the HTTP/2 session, the request, the
// timeout and the reading of APNs' answer; its results are read as Provider.send reads them.
// package.json pins node-apn to 8.1.x (~8.1.0), as `client` is not part of its typed API.
import apn from '@parse/node-apn';

/** What node-apn hands back for one recipient (its typings call timestamp a string). */
export interface NodeApnResult {
  status?: number | string;
  'apns-id'?: string;
  response?: { reason?: string; timestamp?: number | string };
  error?: Error;
}

/** A request as node-apn's client takes it: `apns-*` headers and the JSON body. */
export interface BuiltPush {
  headers: Record<string, string | number>;
  body: string;
}

interface NodeApnClient {
  write(built: BuiltPush, token: string, type: 'device', method: 'post'): Promise<NodeApnResult>;
  /** Closes every connection (MultiClient: each client in turn). */
  shutdown(): Promise<void>;
}

export interface ApnsWriter {
  /** `ok` as Provider.send's `sent`, else its `failed` entry. */
  write(built: BuiltPush, token: string): Promise<{ ok: boolean; result: NodeApnResult }>;
  shutdown(): Promise<void>;
}

export type ApnsWriterOptions = apn.MultiProviderOptions;

export function createApnsWriter(options: ApnsWriterOptions): ApnsWriter {
  const provider = new apn.MultiProvider(options);
  const client = (provider as unknown as { client?: NodeApnClient }).client;
  if (!client || typeof client.write !== 'function') {
    throw new Error('@parse/node-apn: MultiProvider has no client.write (the sender is written against node-apn 8.x)');
  }
  return {
    // Provider.send: a fulfilled write carrying `status` or `error` counts as failed; a rejected
    // one hands back its reason (an object with `status`/`response` or `error`).
    write: (built, token) =>
      client.write(built, token, 'device', 'post').then(
        (result) => ({ ok: result.status === undefined && result.error === undefined, result }),
        (reason: unknown) => ({ ok: false, result: (reason ?? {}) as NodeApnResult }),
      ),
    // Provider.shutdown returns nothing to wait for; the client's own shutdown is a promise.
    shutdown: () => client.shutdown(),
  };
}
