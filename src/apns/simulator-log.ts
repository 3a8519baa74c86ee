// The APNs simulator's log of recent requests (`recentRequests()`, `GET /control/requests`):
// a ring of the last `size` requests as received. The header record of an entry is built when
// the log is read, not per request, since the server's in-process APNs logs every push.

export interface SeenRequest {
  method: string;
  path: string;
  /** Regular (non-pseudo) headers, lower-case names. */
  headers: Record<string, string>;
  status: number;
  reason?: string;
  apnsId: string;
}

interface Entry {
  method: string;
  path: string;
  /** Node's flat name/value pairs, pseudo-headers included. */
  rawHeaders: string[];
  status: number;
  apnsId: string;
  reason: string | undefined;
}

export class RequestLog {
  private readonly ring: Array<Entry | undefined>;
  private next = 0;
  private count = 0;

  constructor(private readonly size: number) {
    this.ring = new Array<Entry | undefined>(Math.max(0, size));
  }

  add(method: string, path: string, rawHeaders: string[], status: number, apnsId: string, reason: string | undefined): void {
    if (this.size <= 0) return;
    this.ring[this.next] = { method, path, rawHeaders, status, apnsId, reason };
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count++;
  }

  /** Oldest first. */
  entries(): SeenRequest[] {
    const out: SeenRequest[] = [];
    const first = (this.next - this.count + this.size) % this.size;
    for (let k = 0; k < this.count; k++) {
      const e = this.ring[(first + k) % this.size]!;
      const headers: Record<string, string> = {};
      for (let i = 0; i + 1 < e.rawHeaders.length; i += 2) {
        const name = e.rawHeaders[i]!.toLowerCase();
        if (!name.startsWith(':')) headers[name] = e.rawHeaders[i + 1]!;
      }
      out.push({ method: e.method, path: e.path, headers, status: e.status, apnsId: e.apnsId, ...(e.reason === undefined ? {} : { reason: e.reason }) });
    }
    return out;
  }
}
