/** Small, dependency-free helpers shared by the benchmark runner and its load-generator thread. */

/** Nearest-rank percentile (p in 0..100) of an ascending-sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  const i = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[i] ?? Number.NaN;
}

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Percentiles of latencies in ms (the array is sorted in place). */
export function summarize(latencies: Float64Array): Summary {
  latencies.sort();
  let total = 0;
  for (const v of latencies) total += v;
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.length > 0 ? total / latencies.length : Number.NaN,
  };
}

/** A plain-text table with right-aligned numeric columns. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[-—\d.,%×\s]*$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return numeric[i] ? c.padStart(w) : c.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export const fmt = (n: number, digits: number): string =>
  Number.isFinite(n) ? n.toFixed(digits) : '—';

export const fmtInt = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
