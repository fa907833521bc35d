/**
 * Bulk loader for the records benchmark: the demo generator's rows (src/modules/demo/generate.ts)
 * written with COPY, on native PostgreSQL (COPY … FROM STDIN over pg's protocol; pg-copy-streams
 * is not a dependency, the copy-in sub-protocol is a few lines) and on PGlite
 * (COPY … FROM '/dev/blob' with the `blob` query option).
 *
 * The usual bulk-load recipe, applied to the record tables only: the secondary indexes are
 * dropped before the load and recreated from their exact definitions (pg_indexes) afterwards,
 * foreign-key triggers are skipped for the load (session_replication_role = replica: the rows
 * are valid by construction), then VACUUM ANALYZE. Runs as the connecting superuser, so RLS
 * does not apply to the load itself.
 */
import { getTableColumns, type Table } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { companies, contactCompanies, contacts } from '../src/db/schema/index.js';
import type { DemoGenerator } from '../src/modules/demo/generate.js';

export interface BulkTarget {
  kind: 'postgres' | 'pglite';
  /** On every connection of the target (session settings). */
  configure(text: string): Promise<void>;
  exec(text: string): Promise<void>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** COPY text-format lines (each ending in \n) into table(columns). */
  copy(table: string, columns: string[], chunks: Iterable<string>): Promise<void>;
  /** Run these statements, several at once where the backend can. */
  runAll(statements: string[]): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- COPY text format

const escapeCopy = (s: string) =>
  s.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
const arrayLiteral = (items: unknown[]) =>
  `{${items.map((i) => `"${String(i).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;

interface CopyColumn {
  key: string;
  name: string;
  kind: 'json' | 'array' | 'plain';
}

/** The COPY column list of a Drizzle table for rows with these keys. */
export function copyColumns(table: Table, sample: Record<string, unknown>): CopyColumn[] {
  const columns = getTableColumns(table);
  return Object.keys(sample).map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`no column for ${key}`);
    const kind =
      column.columnType === 'PgJsonb' ? 'json' : column.dataType === 'array' ? 'array' : 'plain';
    return { key, name: column.name, kind };
  });
}

function copyValue(value: unknown, kind: CopyColumn['kind']): string {
  if (value === null || value === undefined) return '\\N';
  if (kind === 'json') return escapeCopy(JSON.stringify(value));
  if (kind === 'array') return escapeCopy(arrayLiteral(value as unknown[]));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return escapeCopy(String(value));
}

export function copyLine(row: Record<string, unknown>, columns: CopyColumn[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as CopyColumn;
    if (i > 0) line += '\t';
    line += copyValue(row[c.key], c.kind);
  }
  return `${line}\n`;
}

// ---------------------------------------------------------------- targets

/**
 * COPY … FROM STDIN as a pg "submittable": pg hands it the connection when the query is its
 * turn, calls handleCopyInResponse when the server is ready for data, then the usual handlers.
 */
class CopyIn {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (e: Error) => void;
  private error: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly chunks: Iterable<string>,
  ) {
    this.done = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: {
    stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
    sendCopyFromChunk(b: Buffer): void;
    endCopyFrom(): void;
    sendCopyFail(m: string): void;
  }): void {
    void (async () => {
      try {
        for (const chunk of this.chunks) {
          connection.sendCopyFromChunk(Buffer.from(chunk));
          if (connection.stream.writableNeedDrain) {
            await new Promise<void>((r) => connection.stream.once('drain', () => r()));
          }
        }
        connection.endCopyFrom();
      } catch (err) {
        this.error = err as Error;
        connection.sendCopyFail(String(err));
      }
    })();
  }

  handleCommandComplete(): void {}
  handleReadyForQuery(): void {
    if (this.error) this.reject(this.error);
    else this.resolve();
  }
  handleError(err: Error): void {
    this.error = this.error ?? err;
  }
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
}

export async function postgresTarget(url: string, parallel = 2): Promise<BulkTarget> {
  const clients = await Promise.all(
    Array.from({ length: parallel }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  const main = clients[0] as pg.Client;
  return {
    kind: 'postgres',
    configure: async (text) => {
      await Promise.all(clients.map((c) => c.query(text)));
    },
    exec: async (text) => {
      await main.query(text);
    },
    query: async <T>(text: string, params?: unknown[]) =>
      (await main.query(text, params)).rows as T[],
    copy: async (table, columns, chunks) => {
      const copy = new CopyIn(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, chunks);
      void main.query(copy as unknown as pg.QueryConfig);
      await copy.done;
    },
    runAll: async (statements) => {
      const queue = [...statements];
      await Promise.all(
        clients.map(async (c) => {
          for (let s = queue.shift(); s !== undefined; s = queue.shift()) await c.query(s);
        }),
      );
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.end()));
    },
  };
}

/** Rows per chunk handed to COPY. */
const CHUNK_ROWS = 1000;

/** Rows per COPY on PGlite: the blob is held in memory whole. */
const PGLITE_COPY_BATCH = 100_000;

export function pgliteTarget(client: PGlite): BulkTarget {
  return {
    kind: 'pglite',
    configure: async (text) => {
      await client.exec(text);
    },
    exec: async (text) => {
      await client.exec(text);
    },
    query: async <T>(text: string, params?: unknown[]) =>
      (await client.query<T>(text, params)).rows,
    copy: async (table, columns, chunks) => {
      let parts: string[] = [];
      let lines = 0;
      const flush = async () => {
        if (parts.length === 0) return;
        await client.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
          blob: new Blob(parts),
        });
        parts = [];
        lines = 0;
      };
      for (const chunk of chunks) {
        parts.push(chunk);
        lines += CHUNK_ROWS;
        if (lines >= PGLITE_COPY_BATCH) await flush();
      }
      await flush();
    },
    runAll: async (statements) => {
      for (const s of statements) await client.exec(s);
    },
    close: async () => {},
  };
}

// ---------------------------------------------------------------- the load

function* chunked<T>(
  count: number,
  row: (i: number) => T,
  line: (r: T) => string,
): Generator<string> {
  for (let from = 0; from < count; from += CHUNK_ROWS) {
    let s = '';
    const to = Math.min(count, from + CHUNK_ROWS);
    for (let i = from; i < to; i++) s += line(row(i));
    yield s;
  }
}

const RECORD_TABLES = ['companies', 'contacts', 'contact_companies'];

export interface LoadTimings {
  dropMs: number;
  copyMs: number;
  indexMs: number;
  analyzeMs: number;
  links: number;
}

/**
 * Load gen's companies, contacts and contact–company links into an empty workspace. Notes are
 * not loaded (nothing in the benchmark reads them).
 */
export async function loadRecords(
  target: BulkTarget,
  gen: DemoGenerator,
  log: (msg: string) => void,
): Promise<LoadTimings> {
  const t0 = performance.now();
  await target.configure(
    `SET session_replication_role = replica; SET maintenance_work_mem = '${target.kind === 'pglite' ? '256MB' : '512MB'}'`,
  );
  const indexes = await target.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                       WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
    [RECORD_TABLES],
  );
  for (const ix of indexes) await target.exec(`DROP INDEX "${ix.name}"`);
  const t1 = performance.now();

  const { companies: nCompanies, contacts: nContacts } = gen.opts;
  if (nCompanies > 0) {
    const cols = copyColumns(companies, gen.company(0));
    await target.copy(
      'companies',
      cols.map((c) => c.name),
      chunked(
        nCompanies,
        (i) => gen.company(i),
        (r) => copyLine(r, cols),
      ),
    );
    log(`    companies  ${nCompanies.toLocaleString('en-US')} rows`);
  }
  const linkLines: string[] = [];
  let links = 0;
  let linkCols: CopyColumn[] | null = null;
  if (nContacts > 0) {
    const cols = copyColumns(contacts, gen.contact(0));
    let pending = '';
    await target.copy(
      'contacts',
      cols.map((c) => c.name),
      chunked(
        nContacts,
        (i) => {
          const contact = gen.contact(i);
          const link = gen.contactCompany(i, contact);
          if (link) {
            linkCols ??= copyColumns(contactCompanies, link);
            pending += copyLine(link, linkCols);
            links++;
            if (pending.length > 1 << 20) {
              linkLines.push(pending);
              pending = '';
            }
          }
          return contact;
        },
        (r) => copyLine(r, cols),
      ),
    );
    if (pending) linkLines.push(pending);
    log(`    contacts   ${nContacts.toLocaleString('en-US')} rows`);
  }
  if (linkCols) {
    await target.copy(
      'contact_companies',
      (linkCols as CopyColumn[]).map((c) => c.name),
      linkLines,
    );
    log(`    links      ${links.toLocaleString('en-US')} rows`);
  }
  const t2 = performance.now();

  await target.runAll(indexes.map((ix) => ix.def));
  const t3 = performance.now();
  log(`    ${indexes.length} indexes rebuilt in ${((t3 - t2) / 1000).toFixed(1)} s`);
  await target.configure('SET session_replication_role = origin');
  await target.runAll(RECORD_TABLES.map((t) => `VACUUM ANALYZE ${t}`));
  const t4 = performance.now();
  return { dropMs: t1 - t0, copyMs: t2 - t1, indexMs: t3 - t2, analyzeMs: t4 - t3, links };
}
