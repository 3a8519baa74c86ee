// A simulated device's APNs side: it holds its connection to the local APNs (the device channel)
// with its push token and topic, and on each MDM push whose `mdm` value is its PushMagic it runs
// the MDM connect loop until the server has nothing left, as a device does
// (developer.apple.com/documentation/devicemanagement/sending-mdm-commands-to-a-device).
// It never polls: without a push, the device does not connect.
import { connectDeviceChannel, type DeviceChannel } from '../apns/device-channel.js';
import type { ConnectSummary, MdmClient } from './mdm-client.js';

export interface PushListenerOptions {
  client: MdmClient;
  /** The local APNs' device channel base URL (RunningOrchard.apnsDeviceUrl, GET /api/v1/apns). */
  deviceChannelUrl: string;
  /** The topic of the enrolment profile (the MDM push certificate's). */
  topic: string;
  /** Answers NotNow for these request types (a locked device). */
  notNow?: (requestType: string) => boolean;
  /** Each push as it arrives; `ours` is false when its PushMagic is another device's (ignored). */
  onPush?(ours: boolean, apnsId: string | undefined): void;
  onWake?(summary: ConnectSummary): void;
  onError?(err: unknown): void;
  onUnregistered?(timestampMs: number | undefined): void;
}

export interface PushListener {
  /** Resolves once the local APNs has registered the token. */
  readonly ready: Promise<void>;
  /** Pushes received with this device's PushMagic. */
  readonly pushes: number;
  /** Pushes received with another PushMagic (ignored). */
  readonly ignored: number;
  /** One summary per connect loop run. */
  readonly wakes: ConnectSummary[];
  /**
   * Resolves with the first connect loop, from wake number `from` on (default 0: any, past or
   * future), that satisfies `match`.
   */
  waitForWake(match?: (s: ConnectSummary) => boolean, from?: number): Promise<ConnectSummary>;
  close(): void;
}

export function listenForPushes(o: PushListenerOptions): PushListener {
  const wakes: ConnectSummary[] = [];
  const waiters: Array<{ match: (s: ConnectSummary) => boolean; resolve: (s: ConnectSummary) => void }> = [];
  let pushes = 0;
  let ignored = 0;
  let running = false;
  let again = false;

  const finished = (s: ConnectSummary) => {
    wakes.push(s);
    o.onWake?.(s);
    for (let i = 0; i < waiters.length; i++) {
      if (waiters[i]!.match(s)) {
        waiters.splice(i--, 1)[0]!.resolve(s);
      }
    }
  };

  // One connect loop at a time; a push during a loop runs one more afterwards (pushes coalesce).
  const wake = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        try {
          finished(await o.client.connectLoop({ notNow: o.notNow }));
        } catch (err) {
          o.onError?.(err);
        }
      } while (again);
    } finally {
      running = false;
    }
  };

  const channel: DeviceChannel = connectDeviceChannel({
    url: o.deviceChannelUrl,
    token: o.client.pushToken.toString('hex'),
    topic: o.topic,
    onPush: (payload, meta) => {
      const magic = (payload as { mdm?: unknown } | null)?.mdm;
      const ours = magic === o.client.pushMagic;
      o.onPush?.(ours, meta.apnsId);
      if (!ours) {
        ignored++;
        return;
      }
      pushes++;
      void wake();
    },
    onUnregistered: (ts) => o.onUnregistered?.(ts),
  });

  return {
    ready: channel.ready,
    get pushes() {
      return pushes;
    },
    get ignored() {
      return ignored;
    },
    wakes,
    waitForWake: (match = () => true, from = 0) => {
      const past = wakes.slice(from).find(match);
      return past ? Promise.resolve(past) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () => channel.close(),
  };
}
