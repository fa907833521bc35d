import type { Writable } from 'node:stream';
import type { LocalisedText, Locale } from '../../core/errors.js';
import type { ExportColumn } from '../records/export.js';
import type { ExportFormat } from '../records/export-formats.js';
import { exportFiles, exportWriter } from '../records/export-writers.js';
import type { SalesReport } from './sales-reports.schemas.js';

export const reportTables = [
  'byOwner',
  'overTime',
  'funnel',
  'leadsBySource',
  'snapshots',
] as const;
export type ReportTable = (typeof reportTables)[number];

const col = (key: string, vi: string, en: string, type: ExportColumn['type']): ExportColumn => ({
  key,
  label: { vi, en },
  type,
});
const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** Each table of the report: its title, its columns, its rows (keyed like the columns). */
const tables: Record<
  ReportTable,
  { title: LocalisedText; columns: ExportColumn[]; rows: (r: SalesReport, l: Locale) => object[] }
> = {
  byOwner: {
    title: { vi: 'Theo nhân viên', en: 'By owner' },
    columns: [
      col('name', 'Nhân viên', 'Owner', 'text'),
      col('wonAmount', 'Doanh thu thắng (đ)', 'Won (₫)', 'money'),
      col('wonCount', 'Số cơ hội thắng', 'Deals won', 'number'),
      col('lostCount', 'Số cơ hội thua', 'Deals lost', 'number'),
      col('openAmount', 'Đang mở, dự kiến chốt (đ)', 'Open, expected to close (₫)', 'money'),
      col('weightedAmount', 'Dự báo theo xác suất (đ)', 'Weighted forecast (₫)', 'money'),
      col('target', 'Chỉ tiêu (đ)', 'Target (₫)', 'money'),
      col('attainment', 'Hoàn thành chỉ tiêu (%)', 'Attainment (%)', 'number'),
    ],
    rows: (r, l) =>
      r.byOwner.map((o) => ({
        ...o,
        name: o.name ?? (l === 'vi' ? '(Chưa có người phụ trách)' : '(No owner)'),
        attainment: pct(o.attainment),
      })),
  },
  overTime: {
    title: { vi: 'Theo thời gian', en: 'Over time' },
    columns: [
      col('start', 'Từ ngày', 'From', 'date'),
      col('end', 'Đến hết ngày', 'To', 'date'),
      col('wonAmount', 'Doanh thu thắng (đ)', 'Won (₫)', 'money'),
      col('weightedAmount', 'Dự báo theo xác suất (đ)', 'Weighted forecast (₫)', 'money'),
    ],
    rows: (r) => r.overTime.map((b) => ({ ...b, end: dayBefore(b.end) })),
  },
  funnel: {
    title: { vi: 'Phễu bán hàng', en: 'Funnel' },
    columns: [
      col('name', 'Giai đoạn', 'Stage', 'text'),
      col('reached', 'Số cơ hội đạt tới', 'Deals reaching it', 'number'),
      col('conversion', 'Chuyển sang bước sau (%)', 'On to the next step (%)', 'number'),
    ],
    rows: (r) => (r.funnel?.stages ?? []).map((s) => ({ ...s, conversion: pct(s.conversion) })),
  },
  leadsBySource: {
    title: { vi: 'Theo nguồn', en: 'By source' },
    columns: [
      col('label', 'Nguồn', 'Source', 'text'),
      col('leads', 'Khách hàng tiềm năng', 'Leads', 'number'),
      col('converted', 'Đã chuyển đổi', 'Converted', 'number'),
      col('conversionRate', 'Tỷ lệ chuyển đổi (%)', 'Conversion rate (%)', 'number'),
      col('wonAmount', 'Doanh thu thắng (đ)', 'Won (₫)', 'money'),
    ],
    rows: (r, l) =>
      r.leadsBySource.map((s) => ({
        ...s,
        label: s.label[l],
        conversionRate: pct(s.conversionRate),
      })),
  },
  snapshots: {
    title: { vi: 'Dự báo theo tuần', en: 'Weekly forecasts' },
    columns: [
      col('takenOn', 'Ngày chụp', 'Taken on', 'date'),
      col('forecastAmount', 'Dự báo hôm đó (đ)', 'Forecast that day (₫)', 'money'),
      col('wonAmount', 'Đã thắng hôm đó (đ)', 'Won by then (₫)', 'money'),
      col('weightedAmount', 'Đang mở theo xác suất (đ)', 'Open, weighted (₫)', 'money'),
      col('openAmount', 'Đang mở (đ)', 'Open (₫)', 'money'),
    ],
    rows: (r) => r.snapshots,
  },
};

function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** One table of a report as a CSV or XLSX file (formulas neutralised, labels in `locale`). */
export async function writeReportTable(
  report: SalesReport,
  table: ReportTable,
  format: Extract<ExportFormat, 'csv' | 'xlsx'>,
  locale: Locale,
  out: Writable,
): Promise<void> {
  const t = tables[table];
  const writer = exportWriter(format, out, {
    columns: t.columns,
    locale,
    title: t.title,
    timeZone: report.timezone,
  });
  await writer.rows(t.rows(report, locale) as Record<string, unknown>[]);
  await writer.end();
}

export function reportFileName(report: SalesReport, table: ReportTable, format: string): string {
  return `sen-bao-cao-${table}-${report.period.start}.${exportFiles[format as ExportFormat].extension}`;
}
