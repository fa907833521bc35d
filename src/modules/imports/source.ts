import fs from 'node:fs';
import { z } from 'zod';
import {
  CSV_DELIMITERS,
  csvRecords,
  CsvFormatError,
  sniffCsv,
  type SourceRecord,
} from './formats/csv.js';
import { detectEncoding, type TextEncoding } from './formats/encoding.js';
import { docxRecords, docxTables, DocxFormatError } from './formats/docx.js';
import {
  VCARD_HEADER,
  VCARD_RECORD_ERRORS,
  vcardRecords,
  VcardFormatError,
} from './formats/vcard.js';
import { xlsxRecords, xlsxSheets } from './formats/xlsx.js';
import { inspectZip, ZipRefused } from './formats/zip.js';
import type { ImportFormat } from './imports.table.js';

/**
 * How an uploaded file is read (stored with its import): the format's reader and its settings,
 * and the record that holds the header. Everything after the header is data.
 */
export const sourceSettings = z.discriminatedUnion('format', [
  z.object({
    format: z.literal('csv'),
    encoding: z.enum(['utf8', 'utf16le', 'utf16be', 'windows1258', 'tcvn', 'viscii']),
    delimiter: z.enum(CSV_DELIMITERS),
    headerIndex: z.number().int().min(0),
  }),
  z.object({
    format: z.literal('xlsx'),
    sheet: z.string(),
    sheets: z.array(z.object({ name: z.string(), rows: z.number().int() })),
    headerIndex: z.number().int().min(0),
  }),
  z.object({ format: z.literal('vcard'), headerIndex: z.number().int().min(0) }),
  z.object({
    format: z.literal('docx'),
    /** The table's name as shown ("Bảng 2"), its index in the document. */
    sheet: z.string(),
    table: z.number().int().min(0),
    sheets: z.array(z.object({ name: z.string(), rows: z.number().int() })),
    headerIndex: z.number().int().min(0),
  }),
]);
export type SourceSettings = z.infer<typeof sourceSettings>;

/** Why a file cannot be imported (the service turns it into a localised 400). */
export class UnreadableFile extends Error {
  constructor(
    readonly reason:
      | 'empty'
      | 'no_header'
      | 'no_rows'
      | 'unknown_format'
      | 'encoding_mixed'
      | 'encoding_unknown'
      | 'binary'
      | 'zip'
      | 'csv'
      | 'vcard'
      | 'docx'
      | 'no_table'
      | 'sheet_missing',
    readonly detail: { line?: number | null; sheet?: string } = {},
    cause?: unknown,
  ) {
    super(`unreadable file: ${reason}`, { cause });
  }
}

/** Records kept from the start of a file for header detection and the preview. */
const SAMPLE = 25;
const HEAD_BYTES = 64 * 1024;

export interface Analysis {
  format: ImportFormat;
  source: SourceSettings;
  headers: string[];
  totalRows: number;
  sample: string[][];
}

/**
 * The header among the first records: the first that has at least two cells and at least
 * 60 % as many filled cells as the records after it usually have (the median of the next nine:
 * one ragged row does not make a data row the header), mostly not numbers (a title line above
 * the table, "Danh sách khách hàng 2026", is skipped).
 */
export function detectHeader(records: SourceRecord[]): number {
  const filled = (r: SourceRecord) => r.cells.filter((c) => c.trim() !== '').length;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const n = filled(r);
    if (n === 0) continue;
    const next = records
      .slice(i + 1, i + 10)
      .map(filled)
      .filter((w) => w > 0)
      .sort((a, b) => a - b);
    const typical = next.length > 0 ? next[Math.floor((next.length - 1) / 2)]! : n;
    const numeric = r.cells.filter((c) => /^[\d\s.,+\-/%]+$/.test(c.trim())).length;
    if ((n >= 2 || typical <= 1) && n >= 0.6 * typical && numeric <= n / 2) return i;
  }
  return 0;
}

/** Header cells made unique and non-empty ("Điện thoại", "Điện thoại (2)"; "" → "Cột 3"). */
export function uniqueHeaders(cells: string[], width: number): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (let i = 0; i < width; i++) {
    let name = (cells[i] ?? '').replace(/\s+/g, ' ').trim() || `Cột ${i + 1}`;
    const key = name.toLowerCase();
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count > 1) name = `${name} (${count})`;
    out.push(name);
  }
  return out;
}

async function readHead(file: string): Promise<{ head: Buffer; size: number }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    return { head, size };
  } finally {
    await handle.close();
  }
}

/** The records of a file with its settings (header included), streamed. */
export function fileRecords(file: string, source: SourceSettings): AsyncGenerator<SourceRecord> {
  switch (source.format) {
    case 'csv':
      return csvRecords(file, { encoding: source.encoding, delimiter: source.delimiter });
    case 'xlsx':
      return xlsxRecords(file, source.sheet);
    case 'vcard':
      return vcardWithHeader(file);
    case 'docx':
      return docxRecords(file, source.table);
  }
}

/** The data records (after the header), numbered from 1, streamed. */
export async function* dataRecords(
  file: string,
  source: SourceSettings,
): AsyncGenerator<SourceRecord & { rowNo: number }> {
  let index = 0;
  let rowNo = 0;
  for await (const record of fileRecords(file, source)) {
    if (index++ <= source.headerIndex) continue;
    yield { ...record, rowNo: ++rowNo };
  }
}

/** Read the whole file once: its settings, header, row count and first rows. */
export async function analyzeFile(file: string, sheet?: string): Promise<Analysis> {
  const { head, size } = await readHead(file);
  if (size === 0) throw new UnreadableFile('empty');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    let entries: string[];
    try {
      entries = await inspectZip(file);
    } catch (err) {
      if (err instanceof ZipRefused) throw new UnreadableFile('zip', {}, err);
      throw err;
    }
    if (entries.includes('xl/workbook.xml')) return analyzeXlsx(file, sheet);
    if (entries.some((e) => e.startsWith('word/'))) return analyzeDocx(file, sheet);
    throw new UnreadableFile('unknown_format');
  }
  if (/^(\ufeff)?\s*begin:vcard/i.test(head.subarray(0, 256).toString('utf8'))) {
    return analyzeVcard(file);
  }
  const guess = detectEncoding(head, size <= head.length);
  if (!guess.ok) {
    throw new UnreadableFile(
      guess.reason === 'mixed'
        ? 'encoding_mixed'
        : guess.reason === 'binary'
          ? 'binary'
          : 'encoding_unknown',
    );
  }
  return analyzeCsv(file, guess.encoding, head);
}

async function analyzeCsv(file: string, encoding: TextEncoding, head: Buffer): Promise<Analysis> {
  const delimiter = sniffCsv(head, encoding);
  const first: SourceRecord[] = [];
  let count = 0;
  try {
    for await (const record of csvRecords(file, { encoding, delimiter })) {
      if (first.length < SAMPLE) first.push(record);
      count++;
    }
  } catch (err) {
    if (err instanceof CsvFormatError) throw new UnreadableFile('csv', { line: err.line }, err);
    throw err;
  }
  return finish({ format: 'csv', encoding, delimiter, headerIndex: 0 }, first, count);
}

async function analyzeXlsx(file: string, wanted?: string): Promise<Analysis> {
  let sheets;
  try {
    sheets = await xlsxSheets(file, SAMPLE);
  } catch (err) {
    throw new UnreadableFile('zip', {}, err);
  }
  const chosen = wanted
    ? sheets.find((s) => s.name === wanted)
    : (sheets.find((s) => s.rows > 0) ?? sheets[0]);
  if (!chosen) throw new UnreadableFile('sheet_missing', { sheet: wanted ?? '' });
  return finish(
    {
      format: 'xlsx',
      sheet: chosen.name,
      sheets: sheets.map((s) => ({ name: s.name, rows: s.rows })),
      headerIndex: 0,
    },
    chosen.sample,
    chosen.rows,
  );
}

/** A vCard file's records behind the reader's fixed header (a card is a row). */
async function* vcardWithHeader(file: string): AsyncGenerator<SourceRecord> {
  yield { cells: [...VCARD_HEADER], line: 0 };
  try {
    yield* vcardRecords(file);
  } catch (err) {
    if (err instanceof VcardFormatError) throw new UnreadableFile('vcard', { line: err.line }, err);
    throw err;
  }
}

async function analyzeVcard(file: string): Promise<Analysis> {
  const first: SourceRecord[] = [];
  let count = 0;
  for await (const record of vcardWithHeader(file)) {
    if (first.length < SAMPLE) first.push(record);
    count++;
  }
  return finish({ format: 'vcard', headerIndex: 0 }, first, count, 0);
}

const tableName = (index: number) => `Bảng ${index + 1}`;

async function analyzeDocx(file: string, wanted?: string): Promise<Analysis> {
  let tables;
  try {
    tables = await docxTables(file, SAMPLE);
  } catch (err) {
    if (err instanceof DocxFormatError || err instanceof ZipRefused) {
      throw new UnreadableFile('docx', {}, err);
    }
    throw err;
  }
  if (tables.length === 0) throw new UnreadableFile('no_table');
  const chosen = wanted
    ? tables.find((t) => tableName(t.index) === wanted)
    : (tables.find((t) => t.rows > 1) ?? tables[0]);
  if (!chosen) throw new UnreadableFile('sheet_missing', { sheet: wanted ?? '' });
  return finish(
    {
      format: 'docx',
      sheet: tableName(chosen.index),
      table: chosen.index,
      sheets: tables.map((t) => ({ name: tableName(t.index), rows: t.rows })),
      headerIndex: 0,
    },
    chosen.sample,
    chosen.rows,
  );
}

/** What a record the reader could not read says, in both languages (the error file). */
export function recordErrorText(code: string) {
  return (
    VCARD_RECORD_ERRORS[code as keyof typeof VCARD_RECORD_ERRORS] ?? {
      vi: 'Không đọc được dòng này.',
      en: 'This row could not be read.',
    }
  );
}

function finish(
  source: SourceSettings,
  first: SourceRecord[],
  count: number,
  fixedHeader?: number,
): Analysis {
  if (count === 0) throw new UnreadableFile('empty');
  const headerIndex = fixedHeader ?? detectHeader(first);
  const header = first[headerIndex]!;
  const data = first.slice(headerIndex + 1);
  const width = Math.max(header.cells.length, ...data.map((r) => r.cells.length));
  const totalRows = count - headerIndex - 1;
  if (totalRows <= 0) throw new UnreadableFile('no_rows');
  return {
    format: source.format,
    source: { ...source, headerIndex },
    headers: uniqueHeaders(header.cells, width),
    totalRows,
    sample: data.slice(0, 10).map((r) => r.cells),
  };
}
