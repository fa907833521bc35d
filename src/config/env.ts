import path from 'node:path';
import { z } from 'zod';
import { isIpOrCidr } from '../lib/http/ssrf-safe.js';

/**
 * The whole environment, parsed once at boot. Nothing else in the server reads process.env.
 * Every variable here is documented in the README's configuration table.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** SEN_SECRETS_KEY's development default (public: refused for secrets in production). */
export const DEV_SECRETS_KEY = 'sen-development-secrets-key-not-for-production';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SEN_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SEN_PUBLIC_URL: z.string().url().optional(),
  SEN_SECURE_COOKIES: bool.optional(),
  SEN_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(60 * 24 * 7),
  SEN_SESSION_ABSOLUTE_DAYS: z.coerce.number().int().min(1).default(30),
  SEN_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Largest file one attachment upload may carry. */
  SEN_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 1024 * 1024),
  /** Largest file one import upload may carry (CSV, XLSX, vCard, Word). */
  SEN_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(200 * 1024 * 1024),
  /** Exports of more matching rows than this run as a job (a download link when done). */
  SEN_EXPORT_SYNC_MAX_ROWS: z.coerce.number().int().min(0).default(50_000),
  /** Rows an export reads per keyset page (its memory is a page or so). */
  SEN_EXPORT_PAGE_ROWS: z.coerce.number().int().min(1).max(10_000).default(1000),
  SEN_TRUST_PROXY: bool.default(false),
  SEN_JOBS: bool.default(true),
  /**
   * When scheduled backups run (cron, UTC) into `<SEN_DATA_DIR>/backups`; `off` (or set empty)
   * disables them. Unset: nightly (02:00 in Vietnam) on the embedded database, off on PostgreSQL.
   */
  SEN_BACKUP_SCHEDULE: z
    .string()
    .trim()
    .refine((v) => v === 'off' || isCron(v), 'a cron expression (5 fields, UTC) or off')
    .optional(),
  /** How many scheduled backups to keep (the newest). */
  SEN_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  /**
   * The key that encrypts secrets stored in the database (an e-invoice provider's password):
   * any string of 32 characters or more, the same on every node. The default is public and only
   * for development and tests: saving a secret with it is refused in production.
   */
  SEN_SECRETS_KEY: z.string().min(32).default(DEV_SECRETS_KEY),
  /**
   * Private IPs or CIDRs outbound HTTP may reach (comma-separated), e.g. a self-hosted e-invoice
   * provider on the LAN. Empty: only public addresses (the SSRF guard, src/lib/http/ssrf-safe.ts).
   */
  SEN_OUTBOUND_ALLOW: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isIpOrCidr), 'IP addresses or CIDRs, comma-separated')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

/** Five cron fields of digits, `*`, `/`, `,` and `-` (pg-boss reads the expression itself). */
function isCron(value: string): boolean {
  const fields = value.split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[\d*/,-]+$/.test(f));
}

/** The default backup schedule on the embedded database: 19:00 UTC, 02:00 in Vietnam. */
export const DEFAULT_BACKUP_SCHEDULE = '0 19 * * *';

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  poolSize: number;
  publicUrl: string | undefined;
  secureCookies: boolean | undefined;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  bodyLimit: number;
  attachmentMaxBytes: number;
  importMaxBytes: number;
  exportSyncMaxRows: number;
  exportPageRows: number;
  trustProxy: boolean;
  jobs: boolean;
  /** Cron (UTC) of the scheduled backups, or null when they are off. */
  backupSchedule: string | null;
  backupKeep: number;
  /** Encrypts secrets at rest (src/lib/secrets.ts). */
  secretsKey: string;
  /** True when secretsKey is the public development default. */
  secretsKeyIsDefault: boolean;
  /** Private IPs/CIDRs outbound HTTP may reach despite the SSRF guard. */
  outboundAllow: string[];
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // An empty SEN_BACKUP_SCHEDULE is a choice (off), not an unset variable.
  const schedule =
    source.SEN_BACKUP_SCHEDULE === ''
      ? 'off'
      : (e.SEN_BACKUP_SCHEDULE ?? (e.DATABASE_URL ? 'off' : DEFAULT_BACKUP_SCHEDULE));
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.SEN_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    publicUrl: e.SEN_PUBLIC_URL?.replace(/\/$/, ''),
    secureCookies: e.SEN_SECURE_COOKIES,
    sessionIdleMs: e.SEN_SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SEN_SESSION_ABSOLUTE_DAYS * 86_400_000,
    bodyLimit: e.SEN_BODY_LIMIT_BYTES,
    attachmentMaxBytes: e.SEN_ATTACHMENT_MAX_BYTES,
    importMaxBytes: e.SEN_IMPORT_MAX_BYTES,
    exportSyncMaxRows: e.SEN_EXPORT_SYNC_MAX_ROWS,
    exportPageRows: e.SEN_EXPORT_PAGE_ROWS,
    trustProxy: e.SEN_TRUST_PROXY,
    jobs: e.SEN_JOBS,
    backupSchedule: schedule === 'off' ? null : schedule,
    backupKeep: e.SEN_BACKUP_KEEP,
    secretsKey: e.SEN_SECRETS_KEY,
    secretsKeyIsDefault: e.SEN_SECRETS_KEY === DEV_SECRETS_KEY,
    outboundAllow: e.SEN_OUTBOUND_ALLOW ?? [],
    logLevel: e.LOG_LEVEL,
  };
}
