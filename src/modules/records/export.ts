import type { Locale, LocalisedText } from '../../core/errors.js';
import { getProvince, getWard } from '../../lib/vn/admin-units.js';
import { formatPhoneNational } from '../../lib/vn/phone.js';
import type { FieldOption, FieldType } from './fields.js';

/**
 * CSV export: RFC 4180 quoting, comma separated, UTF-8 with a BOM (so Excel reads Vietnamese
 * correctly), CRLF line ends. A cell that a spreadsheet would run as a formula (starting with
 * = + - @, their fullwidth forms ＝ ＋ － ＠ that spreadsheets also accept, a tab or a carriage
 * return) is prefixed with a single quote.
 */
export interface ExportColumn {
  key: string;
  label: LocalisedText;
  type: FieldType;
  options?: FieldOption[] | undefined;
}

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
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

/** One cell's text: readable values (names, labels, national phone format), not ids or JSON. */
export function cellText(col: ExportColumn, record: Rec, locale: Locale): string {
  const value = col.key.startsWith('custom.')
    ? (record.custom as Rec | undefined)?.[col.key.slice('custom.'.length)]
    : record[col.key];
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

export async function* exportCsv(
  columns: ExportColumn[],
  batches: AsyncIterable<Rec[]>,
  locale: Locale,
): AsyncIterable<string> {
  yield `\uFEFF${csvRow(columns.map((c) => c.label[locale]))}`;
  for await (const batch of batches) {
    yield batch.map((r) => csvRow(columns.map((c) => cellText(c, r, locale)))).join('');
  }
}
