import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../db/database.js';
import { migrationsFolder } from '../../lib/paths.js';

/**
 * A database's schema level: how many of Sen's migrations it has applied (drizzle's journal
 * table), and the last one's tag and timestamp. A backup records it; restore compares it with
 * the migrations this Sen ships.
 */
export interface SchemaLevel {
  migrations: number;
  last: string;
  when: number;
}

interface JournalEntry {
  tag: string;
  when: number;
}

export function journal(folder: string = migrationsFolder): JournalEntry[] {
  const text = fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8');
  return (JSON.parse(text) as { entries: JournalEntry[] }).entries;
}

/** The level of this Sen's migrations (what `migrate()` brings a database to). */
export function currentLevel(): SchemaLevel {
  const entries = journal();
  const last = entries.at(-1);
  if (!last) throw new Error('no migrations');
  return { migrations: entries.length, last: last.tag, when: last.when };
}

/**
 * The level of a database, from the migrator's table (run as the connecting user: the table is
 * outside the schema Sen's roles use). 0 migrations: nothing applied yet. `last` is '' when the
 * database has a migration this Sen does not know.
 */
export async function databaseLevel(db: Database): Promise<SchemaLevel> {
  const exists = (await db.executeSql(
    `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  )) as { rows: { present: boolean }[] };
  if (!exists.rows[0]?.present) return { migrations: 0, last: '', when: 0 };
  const { rows } = (await db.executeSql(
    'SELECT count(*)::int AS n, max(created_at)::text AS last FROM drizzle.__drizzle_migrations',
  )) as { rows: { n: number; last: string | null }[] };
  const n = rows[0]?.n ?? 0;
  const when = Number(rows[0]?.last ?? 0);
  const entry = journal().find((e) => e.when === when);
  return { migrations: n, last: entry?.tag ?? '', when };
}

/** The position of a level in this Sen's journal, or null when this Sen does not know it. */
export function knownLevel(level: SchemaLevel): number | null {
  if (level.migrations === 0) return 0;
  const entries = journal();
  const entry = entries[level.migrations - 1];
  return entry && entry.tag === level.last && entry.when === level.when ? level.migrations : null;
}

/**
 * Migrate a database up to `migrations` only (a backup's level, to restore its rows into the
 * schema they were written for; the later migrations then run over the restored data, as they
 * would have on the original). The migrator reads a folder whose journal stops there.
 */
export async function migrateTo(db: Database, migrations: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-migrations-'));
  try {
    const entries = journal().slice(0, migrations);
    fs.mkdirSync(path.join(dir, 'meta'));
    const full = JSON.parse(
      fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
    ) as { entries: unknown[] };
    fs.writeFileSync(
      path.join(dir, 'meta', '_journal.json'),
      JSON.stringify({ ...full, entries: full.entries.slice(0, migrations) }),
    );
    for (const e of entries) {
      fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    }
    await db.migrate(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
