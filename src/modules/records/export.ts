import type { Locale, LocalisedText } from '../../core/errors.js';
import { getProvince, getWard } from '../../lib/vn/admin-units.js';
import { formatPhoneNational } from '../../lib/vn/phone.js';
import type { FieldOption, FieldType } from './fields.js';

/**
 * The cells of an export. CSV: RFC 4180 quoting, comma separated, UTF-8 with a BOM (so Excel
 * reads Vietnamese correctly), CRLF line ends. XLSX: numbers as numbers, dates and timestamps as
 * real dates (timestamps in the workspace's time zone), everything else as the CSV's text. In
 * both, a text that a spreadsheet would run as a formula (starting with = + - @, their fullwidth
 * forms ＝ ＋ － ＠ that spreadsheets also accept, a tab or a carriage return) is prefixed with a
 * single quote: one rule, neutralizeFormula().
 */
export interface ExportColumn {
  key: string;
  label: LocalisedText;
  type: FieldType;
  options?: FieldOption[] | undefined;
}

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A text a spreadsheet would not run as a formula (every export format's cells). */
export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: string): string {
  const safe = neutralizeFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvRow = (cells: string[]) => `${cells.map(csvCell).join(',')}\r\n`;

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function addressText(a: Rec): string {
  if (typeof a.text === 'string' && !a.wardCode && !a.provinceCode && !a.street) return a.text;
  return [a.street, a.wardName, a.provinceName]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .join(', ');
}

function optionLabel(col: ExportColumn, key: string, locale: Locale): string {
  return col.options?.find((o) => o.key === key)?.label[locale] ?? key;
}

const rawValue = (col: ExportColumn, record: Rec): unknown =>
  col.key.startsWith('custom.')
    ? (record.custom as Rec | undefined)?.[col.key.slice('custom.'.length)]
    : record[col.key];

/** One cell's text: readable values (names, labels, national phone format), not ids or JSON. */
export function cellText(col: ExportColumn, record: Rec, locale: Locale): string {
  const value = rawValue(col, record);
  if (value === null || value === undefined) return '';
  switch (col.key) {
    case 'ownerId':
      return isRec(record.owner) ? String(record.owner.name) : String(value);
    case 'parentId':
      return isRec(record.parent) ? String(record.parent.name) : String(value);
    case 'provinceCode':
      return getProvince(String(value))?.name ?? String(value);
    case 'wardCode':
      return getWard(String(value))?.name ?? String(value);
    case 'primaryPhone':
      return formatPhoneNational(String(value));
    case 'phones':
      return (value as Rec[]).map((p) => String(p.national ?? p.value)).join(', ');
    case 'emails':
      return (value as Rec[]).map((e) => String(e.value)).join(', ');
    case 'addresses':
      return (value as Rec[]).map(addressText).join('; ');
    case 'companies':
      return (value as Rec[]).map((c) => String(c.name)).join(', ');
    case 'consent':
      return Object.entries(value as Rec)
        .map(([k, v]) => `${k}: ${isRec(v) ? String(v.status) : ''}`)
        .join(', ');
  }
  if (col.type === 'select') return optionLabel(col, String(value), locale);
  if (Array.isArray(value)) {
    return value
      .map((v) => (col.type === 'multi_select' ? optionLabel(col, String(v), locale) : String(v)))
      .join(', ');
  }
  if (col.type === 'phone') return formatPhoneNational(String(value));
  if (typeof value === 'boolean') return locale === 'vi' ? (value ? 'Có' : 'Không') : String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The CSV's first bytes: the BOM and the header row. */
export const csvHeader = (columns: ExportColumn[], locale: Locale) =>
  `\uFEFF${csvRow(columns.map((c) => c.label[locale]))}`;

export const csvRows = (columns: ExportColumn[], rows: Rec[], locale: Locale) =>
  rows.map((r) => csvRow(columns.map((c) => cellText(c, r, locale)))).join('');

/**
 * The UTC offset (ms) of a time zone at an instant, cached per quarter hour (offsets change on
 * quarter-hour boundaries at most): Intl once per distinct quarter hour, not once per cell.
 */
export function zoneOffset(timeZone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const cache = new Map<number, number>();
  return (ms) => {
    const slot = Math.floor(ms / 900_000);
    let offset = cache.get(slot);
    if (offset === undefined) {
      const at = slot * 900_000;
      const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, Number(x.value)]));
      offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - at;
      if (cache.size > 10_000) cache.clear();
      cache.set(slot, offset);
    }
    return offset;
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * One XLSX cell: a number for number and money fields, a Date for dates (midnight UTC: a
 * spreadsheet date has no zone) and timestamps (the wall-clock time in the workspace's zone,
 * `offset`), otherwise the CSV's text, neutralised; null for an empty cell.
 */
export function cellValue(
  col: ExportColumn,
  record: Rec,
  locale: Locale,
  offset: (ms: number) => number,
): string | number | Date | null {
  const value = rawValue(col, record);
  if (value === null || value === undefined || value === '') return null;
  if ((col.type === 'number' || col.type === 'money') && typeof value !== 'object') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  } else if (col.type === 'date' && typeof value === 'string') {
    const m = DATE.exec(value);
    if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  } else if (col.type === 'datetime' && typeof value === 'string') {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return new Date(ms + offset(ms));
  }
  const text = cellText(col, record, locale);
  return text === '' ? null : neutralizeFormula(text);
}
