import { auditChange } from '../../core/audit.js';
import { AppError, fieldError, type FieldError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { CustomFieldOptions, CustomFieldRow, CustomFieldType } from '../../db/schema/index.js';
import type { AppContext } from '../../core/context.js';
import { foldForSearch } from '../../lib/vn/names.js';
import { getRecordObject, type RecordObject } from '../records/registry.js';
import * as repo from './custom-fields.repository.js';
import {
  presentField,
  type CreateFieldInput,
  type CustomFieldView,
  type UpdateFieldInput,
} from './custom-fields.schemas.js';
import { checkValue, uniqueCapableTypes, uniqueKey, validationFailed } from './values.js';

const PERMISSION = 'custom_fields';
const AUDIT_TYPE = 'custom_fields';

const messages = {
  unknownObject: {
    vi: 'Loại bản ghi không hỗ trợ trường tuỳ chỉnh.',
    en: 'This object does not support custom fields.',
  },
  objectMismatch: {
    vi: 'Tham số object trong URL và trong nội dung khác nhau.',
    en: 'The object in the query and in the body differ.',
  },
  keyTaken: { vi: 'Mã trường này đã được dùng.', en: 'This field key is already in use.' },
  choicesRequired: {
    vi: 'Cần ít nhất một lựa chọn.',
    en: 'At least one choice is required.',
  },
  duplicateChoice: { vi: 'Mã lựa chọn bị trùng.', en: 'Duplicate choice key.' },
  noChoices: {
    vi: 'Chỉ trường chọn (select) mới có danh sách lựa chọn.',
    en: 'Only select fields have choices.',
  },
  targetRequired: {
    vi: 'Trường liên kết cần loại bản ghi đích hợp lệ.',
    en: 'A link field needs a valid target object.',
  },
  noTarget: {
    vi: 'Chỉ trường liên kết mới có đối tượng đích.',
    en: 'Only link fields have a target.',
  },
  notUniqueCapable: {
    vi: 'Loại trường này không thể đặt là duy nhất.',
    en: 'Fields of this type cannot be unique.',
  },
  noDefault: {
    vi: 'Loại trường này (hoặc trường duy nhất) không có giá trị mặc định.',
    en: 'Fields of this type (or unique fields) cannot have a default.',
  },
  typeLocked: {
    vi: 'Không thể đổi loại trường khi đã có dữ liệu.',
    en: 'The type of a field cannot change once records have values.',
  },
  targetLocked: {
    vi: 'Không thể đổi đối tượng đích khi đã có dữ liệu.',
    en: 'The target of a link field cannot change once records have values.',
  },
  choiceInUse: (key: string) => ({
    vi: `Lựa chọn "${key}" đang được dùng, không thể xoá.`,
    en: `The choice "${key}" is in use and cannot be removed.`,
  }),
  duplicatesExist: {
    vi: 'Đã có các bản ghi trùng giá trị: không thể đặt trường là duy nhất.',
    en: 'Some records share a value: the field cannot be made unique.',
  },
} satisfies Record<string, LocalisedText | ((k: string) => LocalisedText)>;

const conflict = (text: LocalisedText, path?: string) =>
  new AppError('CONFLICT', {
    text,
    ...(path ? { details: { fields: [{ path, message: text.en, text }] } } : {}),
  });

export function recordObjectFor(object: string): RecordObject {
  const found = getRecordObject(object);
  if (!found) throw fieldError('object', messages.unknownObject);
  return found;
}

/** "Hạng thành viên" -> "hang_thanh_vien": a key a person can read, from a Vietnamese label. */
export function slugify(label: string, fallback = 'field'): string {
  let s = foldForSearch(label)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (s === '') s = fallback;
  if (!/^[a-z]/.test(s)) s = `f_${s}`;
  return s.slice(0, 63).replace(/_+$/, '');
}

async function freeKey(tx: Tx, object: string, label: string): Promise<string> {
  const base = slugify(label);
  const taken = await repo.keysLike(tx, object, base);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const key = `${base.slice(0, 63 - suffix.length)}${suffix}`;
    if (!taken.has(key)) return key;
  }
}

/** The options a field of `type` may store, checked and normalised. */
function normaliseOptions(
  type: CustomFieldType,
  input: CreateFieldInput['options'],
): CustomFieldOptions {
  const errors: FieldError[] = [];
  const err = (path: string, text: LocalisedText) => errors.push({ path, message: text.en, text });
  const out: CustomFieldOptions = {};
  if (type === 'select' || type === 'multi_select') {
    const choices = input?.choices ?? [];
    if (choices.length === 0) err('options.choices', messages.choicesRequired);
    const seen = new Set<string>();
    out.choices = choices.map((c, i) => {
      const key = c.key ?? slugify(c.label, `choice_${i + 1}`).slice(0, 63);
      if (seen.has(key)) err(`options.choices.${i}.key`, messages.duplicateChoice);
      seen.add(key);
      return { key, label: c.label, color: c.color ?? null };
    });
  } else if (input?.choices !== undefined) {
    err('options.choices', messages.noChoices);
  }
  if (type === 'link') {
    if (!input?.target || !getRecordObject(input.target)) {
      err('options.target', messages.targetRequired);
    } else {
      out.target = input.target;
    }
  } else if (input?.target !== undefined) {
    err('options.target', messages.noTarget);
  }
  if (errors.length > 0) throw validationFailed(errors);
  return out;
}

/** A default value in its stored form (null = none), checked against the field. */
function normaliseDefault(
  field: Pick<CustomFieldRow, 'type' | 'options' | 'isUnique'>,
  raw: unknown,
): unknown {
  if (raw === undefined || raw === null) return null;
  if (field.type === 'user' || field.type === 'link' || field.isUnique) {
    throw fieldError('defaultValue', messages.noDefault);
  }
  const checked = checkValue(field as CustomFieldRow, raw);
  if (!checked.ok) throw fieldError('defaultValue', checked.text);
  return checked.value;
}

function assertUniqueCapable(type: CustomFieldType): void {
  if (!uniqueCapableTypes.includes(type)) throw fieldError('unique', messages.notUniqueCapable);
}

/** Fill the unique side table from existing values; refuse if two records share one. */
async function enforceUnique(tx: Tx, object: RecordObject, field: CustomFieldRow): Promise<void> {
  const rows = await repo.valuesOf(tx, object, field.key);
  const claimed = new Map<string, string>();
  for (const r of rows) {
    const key = uniqueKey(field, r.value);
    if (key === null) continue;
    if (claimed.has(key)) throw conflict(messages.duplicatesExist, 'unique');
    claimed.set(key, r.id);
  }
  await repo.insertUniqueValues(
    tx,
    field.workspaceId,
    field.id,
    [...claimed].map(([value, recordId]) => ({ value, recordId })),
  );
}

function resolveObject(queryObject: string | undefined, bodyObject: string | undefined): string {
  if (queryObject && bodyObject && queryObject !== bodyObject) {
    throw fieldError('object', messages.objectMismatch);
  }
  const object = queryObject ?? bodyObject;
  if (!object) throw fieldError('object', messages.unknownObject);
  return object;
}

export async function listFields(
  ctx: AppContext,
  actor: Actor,
  object: string,
): Promise<CustomFieldView[]> {
  authorize(actor, PERMISSION, 'read');
  recordObjectFor(object);
  const rows = await ctx.db.read(actor, (tx) => repo.listFields(tx, object));
  return rows.map(presentField);
}

export async function getField(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, PERMISSION, 'read');
  const row = await ctx.db.read(actor, (tx) => repo.getField(tx, id));
  if (!row) throw new AppError('NOT_FOUND');
  return presentField(row);
}

export async function createField(
  ctx: AppContext,
  actor: Actor,
  queryObject: string | undefined,
  input: CreateFieldInput,
): Promise<CustomFieldView> {
  authorize(actor, PERMISSION, 'create');
  const object = resolveObject(queryObject, input.object);
  recordObjectFor(object);
  const options = normaliseOptions(input.type, input.options);
  const isUnique = input.unique ?? false;
  if (isUnique) assertUniqueCapable(input.type);
  const defaultValue = normaliseDefault(
    { type: input.type, options, isUnique },
    input.defaultValue,
  );
  return ctx.db.tenant(actor, async (tx) => {
    let key = input.key;
    if (key !== undefined) {
      if (await repo.keyExists(tx, object, key)) throw conflict(messages.keyTaken, 'key');
    } else {
      key = await freeKey(tx, object, input.label);
    }
    const row = await repo.insertField(tx, {
      workspaceId: actor.workspaceId,
      object,
      key,
      label: input.label,
      type: input.type,
      options,
      required: input.required ?? false,
      isUnique,
      defaultValue,
      position: input.position ?? (await repo.nextPosition(tx, object)),
    });
    const view = presentField(row);
    await auditChange(tx, actor, AUDIT_TYPE, row.id, null, { ...view });
    return view;
  });
}

export async function updateField(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: UpdateFieldInput,
): Promise<CustomFieldView> {
  authorize(actor, PERMISSION, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getField(tx, id);
    if (!before) throw new AppError('NOT_FOUND');
    const object = recordObjectFor(before.object);
    const type = patch.type ?? before.type;
    const typeChanged = type !== before.type;
    const takesOptions = type === 'select' || type === 'multi_select' || type === 'link';
    const optionsInput =
      patch.options ??
      (typeChanged && !takesOptions
        ? undefined
        : {
            ...(before.options.choices ? { choices: before.options.choices } : {}),
            ...(before.options.target ? { target: before.options.target } : {}),
          });
    const options = normaliseOptions(type, optionsInput);
    const isUnique = patch.unique ?? before.isUnique;
    if (isUnique) assertUniqueCapable(type);
    const defaultValue = normaliseDefault(
      { type, options, isUnique },
      patch.defaultValue !== undefined ? patch.defaultValue : before.defaultValue,
    );

    let valuesExist: boolean | undefined;
    const hasValues = async () => (valuesExist ??= await repo.hasValues(tx, object, before.key));
    if (typeChanged && (await hasValues())) throw conflict(messages.typeLocked, 'type');
    if (
      type === 'link' &&
      options.target !== before.options.target &&
      !typeChanged &&
      (await hasValues())
    ) {
      throw conflict(messages.targetLocked, 'options.target');
    }
    if (!typeChanged && (type === 'select' || type === 'multi_select')) {
      const kept = new Set((options.choices ?? []).map((c) => c.key));
      for (const c of before.options.choices ?? []) {
        if (kept.has(c.key)) continue;
        if (await repo.choiceInUse(tx, object, before.key, c.key, type === 'multi_select')) {
          throw conflict(messages.choiceInUse(c.key), 'options.choices');
        }
      }
    }

    const after = await repo.updateField(tx, id, {
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.required !== undefined ? { required: patch.required } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
      type,
      options,
      isUnique,
      defaultValue,
    });
    if (isUnique && !before.isUnique) await enforceUnique(tx, object, after);
    if (!isUnique && before.isUnique) await repo.clearUniqueValues(tx, id);
    const view = presentField(after);
    await auditChange(tx, actor, AUDIT_TYPE, id, { ...presentField(before) }, { ...view });
    return view;
  });
}

/** Delete a field and, in the same transaction, its values on every record of the object. */
export async function deleteField(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, PERMISSION, 'delete');
  await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getField(tx, id);
    if (!before) throw new AppError('NOT_FOUND');
    const object = getRecordObject(before.object);
    if (object) await repo.removeValues(tx, object, before.key);
    // Unique values go with the field (foreign key, ON DELETE CASCADE).
    await repo.deleteField(tx, id);
    await auditChange(tx, actor, AUDIT_TYPE, id, { ...presentField(before) }, null);
  });
}
