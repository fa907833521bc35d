/**
 * The imports benchmark (issue #18, "Benchmark"), part of `npm run bench` (or alone:
 * `npm run bench -- imports`).
 *
 * Main run, native PostgreSQL: a fresh database holding BENCH_IMPORT_EXISTING contacts (and a
 * tenth as many companies) from the demo generator, bulk-loaded like the records bench does
 * (bench/records.ts: workspace through the API, COPY, indexes rebuilt, VACUUM ANALYZE). A
 * contacts CSV of BENCH_IMPORT_ROWS rows is written to a temporary file, streamed, under the
 * Vietnamese headers Họ và tên, SĐT, Email, Công ty, Địa chỉ, Ngày sinh:
 *   - 85 % new people (names, birthdays, addresses, employers from a demo generator with another
 *     seed; phones +84 87… and emails @khachhang.bench.vn that no loaded contact has),
 *   - 5 % invalid rows (a bad phone, an impossible date or a broken email, in turn),
 *   - 10 % rows duplicating a loaded contact, half by its email, half by its phone (a sample
 *     read from the database; the other key is new), so with `duplicates: 'skip'` they are
 *     skipped.
 * Measured through the HTTP API of a server running in a child process with jobs on (the
 * import job runs in it): upload (POST /contacts/imports, multipart), then start → done
 * (POST /imports/:id/start with the server's suggested mapping, GET /imports/:id polled every
 * 200 ms): the measured span "upload finished → job finished". rows/s = file rows / seconds.
 * The counts must add up (created + updated + skipped + failed = rows), failed ≈ 5 %,
 * skipped ≈ 10 %, and the contacts count must grow by `created`.
 *
 * Raw COPY baseline, same run: contacts_copy (LIKE contacts INCLUDING ALL: the same indexes,
 * trigram and GIN ones included; no foreign keys, no RLS) holding the same loaded rows, then the
 * 85 % clean rows, already as contact columns (normalised as the app stores them: E.164 phones,
 * split names, search keys), COPYed from a pre-rendered file (so the rate is COPY's, not the
 * generator's). Ratio = import rows/s ÷ COPY rows/s.
 *
 * Also: an XLSX of BENCH_IMPORT_XLSX_ROWS rows (the same mix; written with exceljs'
 * streaming WorkbookWriter) imported into the same database, and the CSV export of every
 * contact (GET /contacts/export?format=csv, streamed) — rows/s and the server's peak RSS.
 * PGlite: the same CSV import at BENCH_IMPORT_PGLITE_ROWS rows onto BENCH_IMPORT_PGLITE_EXISTING
 * contacts, beside a native run of the same size in the same bench (not scaled).
 *
 * Peak RSS: the server is `node scripts/dev-server.ts` under tsx (the source being measured;
 * BENCH_IMPORT_BUILT=1: `node bin/sen.js start`, the build in dist/), both with `npm start`'s
 * --max-semi-space-size=64 --max-old-space-size=256. Its peak is VmHWM from /proc/<pid>/status, reset before each
 * measured step (clear_refs) and checked against VmRSS sampled every 100 ms.
 *
 * Goals (issue #18): import ≥ 0.25× the raw COPY rate; the server's peak RSS ≤ 300 MB; PGlite
 * within 2.5× native (rows/s). Missed goals are reported, not fatal; errors exit 1.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL            server URL (default postgres://postgres@127.0.0.1:5432/)
 *   BENCH_IMPORT_EXISTING         contacts already in the database (default 1000000)
 *   BENCH_IMPORT_ROWS             rows in the CSV (default 1000000)
 *   BENCH_IMPORT_XLSX_ROWS        rows in the XLSX (default 100000; 0: no XLSX import)
 *   BENCH_IMPORT_EXPORT=0         no export measurement
 *   BENCH_IMPORT_PGLITE_ROWS      CSV rows on PGlite (default 100000; 0: no PGlite comparison)
 *   BENCH_IMPORT_PGLITE_EXISTING  contacts already there on PGlite (default 100000)
 *   BENCH_IMPORT_TIMEOUT_MINUTES  give up on one import after this long (default 60)
 *   BENCH_IMPORT_BUILT=1          run the built server (dist/) instead of the source under tsx
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { loadConfig } from '../src/config/env.js';
import type { PgliteDatabase } from '../src/db/database.js';
import { contacts as contactsTable } from '../src/db/schema/index.js';
import { getProvince, getWard } from '../src/lib/vn/admin-units.js';
import { createLogger } from '../src/lib/logger.js';
import { foldForSearch } from '../src/lib/vn/names.js';
import { formatPhoneNational } from '../src/lib/vn/phone.js';
import {
  contactSearchKeys,
  DemoGenerator,
  type ContactInsert,
} from '../src/modules/demo/generate.js';
import { startServer, type RunningServer } from '../src/server.js';
import { DEMO_NOW, demoGenerator, loadDemo, SEED, setUp, type Fixture } from './records.js';
import {
  copyColumns,
  copyLine,
  pgliteTarget,
  postgresTarget,
  type BulkTarget,
} from './records-load.js';
import { fmt, fmtInt, formatTable } from './stats.js';

const BENCH_DB = 'sen_bench_imports';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

class ImportsBenchError extends Error {}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ImportsBenchError(`${name} must be an integer ≥ 0`);
  return n;
}

const settings = {
  baseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/',
  existing: intEnv('BENCH_IMPORT_EXISTING', 1_000_000),
  rows: intEnv('BENCH_IMPORT_ROWS', 1_000_000),
  xlsxRows: intEnv('BENCH_IMPORT_XLSX_ROWS', 100_000),
  exportAll: process.env.BENCH_IMPORT_EXPORT !== '0',
  pgliteRows: intEnv('BENCH_IMPORT_PGLITE_ROWS', 100_000),
  pgliteExisting: intEnv('BENCH_IMPORT_PGLITE_EXISTING', 100_000),
  timeoutMs: intEnv('BENCH_IMPORT_TIMEOUT_MINUTES', 60) * 60_000,
  built: process.env.BENCH_IMPORT_BUILT === '1',
};

const COPY_GOAL = 0.25;
const RSS_GOAL_MB = 300;
const PGLITE_RATIO = 2.5;
const HEADERS = ['Họ và tên', 'SĐT', 'Email', 'Công ty', 'Địa chỉ', 'Ngày sinh'];
/** New rows' emails: no loaded contact has this domain. */
const NEW_EMAIL_DOMAIN = 'khachhang.bench.vn';
/** New rows' mobile prefix: one the demo generator never uses (+84 87…, 7 digits after it). */
const NEW_PHONE_PREFIX = '+8487';

function databaseUrl(name: string): string {
  const url = new URL(settings.baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const mb = (kb: number) => kb / 1024;

// ---------------------------------------------------------------- the file's rows

type RowKind = 'new' | 'invalid' | 'duplicate';

/** Exactly 5 % invalid and 10 % duplicate rows, spread evenly through the file. */
function kindOf(i: number): RowKind {
  if (i % 20 === 7) return 'invalid';
  if (i % 10 === 3) return 'duplicate';
  return 'new';
}

/** A loaded contact, read from the database, that duplicate rows repeat. */
interface Existing {
  name: string;
  email: string | null;
  phone: string | null;
}

/** A time-ordered UUID (v7), as the app gives the records it creates. */
function uuidv7(): string {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

interface FileRow {
  kind: RowKind;
  /** Họ và tên, SĐT, Email, Công ty, Địa chỉ, Ngày sinh (birthday as yyyy-mm-dd when valid). */
  cells: [string, string, string, string, string, string];
  /** A valid birthday (XLSX writes it as a date cell). */
  birthday: string | null;
  /** The contact as the app stores it (new rows only): the raw COPY's row. */
  contact: ContactInsert | null;
}

/**
 * The rows of the benchmark's files, a pure function of the row number (as the demo generator
 * is): file row n of any file is the same, so a file is written in one pass without being held
 * in memory and the COPY baseline gets exactly the CSV's clean rows.
 */
class ImportRows {
  private readonly people: DemoGenerator;
  private readonly companyNames: DemoGenerator;

  constructor(
    private readonly fixture: Fixture,
    existing: { contacts: number; companies: number },
    private readonly duplicates: readonly Existing[],
  ) {
    // Names, birthdays, addresses and employers of new people: another seed. One employer in
    // eleven is a company that is not loaded (created by the import), the rest are linked.
    this.people = new DemoGenerator({
      workspaceId: fixture.workspaceId,
      ownerIds: [fixture.adminId],
      contacts: 0,
      companies: Math.max(1, Math.round(existing.companies * 1.1)),
      seed: SEED + 1,
      now: DEMO_NOW,
      tagDemo: false,
    });
    // The loaded companies' names (companyCore(k) is company k's name for k < companies).
    this.companyNames = demoGenerator(fixture, existing);
  }

  /** Row n (0-based, counted across all the files of one database). */
  row(n: number): FileRow {
    const kind = kindOf(n);
    const person = this.people.contact(n);
    const employer = this.people.employer(n);
    const company = employer ? this.companyNames.companyCore(employer.company).name : '';
    const address = person.addresses?.[0];
    const ward = address?.wardCode ? getWard(address.wardCode) : null;
    const province = address?.provinceCode ? getProvince(address.provinceCode) : null;
    const addressText = address
      ? [address.street, ward?.name, province?.name].filter(Boolean).join(', ')
      : '';
    if (n >= 10_000_000) throw new ImportsBenchError('at most 10,000,000 file rows');
    const phone = `${NEW_PHONE_PREFIX}${String(n).padStart(7, '0')}`;
    const local =
      `${foldForSearch(person.givenName ?? '')}.${foldForSearch(person.familyName ?? '')}`
        .replace(/[^a-z.]/g, '')
        .replace(/^\.|\.$/g, '');
    const email = `${local || 'khach'}.${n}@${NEW_EMAIL_DOMAIN}`;
    const birthday = person.birthday ?? null;

    if (kind === 'duplicate') {
      const dup = this.duplicates[Math.floor(n / 10) % this.duplicates.length];
      if (!dup) throw new ImportsBenchError('no loaded contacts to duplicate');
      // Half by email, half by phone (the other key new); by phone when it has no email.
      const byEmail = dup.email !== null && (Math.floor(n / 10) % 2 === 0 || dup.phone === null);
      return {
        kind,
        cells: [
          dup.name,
          byEmail ? formatPhoneNational(phone) : formatPhoneNational(dup.phone ?? phone),
          byEmail ? (dup.email ?? email) : email,
          company,
          addressText,
          birthday ? ddmmyyyy(birthday) : '',
        ],
        birthday,
        contact: null,
      };
    }

    const cells: FileRow['cells'] = [
      person.displayName,
      formatPhoneNational(phone),
      email,
      company,
      addressText,
      birthday ? ddmmyyyy(birthday) : '',
    ];
    if (kind === 'invalid') {
      const which = Math.floor(n / 20) % 3;
      if (which === 0) cells[1] = `012 ${String(n % 1000).padStart(3, '0')}`;
      else if (which === 1) cells[5] = `31/02/${1960 + (n % 40)}`;
      else cells[2] = email.replace('@', '@@');
      return { kind, cells, birthday: which === 1 ? null : birthday, contact: null };
    }

    const emails = [{ value: email, label: 'personal', primary: true }];
    const phones = [{ value: phone, label: 'mobile', primary: true }];
    const now = new Date();
    const contact: ContactInsert = {
      ...person,
      id: uuidv7(),
      ownerId: this.fixture.adminId,
      tags: [],
      custom: {},
      ...contactSearchKeys({
        familyName: person.familyName ?? null,
        middleName: person.middleName ?? null,
        givenName: person.givenName ?? null,
        displayName: person.displayName,
        emails,
        phones,
      }),
      createdAt: now,
      updatedAt: now,
      salutation: null,
      gender: null,
      emails,
      phones,
      primaryEmail: email,
      primaryPhone: phone,
      source: null,
      lifecycleStage: 'lead',
      consent: {},
    };
    return { kind, cells, birthday, contact };
  }
}

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes to a file stream, waiting for it to drain when its buffer is full. */
async function write(out: fs.WriteStream, text: string): Promise<void> {
  if (text && !out.write(text)) await once(out, 'drain');
}

interface WrittenFiles {
  csv: string;
  csvBytes: number;
  copy: string;
  /** Rows of each kind in the CSV. */
  counts: Record<RowKind, number>;
}

/**
 * The CSV (UTF-8 with BOM, CRLF, as Excel writes it) and, in the same pass, the COPY text of its
 * clean rows.
 */
async function writeCsv(dir: string, rows: ImportRows, count: number): Promise<WrittenFiles> {
  const csv = path.join(dir, 'contacts.csv');
  const copy = path.join(dir, 'contacts.copy');
  const counts: Record<RowKind, number> = { new: 0, invalid: 0, duplicate: 0 };
  const csvOut = fs.createWriteStream(csv);
  const copyOut = fs.createWriteStream(copy);
  let columns: ReturnType<typeof copyColumns> | null = null;
  await write(csvOut, `\ufeff${HEADERS.join(',')}\r\n`);
  const CHUNK = 1000;
  for (let from = 0; from < count; from += CHUNK) {
    let text = '';
    let copyText = '';
    for (let n = from; n < Math.min(count, from + CHUNK); n++) {
      const r = rows.row(n);
      counts[r.kind]++;
      text += `${r.cells.map(csvCell).join(',')}\r\n`;
      if (r.contact) {
        columns ??= copyColumns(contactsTable, r.contact);
        copyText += copyLine(r.contact, columns);
      }
    }
    await write(csvOut, text);
    await write(copyOut, copyText);
  }
  csvOut.end();
  copyOut.end();
  await Promise.all([finished(csvOut), finished(copyOut)]);
  fs.writeFileSync(`${copy}.columns`, JSON.stringify((columns ?? []).map((c) => c.name)));
  return { csv, csvBytes: fs.statSync(csv).size, copy, counts };
}

/** An XLSX of rows from..from+count (exceljs streaming writer: one row in memory at a time). */
async function writeXlsx(
  dir: string,
  rows: ImportRows,
  from: number,
  count: number,
): Promise<{ file: string; bytes: number; counts: Record<RowKind, number> }> {
  const file = path.join(dir, 'contacts.xlsx');
  const counts: Record<RowKind, number> = { new: 0, invalid: 0, duplicate: 0 };
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet('Khách hàng');
  sheet.addRow(HEADERS).commit();
  for (let n = from; n < from + count; n++) {
    const r = rows.row(n);
    counts[r.kind]++;
    // A valid birthday is a date cell, as a sheet typed by hand has it; others stay text.
    const birthday = r.birthday ? new Date(`${r.birthday}T00:00:00Z`) : r.cells[5];
    sheet.addRow([...r.cells.slice(0, 5), birthday]).commit();
  }
  sheet.commit();
  await workbook.commit();
  return { file, bytes: fs.statSync(file).size, counts };
}

/** The COPY file in chunks that end at line ends (PGlite COPYs a batch of whole lines). */
function* copyChunks(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const data = Buffer.concat([carry, buf.subarray(0, n)]);
      const end = data.lastIndexOf(10) + 1;
      carry = Buffer.from(data.subarray(end));
      if (end > 0) yield data.subarray(0, end).toString('utf8');
    }
    if (carry.length > 0) yield carry.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------- the raw COPY baseline

/**
 * contacts_copy: LIKE contacts INCLUDING ALL (defaults, constraints, every index), filled with
 * the loaded contacts (its secondary indexes built after the fill, like the load's), analysed.
 */
async function prepareCopyTable(target: BulkTarget): Promise<void> {
  await target.exec('DROP TABLE IF EXISTS contacts_copy');
  await target.exec('CREATE TABLE contacts_copy (LIKE contacts INCLUDING ALL)');
  const indexes = await target.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = 'contacts_copy'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                       WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
  );
  for (const ix of indexes) await target.exec(`DROP INDEX "${ix.name}"`);
  await target.exec('INSERT INTO contacts_copy SELECT * FROM contacts');
  await target.runAll(indexes.map((ix) => ix.def));
  await target.exec('VACUUM ANALYZE contacts_copy');
}

/** COPY the clean rows into contacts_copy; the seconds it took. */
async function timeCopy(target: BulkTarget, files: WrittenFiles): Promise<number> {
  const columns = JSON.parse(fs.readFileSync(`${files.copy}.columns`, 'utf8')) as string[];
  const t0 = performance.now();
  await target.copy('contacts_copy', columns, copyChunks(files.copy));
  const seconds = (performance.now() - t0) / 1000;
  const [row] = await target.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM contacts_copy WHERE primary_email LIKE $1',
    [`%@${NEW_EMAIL_DOMAIN}`],
  );
  if (Number(row?.n) !== files.counts.new) {
    throw new ImportsBenchError(`COPY wrote ${row?.n} rows, not ${files.counts.new}`);
  }
  return seconds;
}

// ---------------------------------------------------------------- the server, in a child

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

function procStatus(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return null;
  }
}

class ServerChild {
  private output = '';
  private exited: Promise<number | null>;
  private sampler: NodeJS.Timeout | null = null;
  private sampledKb = 0;
  private hwmReset = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  static async start(env: Record<string, string>): Promise<ServerChild> {
    const port = await freePort();
    const args = settings.built
      ? ['--max-semi-space-size=64', '--max-old-space-size=256', 'bin/sen.js', 'start']
      : [
          '--max-semi-space-size=64',
          '--max-old-space-size=256',
          '--import',
          'tsx',
          'scripts/dev-server.ts',
        ];
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port) };
    if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerChild(child, `http://127.0.0.1:${port}`);
    const keep = (b: Buffer) => {
      server.output = (server.output + b.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 180_000;
    let exitCode: number | null | undefined;
    void server.exited.then((c) => {
      exitCode = c;
    });
    for (;;) {
      if (exitCode !== undefined) {
        throw new ImportsBenchError(`the server exited (${exitCode}):\n${server.output}`);
      }
      const ready = await fetch(`${server.url}/health/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) {
        await server.stop();
        throw new ImportsBenchError(`the server was not ready in 180 s:\n${server.output}`);
      }
      await sleep(250);
    }
    return server;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new ImportsBenchError('the server has no pid');
    return this.child.pid;
  }

  /** Starts a peak-RSS measurement: VmHWM reset (where the kernel allows it), VmRSS sampled. */
  startPeak(): void {
    this.stopSampling();
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    this.sampledKb = procStatus(this.pid)?.rssKb ?? 0;
    this.sampler = setInterval(() => {
      const s = procStatus(this.pid);
      if (s) this.sampledKb = Math.max(this.sampledKb, s.rssKb);
    }, 100);
  }

  /** The peak RSS (MB) since startPeak(). */
  peakMb(): number {
    this.stopSampling();
    const s = procStatus(this.pid);
    const hwm = this.hwmReset && s ? s.hwmKb : 0;
    return mb(Math.max(hwm, this.sampledKb, s?.rssKb ?? 0));
  }

  /** RSS now (MB). */
  rssMb(): number {
    return mb(procStatus(this.pid)?.rssKb ?? 0);
  }

  private stopSampling(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
  }

  /** Fails with the server's recent output. */
  fail(message: string): never {
    throw new ImportsBenchError(`${message}\n--- server output (last lines):\n${this.output}`);
  }

  async stop(): Promise<void> {
    this.stopSampling();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const code = await Promise.race([this.exited, sleep(60_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

// ---------------------------------------------------------------- HTTP

async function request(
  base: string,
  method: 'GET' | 'POST',
  p: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

/** POST a file as the multipart "file" part, streamed from disk. */
function uploadFile(
  base: string,
  p: string,
  file: string,
  contentType: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const boundary = `----senbench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${p}`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + size + tail.length),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
          });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { text } });
        }
      });
    });
    req.write(head);
    const input = fs.createReadStream(file);
    input.on('error', reject);
    input.pipe(req, { end: false });
    input.on('end', () => req.end(tail));
  });
}

interface ImportOutcome {
  rows: number;
  uploadSeconds: number;
  seconds: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  peakMb: number;
}

/** Upload, start with the suggested mapping (duplicates skipped), wait for done. */
async function runImport(
  server: ServerChild,
  session: Record<string, string>,
  file: string,
  contentType: string,
  expectedRows: number,
  log: (s: string) => void,
): Promise<ImportOutcome> {
  server.startPeak();
  const t0 = performance.now();
  const up = await uploadFile(server.url, '/api/v1/contacts/imports', file, contentType, session);
  const uploadSeconds = (performance.now() - t0) / 1000;
  if (up.status !== 201) server.fail(`upload → ${up.status}: ${JSON.stringify(up.body)}`);
  const id = up.body.id as string;
  const totalRows = up.body.totalRows as number;
  const headers = up.body.headers as string[];
  const mapping = up.body.mapping as (string | null)[];
  if (totalRows !== expectedRows) {
    server.fail(`the upload counted ${totalRows} rows, the file has ${expectedRows}`);
  }
  log(
    `    uploaded in ${uploadSeconds.toFixed(1)} s; suggested mapping ` +
      headers.map((h, i) => `${h} → ${mapping[i] ?? '—'}`).join(', '),
  );
  if (mapping.some((m) => m === null)) server.fail('a column has no suggested target');

  const t1 = performance.now();
  const started = await request(server.url, 'POST', `/api/v1/imports/${id}/start`, session, {
    mapping,
    options: { duplicates: 'skip' },
  });
  if (started.status !== 202) {
    server.fail(`start → ${started.status}: ${JSON.stringify(started.body)}`);
  }
  let body: Record<string, unknown> = started.body;
  let lastLog = performance.now();
  while (body.status !== 'done') {
    if (body.status === 'failed') server.fail(`the import failed: ${JSON.stringify(body.error)}`);
    if (performance.now() - t1 > settings.timeoutMs) {
      server.fail(
        `the import had done ${String(body.rowsDone)} rows after ${settings.timeoutMs / 60_000} min: given up`,
      );
    }
    await sleep(200);
    const got = await request(server.url, 'GET', `/api/v1/imports/${id}`, session);
    if (got.status !== 200) server.fail(`GET /imports/${id} → ${got.status}`);
    body = got.body;
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      log(
        `    … ${fmtInt(Number(body.rowsDone))} rows, ${fmtInt(Number(body.rowsPerSecond ?? NaN))} rows/s, ` +
          `RSS ${server.rssMb().toFixed(0)} MB`,
      );
    }
  }
  const seconds = (performance.now() - t1) / 1000;
  const peakMb = server.peakMb();
  const n = (k: string) => Number(body[k]);
  return {
    rows: totalRows,
    uploadSeconds,
    seconds,
    created: n('created'),
    updated: n('updated'),
    skipped: n('skipped'),
    failed: n('failed'),
    peakMb,
  };
}

/** The outcome's counts against the file's mix; a mismatch in the sum is an error. */
function checkCounts(
  what: string,
  o: ImportOutcome,
  counts: Record<RowKind, number>,
  log: (s: string) => void,
): void {
  const sum = o.created + o.updated + o.skipped + o.failed;
  const pct = (x: number) => `${fmt((100 * x) / o.rows, 2)} %`;
  log(
    `    ${what}: created ${fmtInt(o.created)}, updated ${fmtInt(o.updated)}, ` +
      `skipped ${fmtInt(o.skipped)} (${pct(o.skipped)}; file ${fmtInt(counts.duplicate)}), ` +
      `failed ${fmtInt(o.failed)} (${pct(o.failed)}; file ${fmtInt(counts.invalid)}), ` +
      `sum ${fmtInt(sum)} of ${fmtInt(o.rows)} rows`,
  );
  if (sum !== o.rows) {
    throw new ImportsBenchError(`${what}: the counts add up to ${sum}, not ${o.rows} rows`);
  }
  const off = (got: number, want: number) => Math.abs(got - want) > Math.max(2, 0.01 * o.rows);
  if (off(o.failed, counts.invalid) || off(o.skipped, counts.duplicate)) {
    log(`    WARNING: the outcome differs from the file's mix by more than 1 % of the rows`);
  }
}

/** The CSV records in a response body (quote-aware: a quoted field may hold newlines). */
async function countCsvRecords(
  res: http.IncomingMessage,
): Promise<{ records: number; bytes: number }> {
  let records = 0;
  let bytes = 0;
  let quoted = false;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === 34) quoted = !quoted;
      else if (c === 10 && !quoted) records++;
    }
  }
  return { records, bytes };
}

interface ExportOutcome {
  measured: boolean;
  note: string;
  rows: number;
  seconds: number;
  peakMb: number;
}

/** GET /contacts/export?format=csv of every contact, timed to its last byte. */
async function runExport(
  server: ServerChild,
  session: Record<string, string>,
  expected: number,
): Promise<ExportOutcome> {
  server.startPeak();
  const t0 = performance.now();
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http
      .get(`${server.url}/api/v1/contacts/export?format=csv`, { headers: session }, resolve)
      .on('error', reject);
  });
  if (res.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
    server.peakMb();
    return {
      measured: false,
      note: `GET /contacts/export?format=csv → ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`,
      rows: 0,
      seconds: 0,
      peakMb: 0,
    };
  }
  const { records, bytes } = await countCsvRecords(res);
  const seconds = (performance.now() - t0) / 1000;
  const peakMb = server.peakMb();
  const rows = records - 1; // the header
  if (rows !== expected) {
    return {
      measured: false,
      note: `the export streamed ${fmtInt(rows)} rows of ${fmtInt(expected)} contacts (a cap?)`,
      rows,
      seconds,
      peakMb,
    };
  }
  return {
    measured: true,
    note: `${(bytes / 2 ** 20).toFixed(0)} MB of CSV`,
    rows,
    seconds,
    peakMb,
  };
}

// ---------------------------------------------------------------- one database

interface Scenario {
  backend: 'postgres' | 'pglite';
  existing: number;
  rows: number;
  xlsxRows: number;
  exportAll: boolean;
}

interface ScenarioResult {
  scenario: Scenario;
  csv: ImportOutcome & { bytes: number };
  copy: { rows: number; seconds: number };
  xlsx: (ImportOutcome & { bytes: number }) | null;
  export: ExportOutcome | null;
  idleMb: number;
}

/** Reads a sample of loaded contacts to duplicate (a fixed pseudo-random order). */
async function sampleExisting(target: BulkTarget, count: number): Promise<Existing[]> {
  const rows = await target.query<{
    name: string;
    email: string | null;
    phone: string | null;
  }>(
    `SELECT display_name AS name, primary_email AS email, primary_phone AS phone FROM contacts
     WHERE deleted_at IS NULL AND (primary_email IS NOT NULL OR primary_phone IS NOT NULL)
     ORDER BY md5(id::text) LIMIT $1`,
    [Math.max(1, count)],
  );
  if (rows.length === 0) throw new ImportsBenchError('no loaded contacts to duplicate');
  return rows;
}

async function runScenario(s: Scenario, log: (s: string) => void): Promise<ScenarioResult> {
  const label = `${s.backend}, ${fmtInt(s.existing)} existing`;
  log(
    `  ${label}: CSV of ${fmtInt(s.rows)} rows${s.xlsxRows ? `, XLSX of ${fmtInt(s.xlsxRows)}` : ''}`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-bench-imports-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    SEN_DATA_DIR: dataDir,
    SEN_BACKUP_SCHEDULE: '',
  };
  let admin: pg.Client | null = null;
  let inProcess: RunningServer | null = null;
  let child: ServerChild | null = null;
  let target: BulkTarget | null = null;
  try {
    if (s.backend === 'postgres') {
      admin = new pg.Client({ connectionString: databaseUrl('postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${BENCH_DB}`);
      env.DATABASE_URL = databaseUrl(BENCH_DB);
    }

    // 1. Set up and load in this process (jobs off), as the records bench does.
    const config = loadConfig({ ...env, PORT: '0', SEN_JOBS: 'false' });
    inProcess = await startServer(config, createLogger(config.logLevel));
    const fixture = await setUp(inProcess.url);
    target =
      s.backend === 'postgres'
        ? await postgresTarget(databaseUrl(BENCH_DB))
        : pgliteTarget((inProcess.ctx.db as PgliteDatabase).client);
    const companies = Math.round(s.existing / 10);
    await loadDemo(target, fixture, { contacts: s.existing, companies, products: 0 }, log);

    // 2. The files, and the baseline table with the same rows and indexes.
    let t = performance.now();
    const dupCount = Math.ceil((s.rows + s.xlsxRows) / 10);
    const rows = new ImportRows(
      fixture,
      { contacts: s.existing, companies },
      await sampleExisting(target, dupCount),
    );
    const files = await writeCsv(dir, rows, s.rows);
    const xlsx = s.xlsxRows > 0 ? await writeXlsx(dir, rows, s.rows, s.xlsxRows) : null;
    log(
      `    files written in ${((performance.now() - t) / 1000).toFixed(0)} s: CSV ${(files.csvBytes / 2 ** 20).toFixed(0)} MB` +
        (xlsx ? `, XLSX ${(xlsx.bytes / 2 ** 20).toFixed(0)} MB` : ''),
    );
    t = performance.now();
    await prepareCopyTable(target);
    log(`    contacts_copy filled and indexed in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const copySeconds = await timeCopy(target, files);
    log(
      `    raw COPY: ${fmtInt(files.counts.new)} rows in ${copySeconds.toFixed(1)} s = ` +
        `${fmtInt(files.counts.new / copySeconds)} rows/s`,
    );
    // The baseline's table is not the import's: out of the way (and its WAL flushed) first.
    await target.exec('DROP TABLE contacts_copy');
    if (s.backend === 'postgres') await target.exec('CHECKPOINT');
    await target.close();
    target = null;
    await inProcess.close();
    inProcess = null;

    // 3. The measured server, in a child process with jobs on.
    const importMax = Math.max(
      200 * 2 ** 20,
      files.csvBytes + 2 ** 20,
      (xlsx?.bytes ?? 0) + 2 ** 20,
    );
    if (importMax > 200 * 2 ** 20) {
      log(`    note: the CSV is over the default 200 MB upload limit; SEN_IMPORT_MAX_BYTES raised`);
    }
    child = await ServerChild.start({
      ...env,
      SEN_JOBS: 'true',
      SEN_IMPORT_MAX_BYTES: String(importMax),
    });
    const idleMb = child.rssMb();
    log(`    server pid ${child.pid} ready, RSS ${idleMb.toFixed(0)} MB`);

    const csv = await runImport(child, fixture.session, files.csv, 'text/csv', s.rows, log);
    log(
      `    CSV import: ${csv.seconds.toFixed(1)} s = ${fmtInt(csv.rows / csv.seconds)} rows/s, ` +
        `peak RSS ${csv.peakMb.toFixed(0)} MB`,
    );
    checkCounts('CSV', csv, files.counts, log);
    let created = csv.created;

    let xlsxOutcome: ScenarioResult['xlsx'] = null;
    if (xlsx) {
      const o = await runImport(
        child,
        fixture.session,
        xlsx.file,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        s.xlsxRows,
        log,
      );
      log(
        `    XLSX import: ${o.seconds.toFixed(1)} s = ${fmtInt(o.rows / o.seconds)} rows/s, ` +
          `peak RSS ${o.peakMb.toFixed(0)} MB`,
      );
      checkCounts('XLSX', o, xlsx.counts, log);
      created += o.created;
      xlsxOutcome = { ...o, bytes: xlsx.bytes };
    }

    const count = await request(child.url, 'GET', '/api/v1/contacts/count', fixture.session);
    if (Number(count.body.count) !== s.existing + created) {
      child.fail(
        `${String(count.body.count)} contacts after the imports, not ${s.existing} + ${created} created`,
      );
    }

    let exported: ExportOutcome | null = null;
    if (s.exportAll) {
      exported = await runExport(child, fixture.session, s.existing + created);
      log(
        exported.measured
          ? `    export: ${fmtInt(exported.rows)} rows in ${exported.seconds.toFixed(1)} s, peak RSS ${exported.peakMb.toFixed(0)} MB`
          : `    export: not measured (${exported.note})`,
      );
    }
    return {
      scenario: s,
      csv: { ...csv, bytes: files.csvBytes },
      copy: { rows: files.counts.new, seconds: copySeconds },
      xlsx: xlsxOutcome,
      export: exported,
      idleMb,
    };
  } finally {
    await child?.stop().catch((err: unknown) => console.error('stopping the server failed:', err));
    await target?.close().catch(() => {});
    await inProcess?.close().catch((err: unknown) => console.error('closing Sen failed:', err));
    if (admin) {
      await admin
        .query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
        .catch((err: unknown) => console.error(`dropping ${BENCH_DB} failed:`, err));
      await admin.end().catch(() => {});
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

/** Runs the suite and prints its table; true when every goal is met. */
export async function runImportsBench(): Promise<boolean> {
  const log = (s: string) => console.log(s);
  console.log('Sen benchmark: imports (issue #18)');
  console.log(
    `  server      child process (${settings.built ? 'node bin/sen.js start, dist/' : 'node --import tsx scripts/dev-server.ts, the source'}), ` +
      'jobs on; HTTP API with the admin session',
  );
  console.log(
    '  files       5 % invalid rows, 10 % duplicates of loaded contacts (email or phone), ' +
      "duplicates: 'skip'",
  );
  const main: Scenario = {
    backend: 'postgres',
    existing: settings.existing,
    rows: settings.rows,
    xlsxRows: settings.xlsxRows,
    exportAll: settings.exportAll,
  };
  const results: ScenarioResult[] = [await runScenario(main, log)];
  let native = results[0];
  let pglite: ScenarioResult | null = null;
  if (settings.pgliteRows > 0) {
    const size = { existing: settings.pgliteExisting, rows: settings.pgliteRows };
    if (size.existing !== main.existing || size.rows !== main.rows) {
      native = await runScenario(
        { backend: 'postgres', ...size, xlsxRows: 0, exportAll: false },
        log,
      );
      results.push(native);
    }
    pglite = await runScenario({ backend: 'pglite', ...size, xlsxRows: 0, exportAll: false }, log);
    results.push(pglite);
  }
  console.log('');

  let met = true;
  const verdict = (ok: boolean) => {
    met &&= ok;
    return ok ? 'met' : 'NOT met';
  };
  const size = (r: ScenarioResult) =>
    `${r.scenario.backend}, ${(r.scenario.existing / 1e6).toLocaleString('en-US')}M existing`;
  const rssGoal = `RSS ≤ ${RSS_GOAL_MB} MB`;
  const table: string[][] = [];
  for (const r of results) {
    const rate = r.csv.rows / r.csv.seconds;
    const copyRate = r.copy.rows / r.copy.seconds;
    const ratio = rate / copyRate;
    const rssOk = r.csv.peakMb <= RSS_GOAL_MB;
    if (r.scenario.backend === 'postgres') {
      table.push([
        `CSV import (${size(r)})`,
        fmtInt(r.csv.rows),
        fmt(r.csv.seconds, 1),
        fmtInt(rate),
        fmtInt(copyRate),
        `${fmt(ratio, 2)}× COPY`,
        `≥ ${COPY_GOAL}× COPY, ${rssGoal}`,
        verdict(ratio >= COPY_GOAL && rssOk),
        fmt(r.csv.peakMb, 0),
      ]);
    } else {
      const base = native ? native.csv.rows / native.csv.seconds : NaN;
      const slower = base / rate;
      table.push([
        `CSV import (${size(r)})`,
        fmtInt(r.csv.rows),
        fmt(r.csv.seconds, 1),
        fmtInt(rate),
        fmtInt(copyRate),
        `${fmt(slower, 2)}× slower than native`,
        `≤ ${PGLITE_RATIO}× native, ${rssGoal}`,
        verdict(slower <= PGLITE_RATIO && rssOk),
        fmt(r.csv.peakMb, 0),
      ]);
    }
    if (r.xlsx) {
      table.push([
        `XLSX import (${size(r)})`,
        fmtInt(r.xlsx.rows),
        fmt(r.xlsx.seconds, 1),
        fmtInt(r.xlsx.rows / r.xlsx.seconds),
        '—',
        '—',
        rssGoal,
        verdict(r.xlsx.peakMb <= RSS_GOAL_MB),
        fmt(r.xlsx.peakMb, 0),
      ]);
    }
    if (r.export) {
      const e = r.export;
      table.push(
        e.measured
          ? [
              `CSV export, all contacts (${r.scenario.backend})`,
              fmtInt(e.rows),
              fmt(e.seconds, 1),
              fmtInt(e.rows / e.seconds),
              '—',
              '—',
              rssGoal,
              verdict(e.peakMb <= RSS_GOAL_MB),
              fmt(e.peakMb, 0),
            ]
          : [
              `CSV export (${r.scenario.backend})`,
              '—',
              '—',
              '—',
              '—',
              '—',
              '—',
              'not measured',
              '—',
            ],
      );
    }
  }
  console.log(
    formatTable(
      [
        'target',
        'rows',
        'seconds',
        'rows/s',
        'raw COPY rows/s',
        'ratio',
        'goal',
        'result',
        'peak RSS MB',
      ],
      table,
    ),
  );
  console.log(
    '  seconds: upload finished → job finished (start, then GET /imports/:id every 200 ms); the\n' +
      '  export: request → last byte. rows/s = rows in the file / seconds. raw COPY: the clean\n' +
      '  (new) rows, COPYed into contacts_copy (LIKE contacts INCLUDING ALL, the same rows loaded).\n' +
      '  peak RSS: the server process, from upload start (VmHWM reset) to the job’s end.',
  );
  for (const r of results) {
    console.log(
      `  ${size(r)}: upload ${fmt(r.csv.uploadSeconds, 1)} s (CSV ${(r.csv.bytes / 2 ** 20).toFixed(0)} MB)` +
        (r.xlsx
          ? `, XLSX upload ${fmt(r.xlsx.uploadSeconds, 1)} s (${(r.xlsx.bytes / 2 ** 20).toFixed(0)} MB)`
          : '') +
        `; server RSS at start ${r.idleMb.toFixed(0)} MB`,
    );
    if (r.export && !r.export.measured) console.log(`  export: not measured (${r.export.note})`);
  }
  if (pglite && native && native !== results[0]) {
    console.log(`  PGlite compared with a native run of the same size in this bench (not scaled).`);
  }
  console.log('');
  console.log(`Imports goals: ${met ? 'met' : 'NOT met'}`);
  return met;
}
