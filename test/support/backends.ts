import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { packageRoot } from '../../src/lib/paths.js';

export type Backend = 'pglite' | 'postgres';

export const testDir = path.join(packageRoot, '.sen-test');

/**
 * Templates are per test run (global setup provides the run id), so two runs at once (two
 * developers' helpers, an editor's test watcher) never drop each other's template.
 */
export const pgliteTemplatePath = (runId: string) =>
  path.join(testDir, `pglite-template-${runId}.tar.gz`);
export const pgTemplate = (runId: string) => `sen_test_template_${runId}`;

export function backend(): Backend {
  const b = process.env.SEN_TEST_BACKEND;
  if (b !== 'pglite' && b !== 'postgres')
    throw new Error(`SEN_TEST_BACKEND must be set (got ${b})`);
  return b;
}

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** The URL of another database on the same server. */
export function databaseUrl(name: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function ensureTestDir(): void {
  fs.mkdirSync(testDir, { recursive: true });
}
