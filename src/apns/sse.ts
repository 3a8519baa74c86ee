// Server-sent events (WHATWG HTML, "Server-sent events", the `text/event-stream` format) as the
// APNs simulator's device channels use them: the writer's framing and an incremental reader of
// the fields we send (event, id, data, comments).

export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/** One event; every line of the data gets its own `data:` field, as EventSource rejoins them. */
export function sseEvent(event: string, data: string, id?: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`).join('');
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}${lines}\n`;
}

/** Incremental parser: feed it chunks as they arrive, it emits each complete event. */
export class SseParser {
  private buffer = '';
  private event = 'message';
  private id: string | undefined;
  private data: string[] = [];

  feed(text: string, emit: (e: SseEvent) => void): void {
    this.buffer += text;
    // A scan from a moving index: a stream that delivers thousands of events in one chunk
    // must not be re-sliced line by line.
    const eol = /\r\n|\r|\n/g;
    let start = 0;
    let m: RegExpExecArray | null;
    while ((m = eol.exec(this.buffer)) !== null) {
      // A lone CR at the end of a chunk may be the first half of a CRLF: wait for more.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, m.index), emit);
      start = m.index + m[0].length;
    }
    this.buffer = this.buffer.slice(start);
  }

  private line(line: string, emit: (e: SseEvent) => void): void {
    if (line === '') {
      if (this.data.length > 0) emit({ event: this.event, id: this.id, data: this.data.join('\n') });
      this.event = 'message';
      this.id = undefined;
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    else if (field === 'data') this.data.push(value);
  }
}
