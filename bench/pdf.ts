/**
 * The PDF benchmark (issue #20), part of `npm run bench` (or alone: `npm run bench -- pdf`).
 *
 * Renders, in this process, one after another (no database):
 *   - quote, 50 lines     the goal's document: computeDocument over 50 lines at four VAT rates,
 *                         the table rows and totals formatted, the amount in words, and the PDF
 *                         rendered by renderBusinessDocument with the seller's logo (A4, Be Vietnam
 *                         Pro embedded, 2 pages);
 *   - invoice + VietQR    the same 50 lines plus the VietQR payload and its PNG, drawn in the PDF;
 *   - quote, 120 lines    for scale (4 pages);
 *   - statement, 300 rows renderStatement with a running balance, for scale.
 * Each is warmed up (BENCH_PDF_WARMUP renders, default 5) and then timed BENCH_PDF_RENDERS times
 * (default 100, at least 50), wall time from the input to the finished Buffer.
 *
 * Goal: the 50-line quote's p95 ≤ 300 ms.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { renderBusinessDocument, renderStatement } from '../src/lib/pdf/index.js';
import { pdfLabels, statementLabels, type StatementEntry } from '../src/lib/pdf/index.js';
import { demoQuoteDocument } from '../src/lib/selling/document-pdf.js';
import { qrPng, vietQrPayload } from '../src/lib/selling/vietqr.js';
import { fmt, formatTable, percentile } from './stats.js';

export const PDF_GOAL_MS = 300;

class PdfBenchError extends Error {}

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new PdfBenchError(`${name} must be an integer ≥ ${min}`);
  return n;
}

interface Case {
  label: string;
  goal: boolean;
  render: () => Promise<Buffer>;
}

interface Timing {
  p50: number;
  p95: number;
  max: number;
  pages: number;
  kb: number;
}

const pageCount = (pdf: Buffer<ArrayBufferLike>): number =>
  Number(/\/Type\s*\/Pages[^>]*\/Count\s+(\d+)/.exec(pdf.toString('latin1'))?.[1] ?? Number.NaN);

async function time(c: Case, warmup: number, renders: number): Promise<Timing> {
  let last: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  for (let i = 0; i < warmup; i++) last = await c.render();
  const times: number[] = [];
  for (let i = 0; i < renders; i++) {
    const started = performance.now();
    last = await c.render();
    times.push(performance.now() - started);
  }
  if (last.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new PdfBenchError(`${c.label}: the output is not a PDF`);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: times.at(-1) ?? Number.NaN,
    pages: pageCount(last),
    kb: last.length / 1000,
  };
}

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

/** Runs the suite and prints its table; true when the goal is met. */
export async function runPdfBench(): Promise<boolean> {
  const warmup = intEnv('BENCH_PDF_WARMUP', 5, 0);
  const renders = intEnv('BENCH_PDF_RENDERS', 100, 50);
  const logo = await qrPng('Sen', { size: 160 });

  const cases: Case[] = [
    {
      label: 'quote, 50 lines',
      goal: true,
      render: () => {
        const input = demoQuoteDocument(50);
        input.seller.logo = logo;
        return renderBusinessDocument(input);
      },
    },
    {
      label: 'invoice, 50 lines + VietQR',
      goal: false,
      render: async () => {
        const input = demoQuoteDocument(50);
        input.seller.logo = logo;
        input.title = 'HOÁ ĐƠN BÁN HÀNG';
        input.number = 'HD-2026-0001';
        const payload = vietQrPayload({
          bankBin: '970436',
          accountNumber: '0011001234567',
          amount: 1_000_000,
          note: input.number,
        });
        if (!payload.ok) throw new PdfBenchError(payload.reason);
        input.qr = { png: await qrPng(payload.value), caption: 'Quét mã VietQR để chuyển khoản' };
        return renderBusinessDocument(input);
      },
    },
    {
      label: 'quote, 120 lines',
      goal: false,
      render: () => renderBusinessDocument(demoQuoteDocument(120)),
    },
    {
      label: 'statement, 300 rows',
      goal: false,
      render: () => {
        const entries: StatementEntry[] = Array.from({ length: 300 }, (_, i) => ({
          date: `${(i % 28) + 1}/11/2026`,
          reference: i % 3 === 2 ? `PT-2026-${i}` : `HD-2026-${i}`,
          description: i % 3 === 2 ? 'Thanh toán chuyển khoản' : 'Hoá đơn bán hàng',
          debit: i % 3 === 2 ? 0 : 1_250_000 + i,
          credit: i % 3 === 2 ? 2_000_000 : 0,
        }));
        return renderStatement({
          seller: demoQuoteDocument(0).seller,
          title: 'BẢNG ĐỐI CHIẾU CÔNG NỢ',
          customer: { fields: [{ label: 'Khách hàng', value: 'Công ty TNHH Thương mại Đông Á' }] },
          openingBalance: 0,
          entries,
          labels: { ...pdfLabels.vi, ...statementLabels.vi },
        });
      },
    },
  ];

  const cpus = os.cpus();
  console.log('Sen benchmark: PDF rendering (pdfkit, in process, serial)');
  console.log(
    `  machine     ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.release()}`,
  );
  console.log(`  load avg    ${loadAverage()} (1, 5, 15 min) before the runs`);
  console.log(`  node        ${process.version}`);
  console.log(`  renders     ${warmup} warm-up + ${renders} timed per document`);
  console.log('');

  let met = true;
  const rows: string[][] = [];
  for (const c of cases) {
    const t = await time(c, warmup, renders);
    const ok = t.p95 <= PDF_GOAL_MS;
    if (c.goal) met &&= ok;
    rows.push([
      c.label,
      String(t.pages),
      fmt(t.kb, 0),
      fmt(t.p50, 1),
      fmt(t.p95, 1),
      fmt(t.max, 1),
      c.goal ? `p95 ≤ ${PDF_GOAL_MS} ms` : '—',
      c.goal ? (ok ? 'met' : 'NOT met') : '—',
    ]);
  }
  console.log(
    formatTable(['document', 'pages', 'kB', 'p50 ms', 'p95 ms', 'max ms', 'goal', 'result'], rows),
  );
  console.log('  Wall time from the input to the finished PDF Buffer, one render at a time.');
  console.log(`  load avg after: ${loadAverage()}`);
  console.log('');
  console.log(`PDF goal (quote of 50 lines, p95 ≤ ${PDF_GOAL_MS} ms): ${met ? 'met' : 'NOT met'}`);
  return met;
}
