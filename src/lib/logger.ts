import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * A failed statement's parameter values are customer data (names, phones, notes): they never
 * reach the log. Drizzle puts them in its error's message ("Failed query: …\nparams: …"), its
 * stack and a `params` property; this keeps the statement and drops the values.
 */
export function withoutParams(text: string): string {
  return text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: [hidden]');
}

function scrubError(serialized: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out = { ...serialized };
  delete out.params;
  // pg's `detail` may quote a row's values ("Key (email)=(an@abc.vn) already exists").
  delete out.detail;
  if (typeof out.message === 'string') out.message = withoutParams(out.message);
  if (typeof out.stack === 'string') out.stack = withoutParams(out.stack);
  if (out.cause && typeof out.cause === 'object' && depth < 5) {
    out.cause = scrubError(out.cause as Record<string, unknown>, depth + 1);
  }
  return out;
}

/** pino's error serializer, less what scrubError removes. */
export const errSerializer = (err: unknown) =>
  err instanceof Error
    ? scrubError(pino.stdSerializers.err(err) as unknown as Record<string, unknown>)
    : err;

/** An error's message as a log line may carry it. */
export const safeErrorMessage = (err: unknown): string | undefined =>
  err instanceof Error ? withoutParams(err.message) : undefined;

/** The app's logger: JSON lines to stdout (or `destination`, for tests). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'sen' },
      serializers: { err: errSerializer },
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'],
        remove: true,
      },
    },
    destination,
  );
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A child logger that becomes a pino child only when it writes a line. Every request gets one
 * from Fastify (request id) and another after authentication (user, workspace); a pino child
 * serialises its bindings when it is made, which cost the request path a few per cent of its
 * CPU for nothing on the requests that log no line at the configured level.
 */
export class LazyChildLogger {
  private real: Logger | undefined;
  constructor(
    /** The logger whose level decides what is written (children inherit it). */
    private readonly root: Logger,
    private readonly make: () => Logger,
  ) {}

  private resolve(): Logger {
    return (this.real ??= this.make());
  }

  get level(): string {
    return this.real?.level ?? this.root.level;
  }
  set level(level: string) {
    this.resolve().level = level;
  }

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): LazyChildLogger {
    return new LazyChildLogger(this.real ?? this.root, () =>
      this.resolve().child(bindings, options),
    );
  }

  private write(level: Level, args: unknown[]): void {
    const logger = this.real ?? this.root;
    if (!logger.isLevelEnabled(level)) return;
    (this.resolve()[level] as (...a: unknown[]) => void)(...args);
  }

  fatal(...args: unknown[]) {
    this.write('fatal', args);
  }
  error(...args: unknown[]) {
    this.write('error', args);
  }
  warn(...args: unknown[]) {
    this.write('warn', args);
  }
  info(...args: unknown[]) {
    this.write('info', args);
  }
  debug(...args: unknown[]) {
    this.write('debug', args);
  }
  trace(...args: unknown[]) {
    this.write('trace', args);
  }
  silent() {}
}
