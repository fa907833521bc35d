import type { LocalisedText } from '../../core/errors.js';
import { fieldAccess, hiddenFields, type Actor } from '../../core/permissions.js';
import { systemFields, type FieldDef } from './fields.js';
import type { FieldErrors } from './normalize.js';

/**
 * Field-level access (issue #19): what a role may not see or change of an object's records
 * (roles' `field_access`, core/permissions.ts). One place applies it to what leaves the server
 * (presented records: `redact`) and to what comes in (writes: `checkWritable`); the list
 * machinery refuses hidden fields in filters, sorts and boards (FieldResolver.restrictTo), the
 * field metadata leaves them out, exports drop them, boards drop the totals they make, and
 * timelines drop their changes.
 */

/** Fields no role can lose: what identifies a record and who owns it. */
const ALWAYS = new Set(['id', 'version', 'ownerId', 'createdAt', 'updatedAt', 'deletedAt']);

/**
 * The keys of a presented record that carry a field's value: its own key, a link `xId`'s `x`
 * (the linked record's name), and what the field declares (a deal's amount: its weighted
 * amount).
 */
export function presentedKeys(field: FieldDef): string[] {
  const keys = [field.key, ...(field.presentedAs ?? [])];
  if (field.type === 'link' && field.key.endsWith('Id')) keys.push(field.key.slice(0, -2));
  return keys;
}

/**
 * Whether a role can be denied a field: a custom field always; a system field unless it names
 * or owns the record, when the object declares it `hideable` (its response keys then accept
 * null) or its value may already be empty.
 */
export function isHideable(field: FieldDef, titleField: string | undefined): boolean {
  if (field.customKey) return true;
  if (ALWAYS.has(field.key) || field.key === titleField) return false;
  return field.hideable === true || field.nullable === true || field.type === 'link';
}

/** A presented record without what the actor may not see (a copy; the input is not changed). */
export function redact<T>(actor: Actor, objectKey: string, record: T): T {
  const hidden = hiddenFields(actor, objectKey);
  if (hidden.size === 0 || record === null || typeof record !== 'object') return record;
  const fields = systemFields(objectKey);
  const out = { ...(record as Record<string, unknown>) };
  for (const key of hidden) {
    if (key.startsWith('custom.')) {
      if (out.custom && typeof out.custom === 'object') {
        const custom = { ...(out.custom as Record<string, unknown>) };
        delete custom[key.slice('custom.'.length)];
        out.custom = custom;
      }
      continue;
    }
    const field = fields.find((f) => f.key === key);
    for (const k of field ? presentedKeys(field) : [key]) if (k in out) out[k] = null;
  }
  return out as T;
}

const notWritable = (label: LocalisedText): LocalisedText => ({
  vi: `Vai trò của bạn không được sửa trường "${label.vi}".`,
  en: `Your role may not change "${label.en}".`,
});

/**
 * Every field of `input` the actor may not write (hidden or read-only for their role) as a
 * field error, with the other problems of the write.
 */
export function checkWritable(
  actor: Actor,
  objectKey: string,
  input: Record<string, unknown>,
  fields: FieldDef[],
  errors: FieldErrors,
): void {
  if (actor.role.isAdmin || !actor.role.fieldAccess?.[objectKey]) return;
  for (const [key, level] of Object.entries(actor.role.fieldAccess[objectKey])) {
    if (level !== 'hidden' && level !== 'read_only') continue;
    const given = key.startsWith('custom.')
      ? (input.custom as Record<string, unknown> | undefined)?.[key.slice(7)] !== undefined
      : input[key] !== undefined;
    if (!given || fieldAccess(actor, objectKey, key) === 'write') continue;
    const label = fields.find((f) => f.key === key)?.label ?? { vi: key, en: key };
    errors.add(key, notWritable(label), 'not_writable');
  }
}
