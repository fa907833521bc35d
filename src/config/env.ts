import path from 'node:path';
import { z } from 'zod';

/**
 * The whole environment, parsed once at boot. Nothing else in the server reads process.env.
 * Every variable here is documented in the README's configuration table.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

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
  SEN_TRUST_PROXY: bool.default(false),
  SEN_JOBS: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

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
  trustProxy: boolean;
  jobs: boolean;
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
    trustProxy: e.SEN_TRUST_PROXY,
    jobs: e.SEN_JOBS,
    logLevel: e.LOG_LEVEL,
  };
}
