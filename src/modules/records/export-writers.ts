import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale, LocalisedText } from '../../core/errors.js';
import { cellValue, csvHeader, csvRows, zoneOffset, type ExportColumn } from './export.js';
import type { ExportFormat } from './export-formats.js';

/**
 * Export files written page by page onto a stream (an HTTP response, a job's temp file), with
 * backpressure: `rows()` resolves only once the stream has taken the page (its buffer is below
 * its high-water mark again), so the caller reads the next page only then and a million rows
 * pass through bounded memory. A destination that is closed before the end (the client went
 * away) makes `rows()` reject with ExportAborted, which stops the reading.
 */
type Rec = Record<string, unknown>;

export interface ExportWriter {
  rows(batch: Rec[]): Promise<void>;
  /** The last bytes; resolves when the destination has them (a file: closed). */
  end(): Promise<void>;
}

export const exportFiles: Record<ExportFormat, { extension: string; contentType: string }> = {
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
  xlsx: {
    extension: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  vcf: { extension: 'vcf', contentType: 'text/vcard; charset=utf-8' },
};

export class ExportAborted extends Error {
  constructor() {
    super('the export destination was closed before the end');
    this.name = 'ExportAborted';
  }
}

/**
 * Until `stream` has drained. Rejects when `guard` (the final destination) closes or fails
 * first: nothing would ever drain then.
 */
function drained(stream: Writable, guard: Writable): Promise<void> {
  if (guard.destroyed || guard.closed) return Promise.reject(new ExportAborted());
  return new Promise((resolve, reject) => {
    const done = (err?: unknown) => {
      stream.off('drain', onDrain);
      guard.off('close', onClose);
      guard.off('error', onClose);
      if (stream !== guard) stream.off('error', onClose);
      if (err) reject(err instanceof Error ? err : new ExportAborted());
      else resolve();
    };
    const onDrain = () => done();
    const onClose = (err?: unknown) => done(err ?? new ExportAborted());
    stream.on('drain', onDrain);
    guard.on('close', onClose);
    guard.on('error', onClose);
    if (stream !== guard) stream.on('error', onClose);
  });
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new ExportAborted();
  if (!out.write(chunk)) await drained(out, out);
}

async function close(out: Writable): Promise<void> {
  out.end();
  await finished(out, { readable: false });
}

export interface WriterOptions {
  columns: ExportColumn[];
  locale: Locale;
  /** The sheet's name (XLSX): the object's label. */
  title: LocalisedText;
  /** Timestamps in XLSX are shown in this zone (the workspace's). */
  timeZone: string;
  /** The object's card of one record (vcf only). */
  vcard?: ((record: Rec) => string) | undefined;
}

export function exportWriter(format: ExportFormat, out: Writable, opts: WriterOptions) {
  if (format === 'xlsx') return xlsxWriter(out, opts);
  if (format === 'vcf') {
    const card = opts.vcard;
    if (!card) throw new Error('no vCard for this object');
    return textWriter(out, '', (rows) => rows.map(card).join(''));
  }
  return textWriter(out, csvHeader(opts.columns, opts.locale), (rows) =>
    csvRows(opts.columns, rows, opts.locale),
  );
}

function textWriter(out: Writable, header: string, body: (rows: Rec[]) => string): ExportWriter {
  let pending = header;
  return {
    async rows(batch) {
      const text = pending + body(batch);
      pending = '';
      if (text !== '') await write(out, text);
    },
    async end() {
      if (pending !== '') await write(out, pending);
      await close(out);
    },
  };
}

/** Data rows per sheet: a sheet holds 1,048,576 rows, the header included. */
export const XLSX_SHEET_ROWS = 1_048_575;

const sheetName = (title: string, n: number) => {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 25) || 'Sheet';
  return n === 1 ? base : `${base} (${n})`;
};

const numFmt = (c: ExportColumn): string | undefined =>
  c.type === 'date'
    ? 'dd/mm/yyyy'
    : c.type === 'datetime'
      ? 'dd/mm/yyyy hh:mm'
      : c.type === 'money'
        ? '#,##0'
        : undefined;

/**
 * XLSX through exceljs's streaming WorkbookWriter: inline strings (no shared-strings table kept
 * in memory), a bold and frozen header row, real numbers and dates; more than a sheet's rows go
 * on to a second sheet. exceljs writes each sheet into the zip without backpressure of its own:
 * a sheet's bytes go to the archiver through a PassThrough (`stream.pipes`, exceljs 4's
 * StreamBuf) that buffers whatever the zip has not compressed yet, so after each page the writer
 * waits for that PassThrough to drain as well as for `out`.
 */
function xlsxWriter(out: Writable, opts: WriterOptions): ExportWriter {
  const { columns, locale } = opts;
  const offset = zoneOffset(opts.timeZone);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  let sheet: ExcelJS.Worksheet | null = null;
  let sheets = 0;
  let rowsInSheet = 0;

  const openSheet = () => {
    sheet?.commit();
    sheets++;
    rowsInSheet = 0;
    const next = workbook.addWorksheet(sheetName(opts.title[locale], sheets), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    next.columns = columns.map((c) => {
      const fmt = numFmt(c);
      return {
        key: c.key,
        width: Math.min(Math.max(c.label[locale].length + 2, c.type === 'datetime' ? 17 : 12), 40),
        ...(fmt ? { style: { numFmt: fmt } } : {}),
      };
    });
    const header = next.addRow(columns.map((c) => c.label[locale]));
    header.font = { bold: true };
    header.commit();
    sheet = next;
    return next;
  };

  const settle = async () => {
    const pipes = (sheet as unknown as { stream?: { pipes?: unknown } } | null)?.stream?.pipes;
    for (const pipe of Array.isArray(pipes) ? (pipes as Writable[]) : []) {
      if (pipe.writableNeedDrain) await drained(pipe, out);
    }
    if (out.destroyed) throw new ExportAborted();
    if (out.writableNeedDrain) await drained(out, out);
  };

  return {
    async rows(batch) {
      let current = sheet ?? openSheet();
      for (const record of batch) {
        if (rowsInSheet >= XLSX_SHEET_ROWS) current = openSheet();
        current.addRow(columns.map((c) => cellValue(c, record, locale, offset))).commit();
        rowsInSheet++;
      }
      await settle();
    },
    async end() {
      if (!sheet) openSheet();
      if (out.destroyed) throw new ExportAborted();
      // commit() ends `out` once the zip is complete; wait for it to be flushed (or closed).
      await workbook.commit();
      await finished(out, { readable: false });
    },
  };
}
