// One APNs sender per organisation (and topic), built from its push certificate and rebuilt when
// the certificate changes (renewal, re-upload). Each sender holds `endpoint.connections` HTTP/2
// connections (ORCHARD_APNS_CONNECTIONS).
import type { RetryPolicy } from '../apns/backoff.js';
import { createPushSender, type PushSender, type PushSenderOptions } from '../apns/sender.js';
import type { Clock } from '../clock.js';
import type { PushIdentity } from './push-certificates.js';

/** Where pushes go: Apple (production/sandbox), or any address (the local APNs). */
export interface PushEndpoint {
  /** Apple's production host when true, else the sandbox host; see `address`. */
  production: boolean;
  /** Overrides Apple's host (e.g. 127.0.0.1 for the local APNs). */
  address?: string;
  port?: number;
  /** Extra trust anchor for the APNs server's TLS certificate (the local APNs is issued by Orchard's CA). */
  caPem?: string;
  /** HTTP/2 connections per sender; the sender's default when absent. */
  connections?: number;
}

export type SenderFactory = (opts: PushSenderOptions) => PushSender;

interface Entry {
  /** The installation the senders were built from. */
  key: string;
  byTopic: Map<string, PushSender>;
}

export class PushSenderPool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private endpoint: PushEndpoint | undefined,
    private readonly clock: Clock,
    private readonly factory: SenderFactory = createPushSender,
    private readonly retry?: RetryPolicy,
  ) {}

  get configured(): boolean {
    return this.endpoint !== undefined;
  }

  /** Points every later push at another endpoint; open connections are closed. */
  async setEndpoint(endpoint: PushEndpoint | undefined): Promise<void> {
    this.endpoint = endpoint;
    await this.closeAll();
  }

  /**
   * The sender for `orgId` pushing with `apns-topic: topic` under `identity`. The topic is the
   * channel's (what it registered with); for every device enrolled with this certificate it is
   * the certificate's own, and APNs refuses any other (BadTopic), as it should.
   */
  async get(orgId: string, identity: PushIdentity, topic: string): Promise<PushSender> {
    const endpoint = this.endpoint;
    if (!endpoint) throw new Error('APNs is not configured');
    const key = `${identity.serialNumber}|${identity.uploadedAt.toISOString()}`;
    let entry = this.entries.get(orgId);
    if (entry && entry.key !== key) {
      await Promise.all([...entry.byTopic.values()].map((s) => s.shutdown().catch(() => undefined)));
      entry = undefined;
    }
    if (!entry) {
      entry = { key, byTopic: new Map() };
      this.entries.set(orgId, entry);
    }
    let sender = entry.byTopic.get(topic);
    if (!sender) {
      sender = this.factory({
        certPem: identity.certPem, keyPem: identity.keyPem, topic, production: endpoint.production, clock: this.clock,
        ...(endpoint.address === undefined ? {} : { address: endpoint.address }),
        ...(endpoint.port === undefined ? {} : { port: endpoint.port }),
        ...(endpoint.caPem === undefined ? {} : { caPem: endpoint.caPem }),
        ...(endpoint.connections === undefined ? {} : { connections: endpoint.connections }),
        ...(this.retry ? { retry: this.retry } : {}),
      });
      entry.byTopic.set(topic, sender);
    }
    return sender;
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()].flatMap((e) => [...e.byTopic.values()]);
    this.entries.clear();
    await Promise.all(all.map((s) => s.shutdown().catch(() => undefined)));
  }
}
