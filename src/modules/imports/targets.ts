import type { LocalisedText } from '../../core/errors.js';
import type { CustomFieldRow } from '../../db/schema/index.js';
import { foldForSearch } from '../../lib/vn/names.js';
import type { FieldDef, FieldOption } from '../records/fields.js';

/**
 * Where an imported column goes: a field of the object's write body. The generic targets come
 * from the object's fields (text, numbers, dates, select lists, yes/no, tags, the owner) and
 * its custom fields; an object declares the rest in its `import.targets` (a contact's full
 * name split in three, phones, emails, an address matched to province and ward). A target
 * turns the text of one cell into the body's shape; the object's own validation then judges
 * the body exactly as it judges a form (so an import accepts what the form accepts).
 */
export interface ImportTarget {
  key: string;
  label: LocalisedText;
  /** Several columns may feed it (Phone 1, Phone 2…): their values add up. */
  multiple?: boolean;
  /**
   * Header names that suggest it, folded (foldForSearch: no diacritics, lower case): "sdt",
   * "so dien thoai", "mobile". Its label in both languages always counts.
   */
  hints?: string[];
  /** Put one non-empty cell's text into `body`; the reason when it cannot be read. */
  apply(body: Record<string, unknown>, text: string, env: ImportEnv): LocalisedText | null;
}

/** What targets may look things up in (loaded once per run). */
export interface ImportEnv {
  /** The workspace's active members: by folded email and by folded name → user id. */
  memberByKey: Map<string, string>;
  /** The workspace's option lists of the object (field key → options). */
  options: Map<string, FieldOption[]>;
}

const msg = {
  number: { vi: 'Không phải là số.', en: 'Not a number.' },
  date: {
    vi: 'Không phải là ngày (dd/mm/yyyy hoặc yyyy-mm-dd).',
    en: 'Not a date (dd/mm/yyyy or yyyy-mm-dd).',
  },
  boolean: { vi: 'Cần "có" hoặc "không".', en: 'Expected "yes" or "no".' },
  choice: (label: LocalisedText) => ({
    vi: `Không có trong danh sách lựa chọn của "${label.vi}".`,
    en: `Not one of the choices of "${label.en}".`,
  }),
  member: {
    vi: 'Không tìm thấy thành viên có email hoặc tên này.',
    en: 'No member has this email or name.',
  },
} satisfies Record<string, LocalisedText | ((l: LocalisedText) => LocalisedText)>;

const pad = (n: number) => String(n).padStart(2, '0');

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A date as people keep it in sheets: day first (5/3/2025, 05-03-2025, 05.03.25), ISO
 * (2025-03-05, also with a time, as XLSX dates read), or an Excel serial day number.
 */
export function parseImportDate(text: string): string | null {
  const t = text.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(t);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$/.exec(t))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (match[3]!.length === 2) y += y < 50 ? 2000 : 1900;
  } else if (/^\d{4,5}$/.test(t) && Number(t) > 0 && Number(t) < 2958466) {
    const date = new Date(EXCEL_EPOCH + Number(t) * 86_400_000);
    return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  } else {
    return null;
  }
  if (y < 1000) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A number as people type it: "1.234,5" (vi), "1,234.5" (en), "1 234", "12%". */
export function parseImportNumber(text: string): number | null {
  let s = text.trim().replace(/[\s\u00a0%]/g, '');
  if (!/^-?[\d.,]+$/.test(s)) return null;
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  const dots = s.split('.').length - 1;
  const commas = s.split(',').length - 1;
  if (dots > 0 && commas > 0) {
    // The last separator is the decimal one.
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (commas > 1 || (commas === 1 && /,\d{3}$/.test(s))) {
    s = s.replace(/,/g, '');
  } else if (commas === 1) {
    s = s.replace(',', '.');
  } else if (dots > 1 || (dots === 1 && /\.\d{3}$/.test(s) && !s.startsWith('0.'))) {
    // "1.000" is a thousand in Vietnam.
    s = s.replace(/\./g, '');
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

const YES = new Set(['co', 'yes', 'y', 'true', 'x', '1', 'dung', 'active', 'dang ban', 'con']);
const NO = new Set(['khong', 'no', 'n', 'false', '0', 'sai', 'inactive', 'ngung', 'ngung ban']);

export function parseImportBoolean(text: string): boolean | null {
  const f = foldForSearch(text);
  if (YES.has(f)) return true;
  if (NO.has(f)) return false;
  return null;
}

/** A cell listing several values: "vip, đại lý; miền Bắc". */
export const splitList = (text: string) =>
  text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The option a cell names: by key or by label in either language, ignoring accents and case. */
export function findOption(options: FieldOption[], text: string): FieldOption | undefined {
  const f = foldForSearch(text);
  return options.find(
    (o) =>
      !o.archived &&
      (o.key === text.trim() ||
        foldForSearch(o.key) === f ||
        foldForSearch(o.label.vi) === f ||
        foldForSearch(o.label.en) === f),
  );
}

type Write = (body: Record<string, unknown>, value: unknown) => void;

/** A target that converts by field type (system field `key`, or a custom field). */
function typedTarget(
  key: string,
  label: LocalisedText,
  type: string,
  write: Write,
  optionsOf: (env: ImportEnv) => FieldOption[],
): ImportTarget | null {
  const base = { key, label };
  switch (type) {
    case 'text':
    case 'long_text':
    case 'url':
    case 'email':
    case 'phone':
      return { ...base, apply: (body, text) => (write(body, text), null) };
    case 'number':
    case 'money':
      return {
        ...base,
        apply: (body, text) => {
          const n = parseImportNumber(text.replace(/(đồng|đ|vnd|₫)$/i, ''));
          if (n === null) return msg.number;
          write(body, n);
          return null;
        },
      };
    case 'date':
      return {
        ...base,
        apply: (body, text) => {
          const d = parseImportDate(text);
          if (!d) return msg.date;
          write(body, d);
          return null;
        },
      };
    case 'boolean':
      return {
        ...base,
        apply: (body, text) => {
          const b = parseImportBoolean(text);
          if (b === null) return msg.boolean;
          write(body, b);
          return null;
        },
      };
    case 'select':
      return {
        ...base,
        apply: (body, text, env) => {
          const option = findOption(optionsOf(env), text);
          if (!option) return msg.choice(label);
          write(body, option.key);
          return null;
        },
      };
    case 'multi_select':
      return {
        ...base,
        apply: (body, text, env) => {
          const keys: string[] = [];
          for (const part of splitList(text)) {
            const option = findOption(optionsOf(env), part);
            if (!option) return msg.choice(label);
            keys.push(option.key);
          }
          write(body, keys);
          return null;
        },
      };
    case 'tags':
      return {
        ...base,
        multiple: true,
        apply: (body, text) => {
          const before = Array.isArray(body[key]) ? (body[key] as string[]) : [];
          write(body, [...before, ...splitList(text)]);
          return null;
        },
      };
    case 'user':
      return {
        ...base,
        apply: (body, text, env) => {
          const id = env.memberByKey.get(foldForSearch(text));
          if (!id) return msg.member;
          write(body, id);
          return null;
        },
      };
    default:
      // json (phones, addresses…: declared by the object), link, datetime: not from one cell.
      return null;
  }
}

/** The generic targets of an object's writable system fields. */
export function fieldTargets(fields: FieldDef[], writable: ReadonlySet<string>): ImportTarget[] {
  const out: ImportTarget[] = [];
  for (const f of fields) {
    if (f.readOnly || f.customKey || f.shownIn || f.relation || !writable.has(f.key)) continue;
    const target = typedTarget(
      f.key,
      f.label,
      f.type,
      (body, value) => (body[f.key] = value),
      (env) => env.options.get(f.key) ?? f.options ?? [],
    );
    if (target) out.push(target);
  }
  return out;
}

/** The targets of the workspace's custom fields of the object (`custom.<key>`). */
export function customTargets(fields: CustomFieldRow[]): ImportTarget[] {
  const out: ImportTarget[] = [];
  for (const f of fields) {
    const choices: FieldOption[] = (f.options.choices ?? []).map((c) => ({
      key: c.key,
      label: { vi: c.label, en: c.label },
    }));
    const target = typedTarget(
      `custom.${f.key}`,
      { vi: f.label, en: f.label },
      f.type,
      (body, value) => {
        const custom = (body.custom ?? {}) as Record<string, unknown>;
        custom[f.key] = value;
        body.custom = custom;
      },
      () => choices,
    );
    if (target) out.push(target);
  }
  return out;
}

/** Folded header text: "Số ĐT (di động)" → "so dt di dong". */
export const foldHeader = (header: string) =>
  foldForSearch(header)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The target each header suggests (null: none), each target used once unless it takes several
 * columns. Exact matches on a label or hint first, then a header that starts with or contains
 * one ("Điện thoại di động 2" → phones); ties go to the longer hint.
 */
/**
 * Columns of contacts' exports that describe a value rather than hold one ("E-mail 1 - Label",
 * "Phone 1 - Type": Mobile, Work), phonetic readings ("Given Yomi", "Phonetic First Name"),
 * numbers nobody calls (fax, pager) and someone else's ("Assistant's Phone"): suggested only on
 * an exact match.
 */
const NOT_A_VALUE =
  /(^| )(label|type|yomi|phonetic|fax|pager|assistant|assistant s|manager s)( |$)/;

export function suggestMapping(headers: string[], targets: ImportTarget[]): (string | null)[] {
  const names = targets.map((t) => ({
    target: t,
    keys: [
      ...new Set(
        [t.label.vi, t.label.en, t.key, ...(t.hints ?? [])].map(foldHeader).filter(Boolean),
      ),
    ],
  }));
  const folded = headers.map(foldHeader);
  const result: (string | null)[] = headers.map(() => null);
  const taken = new Set<string>();
  const claim = (i: number, t: ImportTarget) => {
    result[i] = t.key;
    if (!t.multiple) taken.add(t.key);
  };
  // Pass 1: exact. Pass 2: the header begins with a name, then contains it as whole words.
  // Within a pass the longest name wins a target ("Job Title" over Outlook's "Title").
  for (const pass of [0, 1, 2]) {
    const found: { i: number; t: ImportTarget; len: number }[] = [];
    folded.forEach((h, i) => {
      if (result[i] !== null || !h || (pass > 0 && NOT_A_VALUE.test(h))) return;
      for (const { target, keys } of names) {
        if (taken.has(target.key)) continue;
        for (const k of keys) {
          const hit =
            pass === 0 ? h === k : pass === 1 ? h.startsWith(`${k} `) : ` ${h} `.includes(` ${k} `);
          if (hit) found.push({ i, t: target, len: k.length });
        }
      }
    });
    found.sort((a, b) => b.len - a.len || a.i - b.i);
    for (const { i, t } of found) {
      if (result[i] === null && !taken.has(t.key)) claim(i, t);
    }
  }
  return result;
}
