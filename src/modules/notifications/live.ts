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
  /** A count is being read; `again`: another change came meanwhile, read once more after. */
  private reading = false;
  private again = false;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly ctx: AppContext,
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

  /** Read the member's unread count and send it (coalescing changes that come while reading). */
  async refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        const count = await unreadCount(this.ctx, this.actor);
        this.write(`event: unread\ndata: ${JSON.stringify({ unreadCount: count })}\n\n`);
      } while (this.again && !this.closed);
    } catch (err) {
      this.ctx.logger.warn({ err, key: this.key }, 'notification stream closed on a failed read');
      this.close();
    } finally {
      this.reading = false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.res.end();
    this.onClose(this);
  }
}

export class NotificationStreams {
  private readonly streams = new Map<string, Set<Stream>>();
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
    const stream = new Stream(this.ctx, actor, key, res, (s) => this.remove(s));
    let set = this.streams.get(key);
    if (!set) this.streams.set(key, (set = new Set()));
    set.add(stream);
    await stream.refresh();
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
    for (const stream of this.streams.get(key) ?? []) void stream.refresh();
  }

  /** The listening connection was lost for a while: everyone's count may have changed. */
  private changedAll(): void {
    for (const set of this.streams.values()) for (const s of set) void s.refresh();
  }

  /** End every stream and stop listening (the app is closing). */
  async close(): Promise<void> {
    for (const set of [...this.streams.values()]) for (const s of [...set]) s.close();
    const listening = this.listening;
    this.listening = null;
    if (listening) await (await listening.catch(() => async () => {}))();
  }
}
