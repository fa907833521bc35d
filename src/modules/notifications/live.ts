import type { ServerResponse } from 'node:http';
import type { AppContext } from '../../core/context.js';
import type { Actor } from '../../core/permissions.js';
import { unreadCount } from './notifications.service.js';

/**
 * The bell's live unread count (#21). Every change to a member's notifications is announced by
 * the database at commit on the channel `sen_notifications` as "<workspace>:<user>" (migration
 * 0050), whichever app node made it; each node LISTENs (Database.listen) and pushes the member's
 * new count to the streams that member has open on it (server-sent events). Nothing is kept in
 * process memory but the open streams: two nodes behind one PostgreSQL both hear every change.
 *
 * A stream lasts at most STREAM_MS, then the browser's EventSource connects again (after the
 * `retry` it was given) and is authenticated afresh, so a revoked session or a deactivated member
 * stops hearing within that time.
 */
export const CHANNEL = 'sen_notifications';
export const STREAM_MS = 5 * 60_000;
const HEARTBEAT_MS = 25_000;
const RETRY_MS = 2_000;

class Stream {
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly actor: Actor,
    readonly key: string,
    private readonly res: ServerResponse,
    private readonly onClose: (s: Stream) => void,
  ) {
    res.on('close', () => this.close());
    this.timers.push(
      setInterval(() => this.write(': ping\n\n'), HEARTBEAT_MS),
      setTimeout(() => this.close(), STREAM_MS),
    );
    this.write(`retry: ${RETRY_MS}\n\n`);
  }

  private write(chunk: string): void {
    if (!this.closed) this.res.write(chunk);
  }

  /** Send the member's unread count. */
  send(count: number): void {
    this.write(`event: unread\ndata: ${JSON.stringify({ unreadCount: count })}\n\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.res.end();
    this.onClose(this);
  }
}

/** A member's open streams on one node at most (their oldest is closed for a new one). */
export const MAX_STREAMS_PER_MEMBER = 5;

export class NotificationStreams {
  private readonly streams = new Map<string, Set<Stream>>();
  /** Members whose count is being read; `again`: a change came meanwhile, read once more. */
  private readonly reading = new Set<string>();
  private readonly again = new Set<string>();
  private listening: Promise<() => Promise<void>> | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** Listen on the channel (once per node, on the first stream); before any stream is opened. */
  async listen(): Promise<void> {
    this.listening ??= this.ctx.db.listen(
      CHANNEL,
      (payload) => this.changed(payload),
      () => this.changedAll(),
    );
    try {
      await this.listening;
    } catch (err) {
      this.listening = null;
      throw err;
    }
  }

  /** Open a stream for the signed-in member on `res` (headers not yet sent) and send the count. */
  async open(actor: Actor & { userId: string }, res: ServerResponse): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    const key = `${actor.workspaceId}:${actor.userId}`;
    const stream = new Stream(actor, key, res, (s) => this.remove(s));
    let set = this.streams.get(key);
    if (!set) this.streams.set(key, (set = new Set()));
    // Sets keep insertion order: the first is the oldest.
    while (set.size >= MAX_STREAMS_PER_MEMBER) [...set][0]!.close();
    set.add(stream);
    await this.refresh(key);
  }

  /**
   * Read a member's unread count once (through RLS, as the member) and send it to each of their
   * streams on this node; changes that come while reading are read once more after. A failed
   * read closes the member's streams (their browsers reconnect, authenticated afresh).
   */
  private async refresh(key: string): Promise<void> {
    if (this.reading.has(key)) {
      this.again.add(key);
      return;
    }
    this.reading.add(key);
    try {
      do {
        this.again.delete(key);
        const first = this.streams.get(key)?.values().next().value;
        if (!first) break;
        const count = await unreadCount(this.ctx, first.actor);
        for (const s of this.streams.get(key) ?? []) s.send(count);
      } while (this.again.has(key));
    } catch (err) {
      this.ctx.logger.warn({ err, key }, 'notification streams closed on a failed read');
      for (const s of [...(this.streams.get(key) ?? [])]) s.close();
    } finally {
      this.reading.delete(key);
    }
  }

  /** How many streams are open on this node (for tests and the health page). */
  get size(): number {
    let n = 0;
    for (const set of this.streams.values()) n += set.size;
    return n;
  }

  private remove(stream: Stream): void {
    const set = this.streams.get(stream.key);
    set?.delete(stream);
    if (set?.size === 0) this.streams.delete(stream.key);
  }

  private changed(key: string): void {
    if (this.streams.has(key)) void this.refresh(key);
  }

  /** The listening connection was lost for a while: everyone's count may have changed. */
  private changedAll(): void {
    for (const key of this.streams.keys()) void this.refresh(key);
  }

  /** End every stream and stop listening (the app is closing). */
  async close(): Promise<void> {
    for (const set of [...this.streams.values()]) for (const s of [...set]) s.close();
    const listening = this.listening;
    this.listening = null;
    if (listening) await (await listening.catch(() => async () => {}))();
  }
}
