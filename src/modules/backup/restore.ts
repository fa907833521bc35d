import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config/env.js';
import { AppError } from '../../core/errors.js';
import type { Database, Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { ArchiveReadError, ZipReader, lineBatches, type EntryDigest } from './archive.js';
import { FILE_AREAS } from './backup.js';
import {
  TEXT_SETTINGS,
  quoteIdent,
  readCatalog,
  selfReferenceColumns,
  type Catalog,
  type Table,
} from './catalog.js';
import { backupErrors } from './errors.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  FILES_ENTRY,
  MANIFEST_ENTRY,
  fileEntry,
  fileLineSchema,
  manifestSchema,
  tableEntry,
  type Manifest,
} from './manifest.js';
import { currentLevel, databaseLevel, knownLevel, migrateTo } from './schema-level.js';

/** Rows per INSERT (one JSON parameter), or fewer when their text passes BATCH_BYTES. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Columns that triggers change while the other tables go in (adding members bumps their
 * workspace's auth_version): written again from the backup once every table is in.
 */
const TRIGGER_WRITTEN: Record<string, string[]> = { workspaces: ['auth_version'] };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const FILE_PATH = new RegExp(`^(${FILE_AREAS.map((a) => a.dir).join('|')})/${UUID}/${UUID}$`);

export interface RestoreSummary {
  file: string;
  scope: Manifest['scope'];
  source: Manifest['source'];
  createdAt: string;
  tables: { name: string; rows: number }[];
  rows: number;
  files: number;
  fileBytes: number;
  /** The schema level the backup was made at, and the level the database is at now. */
  schema: { backup: string; now: string };
  seconds: number;
}

/**
 * Restore a backup into an empty instance (`sen restore`), on either backend whatever the
 * backup's source. The database may be new (not migrated yet): it is migrated to the backup's
 * schema level, the rows go in, then the later migrations run over them, as they would have
 * on the original. Everything goes in in ONE transaction: a damaged file, a refused row or a
 * crash leaves the database as empty as it was (and the files written so far are removed).
 */
export async function restoreBackup(
  deps: { db: Database; config: Config },
  file: string,
): Promise<RestoreSummary> {
  const started = performance.now();
  const { db, config } = deps;
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) {
    throw new AppError('NOT_FOUND', {
      text: { vi: `Không tìm thấy tệp ${absolute}.`, en: `No such file: ${absolute}.` },
    });
  }
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(absolute);
  } catch (err) {
    throw err instanceof ArchiveReadError ? backupErrors.damaged(err.message) : err;
  }
  const written: string[] = [];
  try {
    const manifest = await readManifest(zip);
    const backupLevel = knownLevel(manifest.schema);
    if (backupLevel === null) throw backupErrors.newerSchema(manifest.schema.last);
    const before = await databaseLevel(db);
    if (before.migrations > backupLevel) {
      throw backupErrors.olderThanDatabase(manifest.schema.last, before.last || '?');
    }
    if (before.migrations < backupLevel) await migrateTo(db, backupLevel);

    const loaded = await db.system(async (tx) => {
      await tx.execute(TEXT_SETTINGS);
      // Triggers that derive values (versions, a deal's stage history) write nothing of their
      // own: the rows come back exactly as they were backed up.
      await tx.execute(sql`SELECT set_config('sen.restoring', 'on', true)`);
      const catalog = await readCatalog(tx);
      await assertEmpty(tx, catalog);
      const tables = await loadTables(tx, zip, manifest, catalog);
      const sequences = await sequenceValues(tx, catalog);
      // Inside the transaction: if a file is refused, no row was restored either.
      const files = await restoreFiles(zip, manifest, config.dataDir, written);
      return { tables, sequences, files };
    });
    // Sequences belong to the connecting user (who ran the migrations), not to sen_system.
    for (const s of loaded.sequences) {
      await db.executeSql('SELECT setval($1::regclass, $2::bigint, $3::boolean)', [
        `public.${quoteIdent(s.sequence)}`,
        s.max ?? '1',
        s.max !== null,
      ]);
    }
    if (backupLevel < currentLevel().migrations) await db.migrate();
    return {
      file: absolute,
      scope: manifest.scope,
      source: manifest.source,
      createdAt: manifest.createdAt,
      tables: loaded.tables,
      rows: loaded.tables.reduce((n, t) => n + t.rows, 0),
      files: loaded.files.count,
      fileBytes: loaded.files.bytes,
      schema: { backup: manifest.schema.last, now: currentLevel().last },
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    await Promise.all(written.map((f) => fs.promises.rm(f, { force: true })));
    if (err instanceof ArchiveReadError) throw backupErrors.damaged(err.message);
    throw err;
  } finally {
    zip.close();
  }
}

async function readManifest(zip: ZipReader): Promise<Manifest> {
  if (!zip.entries.has(MANIFEST_ENTRY)) throw backupErrors.notABackup();
  let raw: unknown;
  try {
    raw = JSON.parse(await zip.text(MANIFEST_ENTRY, 16 * 1024 * 1024));
  } catch (err) {
    if (err instanceof SyntaxError) throw backupErrors.damaged('manifest.json is not JSON');
    throw err;
  }
  const head = raw as { format?: unknown; formatVersion?: unknown };
  if (head?.format !== BACKUP_FORMAT) throw backupErrors.notABackup();
  if (typeof head.formatVersion === 'number' && head.formatVersion > BACKUP_FORMAT_VERSION) {
    throw backupErrors.newerFormat(head.formatVersion);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw backupErrors.damaged(`manifest.json: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** Refuse an instance that has any row in a table a backup holds. */
async function assertEmpty(tx: Tx, catalog: Catalog): Promise<void> {
  const checked = catalog.tables;
  if (checked.length === 0) return;
  const rows = await queryRows<{ name: string }>(
    tx,
    sql.raw(
      checked
        .map((t) => `SELECT '${t.name}' AS name WHERE EXISTS (SELECT 1 FROM ${quoteIdent(t.name)})`)
        .join(' UNION ALL '),
    ),
  );
  if (rows.length > 0) throw backupErrors.notEmpty(rows.map((r) => r.name));
}

/**
 * Every table of the backup, in this database's foreign-key order, then the second passes:
 * a table's references to itself (left NULL at first, so a child may come before its parent)
 * and the columns triggers changed meanwhile.
 */
async function loadTables(
  tx: Tx,
  zip: ZipReader,
  manifest: Manifest,
  catalog: Catalog,
): Promise<{ name: string; rows: number }[]> {
  const inBackup = new Map(manifest.tables.map((t) => [t.name, t]));
  for (const name of inBackup.keys()) {
    if (!catalog.tables.some((t) => t.name === name)) {
      throw backupErrors.damaged(`table ${name} does not exist in this schema`);
    }
  }
  const loaded: { name: string; rows: number }[] = [];
  const later: {
    table: Table;
    entry: Manifest['tables'][number];
    columns: string[];
    onlySet: boolean;
  }[] = [];
  for (const table of catalog.tables) {
    const entry = inBackup.get(table.name);
    if (!entry) continue;
    const stored = table.columns.map((c) => c.name).sort();
    const backed = entry.columns.map((c) => c.name).sort();
    if (stored.join() !== backed.join()) {
      throw backupErrors.damaged(`the columns of ${table.name} differ from this schema's`);
    }
    const deferred = selfReferenceColumns(table, catalog.foreignKeys);
    const rows = await insertRows(tx, zip, table, entry, deferred);
    loaded.push({ name: table.name, rows });
    if (deferred.length > 0) later.push({ table, entry, columns: deferred, onlySet: true });
  }
  for (const [name, columns] of Object.entries(TRIGGER_WRITTEN)) {
    const table = catalog.tables.find((t) => t.name === name);
    const entry = inBackup.get(name);
    if (table && entry) later.push({ table, entry, columns, onlySet: false });
  }
  for (const pass of later) {
    await updateColumns(tx, zip, pass.table, pass.entry, pass.columns, pass.onlySet);
  }
  return loaded;
}

/** The value of a column `i` of a row `r` (a JSON array of texts), cast to its type. */
const valueOf = (i: number, type: string) => `(r->>${i})::${type}`;

function typeOf(table: Table, column: string): string {
  const type = table.columns.find((c) => c.name === column)?.type;
  if (!type) throw new Error(`no column ${table.name}.${column}`);
  return type;
}

async function insertRows(
  tx: Tx,
  zip: ZipReader,
  table: Table,
  entry: Manifest['tables'][number],
  deferred: string[],
): Promise<number> {
  const names = entry.columns.map((c) => c.name);
  const values = names.map((name, i) =>
    deferred.includes(name) ? 'NULL' : valueOf(i, typeOf(table, name)),
  );
  const head =
    `WITH ins AS (INSERT INTO ${quoteIdent(table.name)} (${names.map(quoteIdent).join(', ')}) ` +
    `${table.identityAlways ? 'OVERRIDING SYSTEM VALUE ' : ''}` +
    `SELECT ${values.join(', ')} FROM json_array_elements(`;
  // A line that is not an array of the table's width inserts nothing: the count tells.
  const tail = `::json) AS r WHERE json_array_length(r) = ${names.length} RETURNING 1) SELECT count(*)::int AS n FROM ins`;
  const { stream, digest } = hashed(await zip.open(tableEntry(table.name)));
  let rows = 0;
  try {
    for await (const batch of lineBatches(stream, BATCH_ROWS, BATCH_BYTES)) {
      const result = await queryRows<{ n: number }>(
        tx,
        sql`${sql.raw(head)}${`[${batch.join(',')}]`}${sql.raw(tail)}`,
      );
      if (result[0]?.n !== batch.length) {
        throw backupErrors.damaged(`${table.name}: a row does not have ${names.length} values`);
      }
      rows += batch.length;
    }
  } catch (err) {
    if (err instanceof AppError || err instanceof ArchiveReadError) throw err;
    throw backupErrors.damaged(`${table.name}: ${(err as Error).message}`);
  }
  const got = digest();
  if (got.sha256 !== entry.sha256 || got.bytes !== entry.bytes || rows !== entry.rows) {
    throw backupErrors.damaged(`${tableEntry(table.name)} does not match its checksum`);
  }
  return rows;
}

/** A second pass over a table's rows: set `columns` from the backup, by primary key. */
async function updateColumns(
  tx: Tx,
  zip: ZipReader,
  table: Table,
  entry: Manifest['tables'][number],
  columns: string[],
  onlySet: boolean,
): Promise<void> {
  const index = (name: string) => entry.columns.findIndex((c) => c.name === name);
  const set = columns.map((c) => `${quoteIdent(c)} = ${valueOf(index(c), typeOf(table, c))}`);
  const match = table.primaryKey.map(
    (k) => `x.${quoteIdent(k)} = ${valueOf(index(k), typeOf(table, k))}`,
  );
  const some = columns.map((c) => `(r->>${index(c)}) IS NOT NULL`).join(' OR ');
  const head = `UPDATE ${quoteIdent(table.name)} AS x SET ${set.join(', ')} FROM json_array_elements(`;
  const tail = `::json) AS r WHERE ${match.join(' AND ')}${onlySet ? ` AND (${some})` : ''}`;
  const stream = await zip.open(tableEntry(table.name));
  for await (const batch of lineBatches(stream, BATCH_ROWS, BATCH_BYTES)) {
    await tx.execute(sql`${sql.raw(head)}${`[${batch.join(',')}]`}${sql.raw(tail)}`);
  }
}

/** The highest value of each sequence's column, to set the sequence to after COMMIT. */
async function sequenceValues(
  tx: Tx,
  catalog: Catalog,
): Promise<{ sequence: string; max: string | null }[]> {
  const out: { sequence: string; max: string | null }[] = [];
  for (const s of catalog.sequences) {
    const rows = await queryRows<{ max: string | null }>(
      tx,
      sql.raw(`SELECT max(${quoteIdent(s.column)})::text AS max FROM ${quoteIdent(s.table)}`),
    );
    out.push({ sequence: s.sequence, max: rows[0]?.max ?? null });
  }
  return out;
}

/**
 * The files listed in files.ndjson, each checked against its size and SHA-256 as it is written
 * (to a temporary name, renamed when complete). Paths are only `<area>/<uuid>/<uuid>`: nothing
 * in a backup can write outside the data directory's file areas.
 */
async function restoreFiles(
  zip: ZipReader,
  manifest: Manifest,
  dataDir: string,
  written: string[],
): Promise<{ count: number; bytes: number }> {
  const { stream, digest } = hashed(await zip.open(FILES_ENTRY));
  let count = 0;
  let bytes = 0;
  for await (const batch of lineBatches(stream, 100, 1024 * 1024)) {
    for (const line of batch) {
      let parsed;
      try {
        parsed = fileLineSchema.safeParse(JSON.parse(line));
      } catch {
        parsed = null;
      }
      if (!parsed?.success || !FILE_PATH.test(parsed.data.path)) {
        throw backupErrors.damaged(`${FILES_ENTRY}: line ${count + 1}`);
      }
      const file = parsed.data;
      const target = path.join(dataDir, ...file.path.split('/'));
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const temp = path.join(path.dirname(target), `.restore-${randomUUID()}`);
      const source = hashed(await zip.open(fileEntry(file.path)));
      try {
        await pipeline(source.stream, fs.createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
        const got = source.digest();
        if (got.sha256 !== file.sha256 || got.bytes !== file.bytes) {
          throw backupErrors.damaged(`${file.path} does not match its checksum`);
        }
        const handle = await fs.promises.open(temp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.promises.rename(temp, target);
        written.push(target);
      } finally {
        await fs.promises.rm(temp, { force: true });
      }
      count++;
      bytes += file.bytes;
    }
  }
  const got = digest();
  if (
    got.sha256 !== manifest.files.sha256 ||
    count !== manifest.files.count ||
    bytes !== manifest.files.bytes
  ) {
    throw backupErrors.damaged(`${FILES_ENTRY} does not match its checksum`);
  }
  return { count, bytes };
}

/** The stream passed through, with the SHA-256 and size of what went through it. */
function hashed(source: Readable): { stream: Readable; digest: () => EntryDigest } {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  source.on('error', (err) => tap.destroy(err));
  source.pipe(tap);
  return { stream: tap, digest: () => ({ bytes, sha256: hash.digest('hex') }) };
}
