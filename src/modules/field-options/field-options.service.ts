import { recordAudit } from '../../core/audit.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { AuditChanges } from '../../db/schema/index.js';
import type { AppContext } from '../../core/context.js';
import { slugify } from '../custom-fields/custom-fields.service.js';
import { recordObjectDefinitions } from '../records/define.js';
import { systemFields, type FieldDef, type FieldOption } from '../records/fields.js';
import { FieldErrors } from '../records/normalize.js';
import { getRecordObject } from '../records/registry.js';
import * as repo from './field-options.repository.js';
import type { OptionListInput, OptionListView } from './field-options.schemas.js';
import type { StoredOption } from './field-options.table.js';

/**
 * Option lists a workspace edits (issue #17): a select field declared with `optionList`
 * (records/fields.ts selectField) starts with its declared options; a workspace that edits the
 * list gets a row in field_option_lists and from then on its own names, order, colours and
 * archived options. Everything that shows or checks the field's values (field metadata, filters,
 * exports, record writes, the kanban) reads the workspace's list through workspaceOptions().
 *
 * Removing an option that records still hold is refused (409, naming how many records): archive
 * it instead, which keeps it for those records and stops offering it for new values.
 */
const PERMISSION = 'custom_fields';
const AUDIT_TYPE = 'field_options';
const MAX_OPTIONS = 200;
const COLOR = /^#[0-9a-f]{6}$/;

const messages = {
  notInList: { vi: 'Giá trị không có trong danh sách.', en: 'Not in the list of choices.' },
  archived: (label: LocalisedText) => ({
    vi: `"${label.vi}" đã ngừng dùng: hãy chọn giá trị khác.`,
    en: `"${label.en}" is archived: choose another value.`,
  }),
  labelRequired: { vi: 'Cần nhập tên lựa chọn.', en: 'A name is required.' },
  duplicateLabel: { vi: 'Trùng tên với một lựa chọn khác.', en: 'Another choice has this name.' },
  duplicateKey: { vi: 'Mã lựa chọn bị trùng.', en: 'Duplicate choice key.' },
  badKey: { vi: 'Mã lựa chọn không hợp lệ.', en: 'Invalid choice key.' },
  badColor: {
    vi: 'Màu phải có dạng #rrggbb.',
    en: 'A colour is written #rrggbb.',
  },
  noActive: {
    vi: 'Danh sách cần ít nhất một lựa chọn đang dùng.',
    en: 'The list needs at least one choice in use.',
  },
  tooMany: {
    vi: `Danh sách có tối đa ${MAX_OPTIONS} lựa chọn.`,
    en: `A list holds at most ${MAX_OPTIONS} choices.`,
  },
  inUse: (label: LocalisedText, count: number) => ({
    vi: `Không thể xoá "${label.vi}": ${count} bản ghi đang dùng giá trị này. Hãy lưu trữ lựa chọn (giữ cho các bản ghi đó, không cho bản ghi mới) hoặc chuyển các bản ghi sang giá trị khác trước.`,
    en: `"${label.en}" cannot be removed: ${count} ${count === 1 ? 'record uses' : 'records use'} it. Archive it instead (kept for those records, not offered for new ones) or move those records to another value first.`,
  }),
} satisfies Record<string, LocalisedText | ((...a: never[]) => LocalisedText)>;

// --- the workspace's options -----------------------------------------------------------------

/** The fields of an object whose option list each workspace edits. */
export function optionListFields(objectKey: string): FieldDef[] {
  return systemFields(objectKey).filter((f) => f.optionList !== undefined);
}

function optionListField(objectKey: string, fieldKey: string): FieldDef {
  const field = optionListFields(objectKey).find((f) => f.key === fieldKey);
  if (!field || !getRecordObject(objectKey)) throw new AppError('NOT_FOUND');
  return field;
}

const stored = (o: FieldOption): StoredOption => ({
  key: o.key,
  label: { vi: o.label.vi, en: o.label.en },
  color: o.color ?? null,
  archived: o.archived ?? false,
});

/** The declared options of a field, as a workspace starts with them. */
export function defaultOptions(field: FieldDef): StoredOption[] {
  return (field.options ?? []).map(stored);
}

/**
 * The workspace's options of every option-list field of `objectKey` (field key → options in
 * display order, archived ones included): its edited lists, else the declared defaults. One
 * query, only for objects that have such fields.
 */
export async function workspaceOptions(
  tx: Tx,
  objectKey: string,
): Promise<Map<string, FieldOption[]>> {
  const fields = optionListFields(objectKey);
  const loaded = systemFields(objectKey).filter((f) => f.loadOptions);
  const options = new Map<string, FieldOption[]>();
  if (fields.length > 0) {
    const rows = await repo.listsOf(tx, objectKey);
    const edited = new Map(rows.map((r) => [r.field, r.options]));
    for (const f of fields) options.set(f.key, edited.get(f.key) ?? defaultOptions(f));
  }
  // Options that are the workspace's rows (a deal's pipelines and stages).
  for (const f of loaded) options.set(f.key, await f.loadOptions!(tx));
  return options;
}

/** `fields` with the workspace's options in place of the declared ones. */
export function withWorkspaceOptions(
  fields: FieldDef[],
  options: Map<string, FieldOption[]>,
): FieldDef[] {
  return fields.map((f) => {
    const own = f.optionList || f.loadOptions ? options.get(f.key) : undefined;
    return own ? { ...f, options: own } : f;
  });
}

// --- record writes ---------------------------------------------------------------------------

const valueOf = (row: object | null, key: string): unknown =>
  row ? (row as Record<string, unknown>)[key] : undefined;

/**
 * A write of a record keeps its option-list fields in the workspace's list: a value that
 * changed (or a new record's value) must be an option in use (not archived). A value the record
 * already had stays valid even if archived since, or, on a field that was free text
 * (`keepUnlisted`), if it was never in the list. The row's properties are named like the
 * fields (lifecycleStage, industry, unit). Called by recordWritten() for every object.
 */
export async function checkOptionValues(
  tx: Tx,
  objectKey: string,
  before: object | null,
  after: object,
): Promise<void> {
  const changed = changedOptionFields(objectKey, before, after);
  if (changed.length === 0) return;
  const errors = new FieldErrors();
  optionValueErrors(changed, await workspaceOptions(tx, objectKey), after, errors);
  errors.throwIfAny();
}

/** The option-list fields whose value a write sets or changes. */
export function changedOptionFields(objectKey: string, before: object | null, after: object) {
  return optionListFields(objectKey).filter((f) => {
    const value = valueOf(after, f.key);
    return value !== undefined && value !== null && value !== valueOf(before, f.key);
  });
}

/** Each field's value of `after` checked against the workspace's lists (loaded by the caller). */
export function optionValueErrors(
  fields: FieldDef[],
  options: Map<string, { key: string; label: LocalisedText; archived?: boolean }[]>,
  after: object,
  errors: FieldErrors,
): void {
  for (const field of fields) {
    const value = String(valueOf(after, field.key));
    const option = options.get(field.key)?.find((o) => o.key === value);
    if (!option) errors.add(field.key, messages.notInList, 'invalid_choice');
    else if (option.archived) errors.add(field.key, messages.archived(option.label), 'archived');
  }
}

/**
 * A new record's required option-list fields that the input leaves out get the workspace's
 * first option in use (the declared default may be archived or removed there).
 */
export async function withDefaultOptions<In>(tx: Tx, objectKey: string, input: In): Promise<In> {
  const missing = optionListFields(objectKey).filter(
    (f) => f.required && valueOf(input as object, f.key) === undefined,
  );
  if (missing.length === 0 || input === null || typeof input !== 'object') return input;
  const options = await workspaceOptions(tx, objectKey);
  const out = { ...(input as Record<string, unknown>) };
  for (const field of missing) {
    const first = options.get(field.key)?.find((o) => !o.archived);
    if (first) out[field.key] = first.key;
  }
  return out as In;
}

// --- the settings API ------------------------------------------------------------------------

/** Every editable option list of the objects the caller may read (the settings page's index). */
export function listOptionLists(actor: Actor) {
  authorize(actor, PERMISSION, 'read');
  return recordObjectDefinitions()
    .filter((def) => can(actor, def.key, 'read'))
    .sort((a, b) => a.presentation.order - b.presentation.order)
    .flatMap((def) =>
      optionListFields(def.key).map((f) => ({
        object: def.key,
        objectLabel: def.label.many,
        field: f.key,
        label: f.label,
      })),
    );
}

/**
 * The name of each editable list (`object.field` → "Giai đoạn (Liên hệ)"): the audit log's
 * name of a list's entries (a name in the workspace's default language, like a record's).
 */
export function optionListNames(): { key: string; name: string }[] {
  return recordObjectDefinitions().flatMap((def) =>
    optionListFields(def.key).map((f) => ({
      key: `${def.key}.${f.key}`,
      name: `${f.label.vi} (${def.label.many.vi})`,
    })),
  );
}

async function view(tx: Tx, objectKey: string, field: FieldDef): Promise<OptionListView> {
  const object = getRecordObject(objectKey);
  if (!object?.table || !field.expr) throw new AppError('NOT_FOUND');
  const row = await repo.getList(tx, objectKey, field.key);
  const options = row?.options ?? defaultOptions(field);
  const counts = await repo.valueCounts(tx, object, field.expr);
  const keys = new Set(options.map((o) => o.key));
  return {
    object: objectKey,
    field: field.key,
    label: field.label,
    required: field.required ?? false,
    customised: row !== undefined,
    options: options.map((o) => ({ ...o, usage: counts.get(o.key) ?? 0 })),
    unlisted: [...counts]
      .filter(([value]) => !keys.has(value))
      .map(([value, usage]) => ({ value, usage }))
      .sort((a, b) => b.usage - a.usage || a.value.localeCompare(b.value, 'vi')),
  };
}

export async function getOptionList(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  fieldKey: string,
): Promise<OptionListView> {
  authorize(actor, PERMISSION, 'read');
  const field = optionListField(objectKey, fieldKey);
  authorize(actor, objectKey, 'read');
  return ctx.db.read(actor, (tx) => view(tx, objectKey, field));
}

const clean = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** The options of a save, checked: names, keys (kept, given or made from the name), colours. */
function normalise(input: OptionListInput, current: StoredOption[]): StoredOption[] {
  const errors = new FieldErrors();
  if (input.options.length > MAX_OPTIONS) errors.add('options', messages.tooMany, 'too_big');
  const taken = new Set([
    ...current.map((o) => o.key),
    ...input.options.flatMap((o) => o.key ?? []),
  ]);
  const seenKeys = new Set<string>();
  const seenLabels = new Set<string>();
  const out = input.options.map((o, i): StoredOption => {
    const path = `options.${i}`;
    const vi = clean(o.label.vi);
    const en = clean(o.label.en ?? '') || vi;
    if (!vi) errors.add(`${path}.label.vi`, messages.labelRequired, 'required');
    const folded = vi.toLocaleLowerCase('vi');
    if (vi && seenLabels.has(folded)) {
      errors.add(`${path}.label.vi`, messages.duplicateLabel, 'duplicate');
    }
    seenLabels.add(folded);
    let key = o.key === undefined ? undefined : clean(o.key);
    if (key === '') errors.add(`${path}.key`, messages.badKey, 'invalid');
    if (key === undefined) {
      const base = slugify(vi || en, `option_${i + 1}`).slice(0, 60);
      key = base;
      for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
      taken.add(key);
    }
    if (seenKeys.has(key)) errors.add(`${path}.key`, messages.duplicateKey, 'duplicate');
    seenKeys.add(key);
    const color = o.color ? o.color.toLowerCase() : null;
    if (color !== null && !COLOR.test(color)) errors.add(`${path}.color`, messages.badColor);
    return { key, label: { vi, en }, color, archived: o.archived ?? false };
  });
  if (!out.some((o) => !o.archived)) errors.add('options', messages.noActive, 'required');
  errors.throwIfAny();
  return out;
}

const describe = (o: StoredOption) => ({
  vi: o.label.vi,
  en: o.label.en,
  color: o.color,
  archived: o.archived,
});

/** The audit entry's changes, named by the options' labels (never their keys). */
function auditChanges(before: StoredOption[], after: StoredOption[]): AuditChanges {
  const changes: AuditChanges = {};
  const byKey = (list: StoredOption[]) => new Map(list.map((o) => [o.key, o]));
  const was = byKey(before);
  const now = byKey(after);
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const b = was.get(key);
    const a = now.get(key);
    const name = (a ?? b)?.label.vi ?? key;
    const from = b ? describe(b) : null;
    const to = a ? describe(a) : null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[name] = { from, to };
  }
  const order = (list: StoredOption[]) =>
    list.filter((o) => was.has(o.key) && now.has(o.key)).map((o) => o.label.vi);
  const kept = { from: order(before), to: order(after) };
  if (JSON.stringify(kept.from) !== JSON.stringify(kept.to)) {
    changes.position = { from: before.map((o) => o.label.vi), to: after.map((o) => o.label.vi) };
  }
  return changes;
}

export async function saveOptionList(
  ctx: AppContext,
  actor: Actor,
  objectKey: string,
  fieldKey: string,
  input: OptionListInput,
): Promise<OptionListView> {
  authorize(actor, PERMISSION, 'update');
  const field = optionListField(objectKey, fieldKey);
  authorize(actor, objectKey, 'read');
  const object = getRecordObject(objectKey);
  if (!object || !field.expr) throw new AppError('NOT_FOUND');
  const expr = field.expr;
  return ctx.db.tenant(actor, async (tx) => {
    const row = await repo.getList(tx, objectKey, fieldKey, true);
    const current = row?.options ?? defaultOptions(field);
    const next = normalise(input, current);
    const removed = current.filter((o) => !next.some((n) => n.key === o.key));
    if (removed.length > 0) {
      const counts = await repo.valueCounts(tx, object, expr);
      for (const option of removed) {
        const count = counts.get(option.key) ?? 0;
        if (count > 0) {
          const text = messages.inUse(option.label, count);
          throw new AppError('CONFLICT', {
            text,
            details: {
              fields: [{ path: 'options', message: text.en, text, reason: 'in_use' }],
              option: option.key,
              count,
            },
          });
        }
      }
    }
    const saved = await repo.saveList(tx, actor.workspaceId, objectKey, fieldKey, next);
    const changes = auditChanges(current, next);
    if (Object.keys(changes).length > 0) {
      await recordAudit(tx, actor, {
        action: row ? 'update' : 'create',
        objectType: AUDIT_TYPE,
        objectId: saved.id,
        changes,
      });
    }
    return view(tx, objectKey, field);
  });
}
