/**
 * A server-sent events client for tests: opens `url` with fetch (cookie auth), parses the events
 * as they arrive and lets a test wait for the next one of a type.
 */
export interface SseEvent {
  event: string;
  data: string;
  at: number;
}

export class SseReader {
  readonly events: SseEvent[] = [];
  private waiters: { from: number; event: string; resolve: (e: SseEvent) => void }[] = [];
  private readonly controller = new AbortController();
  status = 0;
  ended = false;

  static async open(url: string, headers: Record<string, string>): Promise<SseReader> {
    const reader = new SseReader();
    const res = await fetch(url, { headers, signal: reader.controller.signal });
    reader.status = res.status;
    if (res.ok && res.body) void reader.pump(res.body);
    else reader.body = await res.text();
    return reader;
  }

  body = '';

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (data.length === 0) continue;
          const e = { event, data: data.join('\n'), at: performance.now() };
          this.events.push(e);
          this.waiters = this.waiters.filter((w) => {
            const hit = w.event === event && this.count(event) > w.from;
            if (hit) w.resolve(e);
            return !hit;
          });
        }
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
    }
  }

  count(event: string): number {
    return this.events.filter((e) => e.event === event).length;
  }

  /** The `n`-th event of a type (1-based), waiting for it up to `timeoutMs`. */
  nth(event: string, n: number, timeoutMs = 10_000): Promise<SseEvent> {
    const have = this.events.filter((e) => e.event === event);
    if (have.length >= n) return Promise.resolve(have[n - 1]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${event} event #${n} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        from: n - 1,
        event,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  close(): void {
    this.controller.abort();
  }
}
