// The one rule for "this channel can be pushed": APNs needs the channel's token and PushMagic,
// only an enrolled channel is woken, and after APNs' 410 Unregistered no push goes to the token
// until a later TokenUpdate clears the mark (Apple: "Handling notification responses from APNs").
// Queueing a command (which channels to wake) and the push service (which to skip, and why) both
// ask here; the store only reads the facts.
import type { EnrollmentState, PushTarget } from '../store/enrollments.js';

/** The facts the rule reads, as both the enqueue view and the push channel carry them. */
export interface PushFacts {
  state: EnrollmentState | string;
  topic?: string;
  /** Both a token and a PushMagic are stored; the rule reads this, never the sealed values. */
  hasPushToken: boolean;
  pushToken?: string;
  pushMagic?: string;
  /** Set (a Date, or its stored text) once APNs answered 410 Unregistered for the token. */
  unregisteredAt?: Date | string;
}

export type PushBlock = 'not_enrolled' | 'no_token' | 'unregistered';

/** Why the channel cannot be pushed, or undefined when it can. */
export function pushBlock(c: PushFacts): PushBlock | undefined {
  if (c.state !== 'enrolled') return 'not_enrolled';
  if (!c.hasPushToken) return 'no_token';
  if (c.unregisteredAt) return 'unregistered';
  return undefined;
}

/** The push target of a channel that can be pushed, or undefined. */
export function pushTargetOf(c: PushFacts & { id: string }): PushTarget | undefined {
  if (pushBlock(c)) return undefined;
  // The token and magic are read when the push is built, not here: a sealed store opens them then.
  return { enrollmentId: c.id, topic: c.topic ?? '', get pushToken() { return c.pushToken!; }, get pushMagic() { return c.pushMagic!; } };
}

/** The push targets among `channels`, in order. */
export function pushTargetsOf(channels: Iterable<PushFacts & { id: string }>): PushTarget[] {
  const out: PushTarget[] = [];
  for (const c of channels) {
    const t = pushTargetOf(c);
    if (t) out.push(t);
  }
  return out;
}
