/** Dates as Vietnamese people type them (the record form's date pickers). */

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date typed the Vietnamese way, day first: "5/3/2025", "05-03-2025", "05.03.25" (and
 * "05/03/2025 14:30" when `withTime`) → "2025-03-05" ("2025-03-05 14:30:00"); null when it is not
 * a real date.
 */
export function parseVnDate(text: string, withTime = false): string | null {
  const m =
    /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[\sT,]+(\d{1,2})[:hg.](\d{2}))?\s*$/i.exec(
      text,
    );
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  if (year < 1000) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (!withTime) return m[4] === undefined ? date : null;
  const hours = Number(m[4] ?? 0);
  const minutes = Number(m[5] ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return `${date} ${pad(hours)}:${pad(minutes)}:00`;
}
