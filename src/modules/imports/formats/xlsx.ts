import ExcelJS from 'exceljs';
import type { SourceRecord } from './csv.js';

/**
 * XLSX sheets, streamed with exceljs's WorkbookReader (the workbook is never loaded whole; its
 * shared strings are). Call only on a file inspectZip() accepted. Cells become text the way a
 * person reads them: a formula gives its cached result, a date gives yyyy-mm-dd, rich text its
 * characters, a hyperlink its text, an error (#N/A…) nothing. Merged cells: the streaming
 * reader does not see merges, so a merged range's value is in its top-left cell only.
 */
const READER_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  // Dates are numbers with a date style: the styles are needed to tell them apart.
  styles: 'cache',
  entries: 'ignore',
} as const;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  return h || m || s ? `${date} ${pad(h)}:${pad(m)}:${pad(s)}` : date;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  // No exponent for the integers people keep in sheets (phones, tax codes, amounts).
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** The text of one cell value as exceljs gives it. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) {
      return (v.richText as { text?: unknown }[])
        .map((part) => (typeof part.text === 'string' ? part.text : ''))
        .join('')
        .normalize('NFC');
    }
    if ('formula' in v || 'sharedFormula' in v) return cellText(v.result);
    if ('error' in v) return '';
    if (typeof v.text === 'string' || typeof v.text === 'object') return cellText(v.text);
  }
  return '';
}

/** The cells of an exceljs row (1-based `values`, holes for empty cells) as a dense array. */
function rowCells(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  const cells: string[] = [];
  for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

export interface SheetInfo {
  name: string;
  /** Non-empty rows. */
  rows: number;
  /** The first rows (for header detection and the preview). */
  sample: SourceRecord[];
}

/** The worksheets of a workbook, in file order, with their first rows. */
export async function xlsxSheets(file: string, sampleRows = 25): Promise<SheetInfo[]> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, READER_OPTIONS);
  const sheets: SheetInfo[] = [];
  for await (const worksheet of workbook) {
    const info: SheetInfo = {
      name: (worksheet as unknown as { name: string }).name,
      rows: 0,
      sample: [],
    };
    for await (const row of worksheet) {
      const cells = rowCells(row.values);
      if (cells.length === 0) continue;
      info.rows++;
      if (info.sample.length < sampleRows) info.sample.push({ cells, line: row.number });
    }
    sheets.push(info);
  }
  return sheets;
}

/** The non-empty rows of one sheet, streamed (`line`: the sheet's row number). */
export async function* xlsxRecords(file: string, sheet: string): AsyncGenerator<SourceRecord> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, READER_OPTIONS);
  for await (const worksheet of workbook) {
    if ((worksheet as unknown as { name: string }).name !== sheet) continue;
    for await (const row of worksheet) {
      const cells = rowCells(row.values);
      if (cells.length > 0) yield { cells, line: row.number };
    }
  }
}
