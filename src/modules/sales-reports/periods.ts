/**
 * Report periods in the workspace's calendar: a month, a quarter or a year around an anchor
 * date, and its sub-periods for charts over time (a month: its weeks, Monday first, clipped to
 * the month; a quarter or a year: its months). Dates are `YYYY-MM-DD` strings; `end` is
 * exclusive.
 */
export const periodKinds = ['month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export interface Period {
  kind: PeriodKind;
  start: string;
  end: string;
}

export interface Bucket {
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
};
const parts = (date: string) => date.split('-').map(Number) as [number, number, number];

export function periodOf(kind: PeriodKind, anchor: string): Period {
  const [y, m] = parts(anchor);
  if (kind === 'month') return { kind, start: ymd(y, m, 1), end: ymd(y, m + 1, 1) };
  if (kind === 'quarter') {
    const first = Math.floor((m - 1) / 3) * 3 + 1;
    return { kind, start: ymd(y, first, 1), end: ymd(y, first + 3, 1) };
  }
  return { kind, start: ymd(y, 1, 1), end: ymd(y + 1, 1, 1) };
}

/** The period before or after (`step` −1 / +1). */
export function shiftPeriod(period: Period, step: number): Period {
  const [y, m] = parts(period.start);
  const months = period.kind === 'month' ? 1 : period.kind === 'quarter' ? 3 : 12;
  return periodOf(period.kind, ymd(y, m + step * months, 1));
}

export function bucketsOf(period: Period): Bucket[] {
  const out: Bucket[] = [];
  if (period.kind === 'month') {
    // Weeks start on Monday (Vietnamese and ISO calendars); the first and last are clipped.
    let start = period.start;
    while (start < period.end) {
      const [y, m, d] = parts(start);
      const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
      const next = ymd(y, m, d + 7 - weekday);
      const end = next < period.end ? next : period.end;
      out.push({ start, end });
      start = end;
    }
    return out;
  }
  let [y, m] = parts(period.start);
  let start = period.start;
  while (start < period.end) {
    const end = ymd(y, m + 1, 1);
    out.push({ start, end });
    start = end;
    [y, m] = parts(end);
  }
  return out;
}

/** Today in a time zone, as `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
}
