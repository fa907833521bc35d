import fs from 'node:fs';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { decodeText, decoderStream, type TextEncoding } from './encoding.js';

/** Delimiters a CSV may use: Excel writes `;` where the decimal comma is local. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** One record may not exceed this many characters (an unclosed quote would swallow the file). */
export const MAX_RECORD_CHARS = 1_000_000;

/**
 * The delimiter of a CSV, from its first lines: the candidate that splits the most records into
 * the same number (> 1) of cells. A file of one column has no delimiter to find: `,`.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  // Drop the last, possibly cut, line of the sample.
  const cut = text.lastIndexOf('\n');
  const sample = cut > 0 ? text.slice(0, cut) : text;
  let best: { delimiter: CsvDelimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of CSV_DELIMITERS) {
    let records: string[][];
    try {
      records = parseSync(sample, {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        to: 50,
      }) as string[][];
    } catch {
      continue;
    }
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let score = 0;
    for (const [width, n] of counts) if (width > 1 && n * width > score) score = n * width;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

export interface CsvOptions {
  encoding: TextEncoding;
  delimiter: CsvDelimiter;
}

/** Detect the delimiter of a CSV whose encoding is known, from its first bytes. */
export function sniffCsv(head: Buffer, encoding: TextEncoding): CsvDelimiter {
  return sniffDelimiter(decodeText(head, encoding));
}

/** A record of the file: its cells and the line it starts on (1-based). */
export interface SourceRecord {
  cells: string[];
  line: number;
  /** Set when the record could not be read (its cells are then empty): a stable code. */
  error?: string;
}

/**
 * The records of a CSV file, streamed: decoded, NFC-normalised, blank lines skipped, rows of
 * any width (ragged rows are the caller's to judge). Throws a CsvFormatError when the file
 * cannot be read as CSV (an unclosed quote, a record over MAX_RECORD_CHARS).
 */
export async function* csvRecords(file: string, options: CsvOptions): AsyncGenerator<SourceRecord> {
  const parser = parse({
    delimiter: options.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    info: true,
  });
  const source = fs.createReadStream(file);
  const decoder = decoderStream(options.encoding);
  source.on('error', (err) => parser.destroy(err));
  decoder.on('error', (err) => parser.destroy(err));
  source.pipe(decoder).pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // A record spanning lines (quoted newlines) reports the line it ended on; the start is
      // what people look for in their file.
      const newlines = item.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      yield {
        cells: item.record.map((cell) => cell.normalize('NFC')),
        line: item.info.lines - newlines,
      };
    }
  } catch (err) {
    throw CsvFormatError.from(err);
  } finally {
    source.destroy();
  }
}

/** The file is not readable as CSV: where and why. */
export class CsvFormatError extends Error {
  constructor(
    readonly reason: 'unclosed_quote' | 'record_too_long' | 'malformed',
    readonly line: number | null,
    cause?: unknown,
  ) {
    super(`CSV ${reason} at line ${line ?? '?'}`, { cause });
  }

  static from(err: unknown): Error {
    if (err instanceof CsvFormatError) return err;
    const code = (err as { code?: unknown } | null)?.code;
    const lines = (err as { lines?: unknown } | null)?.lines;
    const line = typeof lines === 'number' ? lines : null;
    if (code === 'CSV_QUOTE_NOT_CLOSED') return new CsvFormatError('unclosed_quote', line, err);
    if (code === 'CSV_MAX_RECORD_SIZE') return new CsvFormatError('record_too_long', line, err);
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      return new CsvFormatError('malformed', line, err);
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}
