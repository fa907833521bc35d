import { asc, eq, sql } from 'drizzle-orm';
import { AppError, type FieldError, type LocalisedText } from '../../core/errors.js';
import type { Tx } from '../../db/database.js';
import {
  customFields,
  type CustomFieldRow,
  type CustomFieldType,
  type CustomValues,
} from '../../db/schema/index.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { normalizeEmail } from '../../lib/vn/email.js';
import { parseVnd } from '../../lib/vn/money.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { normalizePhone } from '../../lib/vn/phone.js';
import { getRecordObject } from '../records/registry.js';

/**
 * Custom field values: the interface the record services (contacts, companies, later deals…)
 * call inside their own create/update transaction:
 *
 *   const fields = await loadCustomFields(tx, 'contacts');
 *   const custom = validateCustomValues(fields, input.custom, { existing: before?.custom ?? null });
 *   … insert / update the row with `custom` …
 *   await syncUniqueValues(tx, fields, 'contacts', id, custom);   // also checks user/link refs
 *
 * Storage: `custom jsonb` on the record, keyed by field key, one typed JSON value per field
 * (see docs/customer-records.md). Unique fields are enforced by `custom_field_unique_values`.
 */
export type { CustomFieldRow, CustomValues };

/** Field definitions of one object, in display order. */
export function loadCustomFields(tx: Tx, object: string): Promise<CustomFieldRow[]> {
  return tx
    .select()
    .from(customFields)
    .where(eq(customFields.object, object))
    .orderBy(asc(customFields.position), asc(customFields.createdAt), asc(customFields.id));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

export const TEXT_MAX = 1000;
export const LONG_TEXT_MAX = 20_000;
const URL_MAX = 2048;
/** Largest absolute value of a number field: well inside a double's exact integers. */
const NUMBER_MAX = 1e15;

/** Types whose values may be declared unique. */
export const uniqueCapableTypes: readonly CustomFieldType[] = [
  'text',
  'number',
  'money',
  'date',
  'datetime',
  'url',
  'email',
  'phone',
  'user',
  'link',
];

/** Types whose values reference other rows (checked against the database). */
const referenceTypes: readonly CustomFieldType[] = ['user', 'link'];

/** Messages, vi and en, for what a value can get wrong. */
export const valueMessages = {
  required: { vi: 'Trường này là bắt buộc.', en: 'This field is required.' },
  unknownField: { vi: 'Không có trường tuỳ chỉnh này.', en: 'There is no such custom field.' },
  text: { vi: 'Phải là một đoạn văn bản.', en: 'Must be text.' },
  tooLong: (max: number) => ({
    vi: `Dài quá ${max} ký tự.`,
    en: `Longer than ${max} characters.`,
  }),
  number: { vi: 'Số không hợp lệ.', en: 'Invalid number.' },
  money: {
    vi: 'Số tiền không hợp lệ (số nguyên đồng).',
    en: 'Invalid amount (a whole number of đồng).',
  },
  date: { vi: 'Ngày không hợp lệ (YYYY-MM-DD).', en: 'Invalid date (YYYY-MM-DD).' },
  datetime: {
    vi: 'Thời điểm không hợp lệ (ISO 8601, có múi giờ).',
    en: 'Invalid date and time (ISO 8601 with a time zone).',
  },
  boolean: { vi: 'Phải là đúng hoặc sai.', en: 'Must be true or false.' },
  select: { vi: 'Giá trị không có trong danh sách.', en: 'Not in the list of choices.' },
  url: { vi: 'Địa chỉ web không hợp lệ.', en: 'Invalid web address.' },
  email: { vi: 'Email không hợp lệ.', en: 'Invalid email address.' },
  phone: { vi: 'Số điện thoại không hợp lệ.', en: 'Invalid phone number.' },
  user: {
    vi: 'Không phải thành viên đang hoạt động của không gian làm việc.',
    en: 'Not an active member of this workspace.',
  },
  link: { vi: 'Không tìm thấy bản ghi được liên kết.', en: 'The linked record does not exist.' },
  duplicate: {
    vi: 'Giá trị này đã được dùng cho một bản ghi khác.',
    en: 'This value is already used by another record.',
  },
} as const;

type Check = { ok: true; value: unknown } | { ok: false; text: LocalisedText };
const good = (value: unknown): Check => ({ ok: true, value });
const bad = (text: LocalisedText): Check => ({ ok: false, text });

function isValidDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function normaliseUrl(input: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(input) ? input : `https://${input}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return null;
  const out = url.toString();
  return out.length > URL_MAX ? null : out;
}

function choiceKeys(field: CustomFieldRow): Set<string> {
  return new Set((field.options.choices ?? []).map((c) => c.key));
}

/** Whether a raw input value means "no value" (null, empty string, empty list). */
function isBlank(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (typeof v === 'string' && v.trim() === '') ||
    (Array.isArray(v) && v.length === 0)
  );
}

/**
 * One value of one field -> its stored JSON form, or why it is invalid. Synchronous: user and
 * link values are only checked for shape here (a uuid); assertCustomReferences checks they exist.
 */
export function checkValue(field: CustomFieldRow, raw: unknown): Check {
  switch (field.type) {
    case 'text':
    case 'long_text': {
      if (typeof raw !== 'string') return bad(valueMessages.text);
      const max = field.type === 'text' ? TEXT_MAX : LONG_TEXT_MAX;
      const s = raw.normalize('NFC').trim();
      return s.length > max ? bad(valueMessages.tooLong(max)) : good(s);
    }
    case 'number': {
      let n: number;
      if (typeof raw === 'number') n = raw;
      else if (typeof raw === 'string' && NUMBER_TEXT.test(raw.trim())) n = Number(raw.trim());
      else return bad(valueMessages.number);
      return Number.isFinite(n) && Math.abs(n) <= NUMBER_MAX
        ? good(n === 0 ? 0 : n)
        : bad(valueMessages.number);
    }
    case 'money': {
      if (typeof raw !== 'number' && typeof raw !== 'string') return bad(valueMessages.money);
      const r = parseVnd(raw, { allowNegative: true });
      return r.ok ? good(r.value) : bad(valueMessages.money);
    }
    case 'date':
      return typeof raw === 'string' && isValidDate(raw.trim())
        ? good(raw.trim())
        : bad(valueMessages.date);
    case 'datetime': {
      if (typeof raw !== 'string' || !DATETIME.test(raw.trim())) return bad(valueMessages.datetime);
      const t = Date.parse(raw.trim());
      return Number.isNaN(t) || !isValidDate(raw.trim().slice(0, 10))
        ? bad(valueMessages.datetime)
        : good(new Date(t).toISOString());
    }
    case 'boolean':
      if (typeof raw === 'boolean') return good(raw);
      if (raw === 'true' || raw === 'false') return good(raw === 'true');
      return bad(valueMessages.boolean);
    case 'select':
      return typeof raw === 'string' && choiceKeys(field).has(raw)
        ? good(raw)
        : bad(valueMessages.select);
    case 'multi_select': {
      if (!Array.isArray(raw)) return bad(valueMessages.select);
      const keys = choiceKeys(field);
      if (!raw.every((v): v is string => typeof v === 'string' && keys.has(v))) {
        return bad(valueMessages.select);
      }
      // Stored in the order of the choices, without duplicates: equal sets compare equal.
      const chosen = new Set(raw);
      return good([...keys].filter((k) => chosen.has(k)));
    }
    case 'url': {
      if (typeof raw !== 'string') return bad(valueMessages.url);
      const url = normaliseUrl(raw.trim());
      return url ? good(url) : bad(valueMessages.url);
    }
    case 'email': {
      if (typeof raw !== 'string') return bad(valueMessages.email);
      const r = normalizeEmail(raw);
      return r.ok ? good(r.value) : bad(valueMessages.email);
    }
    case 'phone': {
      if (typeof raw !== 'string') return bad(valueMessages.phone);
      const r = normalizePhone(raw);
      return r.ok ? good(r.value) : bad(valueMessages.phone);
    }
    case 'user':
      return typeof raw === 'string' && UUID.test(raw)
        ? good(raw.toLowerCase())
        : bad(valueMessages.user);
    case 'link':
      return typeof raw === 'string' && UUID.test(raw)
        ? good(raw.toLowerCase())
        : bad(valueMessages.link);
  }
}

const fieldPath = (key: string) => `custom.${key}`;
const errorAt = (key: string, text: LocalisedText): FieldError => ({
  path: fieldPath(key),
  message: text.en,
  text,
});

export function validationFailed(errors: FieldError[]): AppError {
  return new AppError('VALIDATION_FAILED', { details: { fields: errors } });
}

/**
 * For each validated result, which user/link keys got a new value: assertCustomReferences
 * checks only those (a value set earlier may point at a member deactivated since; that must not
 * block editing another field). Results not from validateCustomValues are checked in full.
 */
const changedReferences = new WeakMap<CustomValues, Set<string>>();

/**
 * The new `custom` object of a record: `existing` merged with `input`.
 * - `null` (or "", or []) in input clears a value; a key that is not a field is an error;
 * - on create (`existing === null`) defaults fill missing keys and every required field must
 *   have a value; on update, a required field may not be cleared (one that was already empty
 *   and is not touched is left alone);
 * - values come back normalised (E.164 phones, lower-case emails, ISO datetimes…);
 * - keys of fields that no longer exist are dropped from `existing`.
 * Throws VALIDATION_FAILED listing every problem at `custom.<key>`.
 */
export function validateCustomValues(
  fields: CustomFieldRow[],
  input: Record<string, unknown> | undefined,
  opts: { existing: CustomValues | null },
): CustomValues {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const errors: FieldError[] = [];
  const out: CustomValues = {};
  const changed = new Set<string>();
  const creating = opts.existing === null;

  for (const [key, value] of Object.entries(opts.existing ?? {})) {
    if (byKey.has(key) && value !== null && value !== undefined) out[key] = value;
  }
  for (const [key, raw] of Object.entries(input ?? {})) {
    const field = byKey.get(key);
    if (!field) {
      errors.push(errorAt(key, valueMessages.unknownField));
      continue;
    }
    if (raw === undefined) continue;
    if (isBlank(raw)) {
      if (field.required) errors.push(errorAt(key, valueMessages.required));
      delete out[key];
      continue;
    }
    const checked = checkValue(field, raw);
    if (!checked.ok) {
      errors.push(errorAt(key, checked.text));
      continue;
    }
    if (JSON.stringify(out[key]) !== JSON.stringify(checked.value)) changed.add(key);
    out[key] = checked.value;
  }
  if (creating) {
    for (const field of fields) {
      if (out[field.key] !== undefined || input?.[field.key] !== undefined) continue;
      if (field.defaultValue !== null && field.defaultValue !== undefined) {
        const checked = checkValue(field, field.defaultValue);
        if (checked.ok) {
          out[field.key] = checked.value;
          changed.add(field.key);
          continue;
        }
      }
      if (field.required) errors.push(errorAt(field.key, valueMessages.required));
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  changedReferences.set(
    out,
    new Set([...changed].filter((k) => referenceTypes.includes(byKey.get(k)!.type))),
  );
  return out;
}

/** The form a unique value is compared in: folded text, exact everything else. */
export function uniqueKey(field: CustomFieldRow, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'text':
    case 'long_text':
    case 'url':
      return typeof value === 'string' ? foldForSearch(value) || null : null;
    case 'email':
      return typeof value === 'string' ? value.toLowerCase() : null;
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/**
 * User values must be active members of the workspace; link values must be records of the
 * field's target object that exist (in this workspace: RLS) and are not in the trash.
 * Only values that validateCustomValues reported as new are checked (all, for other objects).
 */
export async function assertCustomReferences(
  tx: Tx,
  fields: CustomFieldRow[],
  values: CustomValues,
): Promise<void> {
  const only = changedReferences.get(values);
  const errors: FieldError[] = [];
  for (const field of fields) {
    if (!referenceTypes.includes(field.type)) continue;
    const value = values[field.key];
    if (typeof value !== 'string' || (only && !only.has(field.key))) continue;
    if (!UUID.test(value)) {
      errors.push(errorAt(field.key, valueMessages[field.type === 'user' ? 'user' : 'link']));
      continue;
    }
    if (field.type === 'user') {
      const rows = await queryRows<{ ok: boolean }>(
        tx,
        sql`SELECT 1 AS ok FROM workspace_members WHERE user_id = ${value} AND status = 'active'`,
      );
      if (rows.length === 0) errors.push(errorAt(field.key, valueMessages.user));
    } else {
      const target = field.options.target ? getRecordObject(field.options.target) : undefined;
      const found = target
        ? await queryRows<{ ok: number }>(
            tx,
            sql`SELECT 1 AS ok FROM ${target.table} WHERE ${target.columns.id} = ${value} AND ${target.columns.deletedAt} IS NULL`,
          )
        : [];
      if (found.length === 0) errors.push(errorAt(field.key, valueMessages.link));
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
}

/**
 * Keep `custom_field_unique_values` in step with a record's values (call after validating, in
 * the same transaction as the insert/update of the record), and check user/link references
 * (assertCustomReferences) first, so the three calls above are all a record service needs.
 *
 * For each unique field: the record's previous value row is removed and the new one claimed.
 * The claim is an upsert that only succeeds when the value is free or already this record's;
 * the primary key (field, value) makes a concurrent claim of the same value wait for the first
 * transaction and then fail, so two records can never commit the same value.
 * Throws VALIDATION_FAILED at `custom.<key>` for every value used by another record.
 */
export async function syncUniqueValues(
  tx: Tx,
  fields: CustomFieldRow[],
  object: string,
  recordId: string,
  values: CustomValues,
): Promise<void> {
  await assertCustomReferences(tx, fields, values);
  const errors: FieldError[] = [];
  for (const field of fields) {
    if (!field.isUnique || field.object !== object) continue;
    const key = uniqueKey(field, values[field.key]);
    await tx.execute(sql`
      DELETE FROM custom_field_unique_values
       WHERE field_id = ${field.id} AND record_id = ${recordId}
         AND (${key}::text IS NULL OR value <> ${key}::text)`);
    if (key === null) continue;
    const claimed = await queryRows<{ record_id: string }>(
      tx,
      sql`
      INSERT INTO custom_field_unique_values AS u (workspace_id, field_id, value, record_id)
      VALUES (${field.workspaceId}, ${field.id}, ${key}, ${recordId})
      ON CONFLICT (field_id, value) DO UPDATE SET record_id = excluded.record_id
        WHERE u.record_id = excluded.record_id
      RETURNING u.record_id`,
    );
    if (claimed.length === 0) errors.push(errorAt(field.key, valueMessages.duplicate));
  }
  if (errors.length > 0) throw validationFailed(errors);
}

/**
 * Forget the unique values of records that are deleted for good (the trash purge): the side
 * table has no foreign key to the record tables (it serves every object).
 */
export async function removeUniqueValues(tx: Tx, recordIds: string[]): Promise<void> {
  if (recordIds.length === 0) return;
  await tx.execute(
    sql`DELETE FROM custom_field_unique_values WHERE record_id = ANY(${uuidArray(recordIds)})`,
  );
}
