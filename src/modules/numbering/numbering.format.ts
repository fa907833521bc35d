/**
 * Document number formats ("BG-{YYYY}-{0000}"): parsing, checking and rendering. Pure code with
 * no server import, so the web app's settings page renders its live preview with this same
 * module (web/src/pages/settings/NumberingPage.tsx), as NameInput does with src/lib/vn/names.ts.
 *
 * Tokens: {YYYY} the year, {YY} its last two digits, {MM} the month (01–12), and the counter
 * {0…0}: as many zeros as the padded width ({0000} → 0001; a counter past the width keeps all its
 * digits: 10000). Everything else is literal: letters, digits, '-', '_', '/', '.'.
 */

export const FORMAT_MAX_LENGTH = 40;
/** The widest counter token: {0000000000} (ten digits). */
export const COUNTER_MAX_WIDTH = 10;

export type FormatToken =
  | { kind: 'literal'; text: string }
  | { kind: 'year4' }
  | { kind: 'year2' }
  | { kind: 'month' }
  | { kind: 'counter'; width: number };

export type FormatProblem =
  | 'empty'
  | 'too_long'
  | 'unsafe_character'
  | 'unknown_token'
  | 'no_counter'
  | 'several_counters'
  | 'counter_too_wide';

export interface LocalisedMessage {
  vi: string;
  en: string;
}

export const formatProblemText: Record<FormatProblem, LocalisedMessage> = {
  empty: { vi: 'Hãy nhập mẫu số chứng từ.', en: 'Enter a number format.' },
  too_long: {
    vi: `Mẫu số dài tối đa ${FORMAT_MAX_LENGTH} ký tự.`,
    en: `A number format has at most ${FORMAT_MAX_LENGTH} characters.`,
  },
  unsafe_character: {
    vi: 'Mẫu số chỉ gồm chữ cái không dấu, chữ số, các dấu - _ / . và các mã {YYYY}, {YY}, {MM}, {0000}.',
    en: 'A number format holds only letters without accents, digits, - _ / . and the tokens {YYYY}, {YY}, {MM}, {0000}.',
  },
  unknown_token: {
    vi: 'Mã không hợp lệ: chỉ dùng {YYYY}, {YY}, {MM} và {0000} (số chữ số 0 tuỳ ý).',
    en: 'Unknown token: use only {YYYY}, {YY}, {MM} and {0000} (any number of zeros).',
  },
  no_counter: {
    vi: 'Mẫu số cần đúng một mã số thứ tự, ví dụ {0000}.',
    en: 'A number format needs exactly one counter token, such as {0000}.',
  },
  several_counters: {
    vi: 'Mẫu số chỉ được có một mã số thứ tự ({0000}).',
    en: 'A number format may hold only one counter token ({0000}).',
  },
  counter_too_wide: {
    vi: `Số thứ tự có tối đa ${COUNTER_MAX_WIDTH} chữ số.`,
    en: `The counter has at most ${COUNTER_MAX_WIDTH} digits.`,
  },
};

const LITERAL = /^[A-Za-z0-9\-_/.]$/;

/** The tokens of a format, or the first problem found. */
export function parseFormat(
  format: string,
): { ok: true; tokens: FormatToken[] } | { ok: false; problem: FormatProblem } {
  if (format.length === 0) return { ok: false, problem: 'empty' };
  if (format.length > FORMAT_MAX_LENGTH) return { ok: false, problem: 'too_long' };
  const tokens: FormatToken[] = [];
  let literal = '';
  let counters = 0;
  let i = 0;
  while (i < format.length) {
    const c = format.charAt(i);
    if (c === '{') {
      const end = format.indexOf('}', i);
      if (end < 0) return { ok: false, problem: 'unknown_token' };
      const name = format.slice(i + 1, end);
      let token: FormatToken;
      if (name === 'YYYY') token = { kind: 'year4' };
      else if (name === 'YY') token = { kind: 'year2' };
      else if (name === 'MM') token = { kind: 'month' };
      else if (/^0+$/.test(name)) {
        if (name.length > COUNTER_MAX_WIDTH) return { ok: false, problem: 'counter_too_wide' };
        token = { kind: 'counter', width: name.length };
        counters++;
      } else return { ok: false, problem: 'unknown_token' };
      if (literal) tokens.push({ kind: 'literal', text: literal });
      literal = '';
      tokens.push(token);
      i = end + 1;
      continue;
    }
    if (c === '}') return { ok: false, problem: 'unknown_token' };
    if (!LITERAL.test(c)) return { ok: false, problem: 'unsafe_character' };
    literal += c;
    i++;
  }
  if (literal) tokens.push({ kind: 'literal', text: literal });
  if (counters === 0) return { ok: false, problem: 'no_counter' };
  if (counters > 1) return { ok: false, problem: 'several_counters' };
  return { ok: true, tokens };
}

/** The problem with a format, or null when it is usable. */
export function formatProblem(format: string): FormatProblem | null {
  const parsed = parseFormat(format);
  return parsed.ok ? null : parsed.problem;
}

/**
 * The counter's period: the year when the format shows it ({YYYY} or {YY}), so the counter
 * restarts at 1 each year; '' otherwise (one counter for ever). {MM} alone does not make a
 * period: a monthly restart would repeat numbers across years.
 */
export function periodKey(format: string, year: number): string {
  return /\{YYYY\}|\{YY\}/.test(format) ? String(year) : '';
}

/** The number `value` rendered by `format` in the given year and month (1–12). */
export function renderNumber(format: string, value: number, year: number, month: number): string {
  const parsed = parseFormat(format);
  if (!parsed.ok) throw new Error(`bad number format ${JSON.stringify(format)}`);
  return parsed.tokens
    .map((t) => {
      switch (t.kind) {
        case 'literal':
          return t.text;
        case 'year4':
          return String(year).padStart(4, '0');
        case 'year2':
          return String(year % 100).padStart(2, '0');
        case 'month':
          return String(month).padStart(2, '0');
        case 'counter':
          return String(value).padStart(t.width, '0');
      }
    })
    .join('');
}
