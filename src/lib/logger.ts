import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'sen' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'],
      remove: true,
    },
  });
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
