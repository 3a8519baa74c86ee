// The simulator's device side: which topic each token belongs to, which tokens APNs considers
// dead, which simulated devices are online, and the one push kept for each offline device.
// "Sending notification requests to APNs": APNs stores only one notification per app (topic) for
// an offline device, normally the latest, for at most 30 days or until `apns-expiration`; an
// expiration of 0 means deliver now or never.

/** One push as the device receives it. `payload` is the JSON text the provider sent. */
export interface DevicePush {
  apnsId: string;
  topic: string;
  payload: string;
}

/** An online device's channel (the simulator writes one event per push). */
export interface DeviceSink {
  send(push: DevicePush): void;
  /** The token was declared dead: tell the device and hang up. */
  unregister(timestampMs: number): void;
  /** Drop the connection, as a network change would; the device reconnects on its own. */
  hangUp(): void;
}

interface StoredPush extends DevicePush {
  /** Epoch ms after which the push is discarded. */
  discardAfterMs: number;
}

const MAX_STORE_MS = 30 * 24 * 3600 * 1000;

export type DeliveryResult = 'delivered' | 'stored' | 'dropped';

export class DeviceRegistry {
  private readonly topics = new Map<string, string>();
  private readonly unregistered = new Map<string, number>();
  private readonly stored = new Map<string, StoredPush>();
  private readonly online = new Map<string, DeviceSink>();
  /** Pushes written to a device channel, live or on reconnect. */
  delivered = 0;

  constructor(private readonly now: () => Date) {}

  /** The topic a device registered this token under, if any device ever connected with it. */
  topicOf(token: string): string | undefined {
    return this.topics.get(token.toLowerCase());
  }

  /** When the token was declared unregistered (ms since the epoch), if it was. */
  unregisteredAt(token: string): number | undefined {
    return this.unregistered.get(token.toLowerCase());
  }

  /** Declare a token dead, as when the app (here: the MDM profile) is removed. */
  markUnregistered(token: string, at: Date): void {
    const t = token.toLowerCase();
    const ms = at.getTime();
    this.unregistered.set(t, ms);
    this.stored.delete(t);
    const sink = this.online.get(t);
    this.online.delete(t);
    sink?.unregister(ms);
  }

  /** Undo `markUnregistered`, as when the device re-enrols and reports the token again. */
  clearUnregistered(token: string): void {
    this.unregistered.delete(token.toLowerCase());
  }

  /**
   * A device came online for `topic`. Registers the token to the topic, replaces any earlier
   * channel for the token, and hands over the stored push if it is for this topic and unexpired.
   * Returns the unregistration timestamp instead when the token is dead.
   */
  connect(token: string, topic: string, sink: DeviceSink): { unregisteredAt: number } | undefined {
    const t = token.toLowerCase();
    const dead = this.unregistered.get(t);
    if (dead !== undefined) return { unregisteredAt: dead };
    this.topics.set(t, topic);
    this.online.set(t, sink);
    const held = this.stored.get(t);
    this.stored.delete(t);
    if (held && held.topic === topic && held.discardAfterMs >= this.now().getTime()) {
      this.delivered++;
      sink.send({ apnsId: held.apnsId, topic: held.topic, payload: held.payload });
    }
    return undefined;
  }

  /** The device's channel closed; only forget it if it is still the current one. */
  disconnect(token: string, sink: DeviceSink): void {
    const t = token.toLowerCase();
    if (this.online.get(t) === sink) this.online.delete(t);
  }

  /** Knock an online device off its channel; pushes are stored until it reconnects. */
  dropDevice(token: string): boolean {
    const t = token.toLowerCase();
    const sink = this.online.get(t);
    this.online.delete(t);
    sink?.hangUp();
    return sink !== undefined;
  }

  isOnline(token: string): boolean {
    return this.online.has(token.toLowerCase());
  }

  /**
   * Hand an accepted push to the device, or keep it (replacing any older one) until the device
   * connects. `expiration` is the `apns-expiration` header in epoch seconds, if sent.
   */
  deliver(token: string, push: DevicePush, expiration: number | undefined): DeliveryResult {
    const t = token.toLowerCase();
    const sink = this.online.get(t);
    if (sink) {
      this.delivered++;
      sink.send(push);
      return 'delivered';
    }
    if (expiration === 0) return 'dropped';
    const nowMs = this.now().getTime();
    const cap = nowMs + MAX_STORE_MS;
    const discardAfterMs = expiration === undefined ? cap : Math.min(cap, expiration * 1000);
    if (discardAfterMs < nowMs) return 'dropped';
    this.stored.set(t, { apnsId: push.apnsId, topic: push.topic, payload: push.payload, discardAfterMs });
    return 'stored';
  }

  /** The push held for an offline device, if any (for tests and the control API). */
  storedFor(token: string): DevicePush | undefined {
    const held = this.stored.get(token.toLowerCase());
    return held && { apnsId: held.apnsId, topic: held.topic, payload: held.payload };
  }
}
