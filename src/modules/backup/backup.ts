import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config/env.js';
import type { Database, Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { ZipWriter } from './archive.js';
import { TEXT_SETTINGS, quoteIdent, readCatalog, type Catalog, type Table } from './catalog.js';
import { backupErrors } from './errors.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  FILES_ENTRY,
  MANIFEST_ENTRY,
  fileEntry,
  senVersion,
  tableEntry,
  type Manifest,
} from './manifest.js';
import { databaseLevel } from './schema-level.js';

/**
 * The files Sen keeps beside the database, each under `<dataDir>/<dir>/<workspace id>/<row id>`
 * for a row of `table`. `expected`: every row has its file (an attachment); otherwise a file
 * exists only for a while (an import's upload until the import finished, an export's download
 * until it expires), and a row without one is normal.
 */
export const FILE_AREAS = [
  { dir: 'attachments', table: 'attachments', expected: true },
  { dir: 'imports', table: 'imports', expected: false },
  { dir: 'exports', table: 'exports', expected: false },
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Rows read per FETCH: a page of a table in memory, never the table. */
const FETCH_ROWS = 1000;

export interface BackupOptions {
  /** The file to write (refused if it exists); written as `<out>.partial-…` then renamed. */
  out: string;
  /** One workspace's data instead of the whole instance. */
  workspaceId?: string | undefined;
}

export interface BackupSummary {
  file: string;
  scope: Manifest['scope'];
  tables: { name: string; rows: number }[];
  rows: number;
  files: number;
  fileBytes: number;
  /** Attachments whose file was missing on disk (listed in the manifest too). */
  missingFiles: string[];
  archiveBytes: number;
  seconds: number;
}

export async function createBackup(
  deps: { db: Database; config: Config },
  opts: BackupOptions,
): Promise<BackupSummary> {
  const started = performance.now();
  const out = path.resolve(opts.out);
  if (fs.existsSync(out)) throw backupErrors.outputExists(out);
  if (opts.workspaceId !== undefined && !UUID.test(opts.workspaceId)) {
    throw backupErrors.workspaceNotFound();
  }
  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  const schema = await databaseLevel(deps.db);
  const temp = path.join(
    path.dirname(out),
    `.${path.basename(out)}.partial-${randomUUID().slice(0, 8)}`,
  );
  const writer = new ZipWriter(temp);
  try {
    const read = await deps.db.system((tx) => writeTables(tx, writer, opts.workspaceId));
    const files = await writeFiles(writer, deps.config.dataDir, read.files);
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      senVersion,
      createdAt: new Date().toISOString(),
      source: { backend: deps.db.kind, server: read.server },
      schema,
      scope: read.scope,
      tables: read.tables,
      files: files.summary,
    };
    await writer.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest, null, 2)));
    const archiveBytes = await writer.finish();
    await syncFile(temp);
    await fs.promises.rename(temp, out);
    await syncFile(path.dirname(out));
    const rows = read.tables.reduce((n, t) => n + t.rows, 0);
    return {
      file: out,
      scope: read.scope,
      tables: read.tables.map((t) => ({ name: t.name, rows: t.rows })),
      rows,
      files: files.summary.count,
      fileBytes: files.summary.bytes,
      missingFiles: files.summary.missing,
      archiveBytes,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    await writer.abort();
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

interface TablesRead {
  server: string;
  scope: Manifest['scope'];
  tables: Manifest['tables'];
  /** The files of FILE_AREAS' rows in scope: area dir, workspace id, row id. */
  files: { dir: string; expected: boolean; workspaceId: string; id: string }[];
}

/**
 * Every table in scope, from ONE snapshot (REPEATABLE READ): a backup is consistent across
 * tables. Each table is read through a cursor, FETCH_ROWS rows at a time; PostgreSQL writes each
 * row's JSON line itself. As sen_system: its policies see every workspace (FORCE ROW LEVEL
 * SECURITY applies to the tables' owner too, so the connecting user would see nothing unless it
 * is a superuser).
 */
async function writeTables(
  tx: Tx,
  writer: ZipWriter,
  workspaceId: string | undefined,
): Promise<TablesRead> {
  await tx.execute(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
  const server = (await queryRows<{ v: string }>(tx, sql`SELECT version() AS v`))[0]?.v ?? '';
  await tx.execute(TEXT_SETTINGS);
  const catalog = await readCatalog(tx);
  let scope: Manifest['scope'] = { kind: 'instance' };
  if (workspaceId) {
    const ws = await queryRows<{ name: string }>(
      tx,
      sql`SELECT name FROM workspaces WHERE id = ${workspaceId}::uuid`,
    );
    if (!ws[0]) throw backupErrors.workspaceNotFound();
    scope = { kind: 'workspace', workspaceId, workspaceName: ws[0].name };
  }
  const tables: Manifest['tables'] = [];
  for (const table of catalog.tables) {
    const where = scopeCondition(catalog, table, workspaceId);
    if (where === null) continue;
    const values = table.columns.map((c) => `${quoteIdent(c.name)}::text`).join(', ');
    const entry = writer.entry(tableEntry(table.name));
    let rows = 0;
    for await (const page of cursor<{ r: string }>(
      tx,
      `SELECT to_json(ARRAY[${values}]::text[])::text AS r FROM ${quoteIdent(table.name)}
       WHERE ${where} ORDER BY ${table.primaryKey.map(quoteIdent).join(', ') || '1'}`,
    )) {
      rows += page.length;
      await entry.write(page.map((p) => p.r).join('\n') + '\n');
    }
    const digest = await entry.end();
    tables.push({
      name: table.name,
      columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
      rows,
      ...digest,
    });
  }
  const files: TablesRead['files'] = [];
  for (const area of FILE_AREAS) {
    const table = catalog.tables.find((t) => t.name === area.table);
    const where = table && scopeCondition(catalog, table, workspaceId);
    if (!table || !where || !table.hasWorkspaceId) continue;
    for await (const page of cursor<{ w: string; i: string }>(
      tx,
      `SELECT workspace_id::text AS w, id::text AS i FROM ${quoteIdent(table.name)}
       WHERE ${where} ORDER BY id`,
    )) {
      for (const p of page) {
        files.push({ dir: area.dir, expected: area.expected, workspaceId: p.w, id: p.i });
      }
    }
  }
  return { server, scope, tables, files };
}

/** A query's rows, FETCH_ROWS at a time, through a cursor of the transaction. */
async function* cursor<R>(tx: Tx, query: string): AsyncGenerator<R[]> {
  await tx.execute(sql.raw(`DECLARE sen_backup NO SCROLL CURSOR FOR ${query}`));
  for (;;) {
    const page = await queryRows<R>(tx, sql.raw(`FETCH ${FETCH_ROWS} FROM sen_backup`));
    if (page.length > 0) yield page;
    if (page.length < FETCH_ROWS) break;
  }
  await tx.execute(sql.raw('CLOSE sen_backup'));
}

/**
 * Which rows of a table a backup holds, as SQL (null: none of them). The whole instance: all.
 * One workspace: the workspace's row, every row with its workspace_id, and the rows of global
 * tables (users) that those rows reference by a foreign key (its members, an invitation's
 * author…). Global tables no workspace row references (sign-in throttling) are left out.
 */
export function scopeCondition(
  catalog: Catalog,
  table: Table,
  workspaceId: string | undefined,
): string | null {
  if (workspaceId === undefined) return 'true';
  if (!UUID.test(workspaceId)) throw new Error('invalid workspace id');
  const ws = `'${workspaceId}'::uuid`;
  if (table.name === 'workspaces') return `id = ${ws}`;
  if (table.hasWorkspaceId) return `workspace_id = ${ws}`;
  const references = catalog.foreignKeys.filter(
    (fk) =>
      fk.refTable === table.name &&
      catalog.tables.find((t) => t.name === fk.table)?.hasWorkspaceId === true,
  );
  if (references.length === 0) return null;
  return references
    .map(
      (fk) =>
        `(${fk.refColumns.map(quoteIdent).join(', ')}) IN (SELECT ${fk.columns
          .map(quoteIdent)
          .join(', ')} FROM ${quoteIdent(fk.table)} WHERE workspace_id = ${ws})`,
    )
    .join(' OR ');
}

/**
 * The files, each stored as it is (they are mostly compressed already) and listed with its
 * size and SHA-256 in files.ndjson. Read after the snapshot's transaction ended, so the
 * database is not held while files are copied; files are never changed once written, only
 * deleted: one deleted since the snapshot is reported missing (expected areas only).
 */
async function writeFiles(
  writer: ZipWriter,
  dataDir: string,
  files: TablesRead['files'],
): Promise<{ summary: Manifest['files'] }> {
  const lines: string[] = [];
  const missing: string[] = [];
  let bytes = 0;
  for (const f of files) {
    const relative = `${f.dir}/${f.workspaceId}/${f.id}`;
    const absolute = path.join(dataDir, f.dir, f.workspaceId, f.id);
    let stream: fs.ReadStream;
    try {
      const handle = await fs.promises.open(absolute, 'r');
      stream = handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (f.expected) missing.push(relative);
      continue;
    }
    const entry = writer.entry(fileEntry(relative), { store: true });
    for await (const chunk of stream) await entry.write(chunk as Buffer);
    const digest = await entry.end();
    bytes += digest.bytes;
    lines.push(JSON.stringify({ path: relative, ...digest }));
  }
  const index = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  await writer.add(FILES_ENTRY, index);
  return {
    summary: {
      count: lines.length,
      bytes,
      sha256: createHash('sha256').update(index).digest('hex'),
      missing,
    },
  };
}

async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
