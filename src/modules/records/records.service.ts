import type { Writable } from 'node:stream';
import { recordAudit } from '../../core/audit.js';
import { AppError, type Locale } from '../../core/errors.js';
import {
  authorize,
  can,
  fieldAccess,
  hiddenFields,
  type Action,
  type Actor,
} from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { fieldErrors, RequestValidationError } from '../../http/validation.js';
import { normalizeText } from '../../lib/vn/names.js';
import { loadCustomFields } from '../custom-fields/values.js';
import {
  withDefaultOptions,
  withWorkspaceOptions,
  workspaceOptions,
} from '../field-options/field-options.service.js';
import { loadAccessibleRecord } from './access.js';
import { redact } from './field-access.js';
import type { ExportColumn } from './export.js';
import type { ExportFormat } from './export-formats.js';
import { exportFiles, exportWriter } from './export-writers.js';
import { fieldMeta, objectFields } from './fields.js';
import { operatorsFor } from './filters.js';
import { loadRecords, type RecordKind } from './kinds.js';
import {
  countRecords,
  DEFAULT_SORT,
  FieldResolver,
  listPage,
  resolveSort,
  type ListParams,
} from './list.js';
import { FieldErrors, invalid, validationError } from './normalize.js';
import type { BulkInput } from './records.schemas.js';
import {
  lockRecordHeads,
  moveToTrash,
  restoreFromTrash,
  workspaceTimeZone,
} from './records.repository.js';
import { getRecordObject, type RecordObject } from './registry.js';
import { recordObjectDefinition, recordObjectDefinitions } from './define.js';

/**
 * The operations every record object shares: list, count, get, create, update, trash, restore,
 * bulk, export and field metadata. Object-specific rules live in the object's RecordKind.
 */
// A kind's input type is only known to the kind itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKind<Out = unknown> = RecordKind<Out, any>;

function objectOf(key: string): RecordObject {
  const object = getRecordObject(key);
  if (!object) throw new AppError('NOT_FOUND');
  return object;
}

export async function listRecords<Out>(
  ctx: AppContext,
  actor: Actor,
  kind: AnyKind<Out>,
  params: ListParams & { withTotal?: boolean | undefined },
) {
  authorize(actor, kind.key, 'read');
  return ctx.db.read(actor, async (tx) => {
    const resolver = new FieldResolver(kind.key);
    const page = await listPage(tx, actor, resolver, params, kind.columns(actor));
    const items = page.rows.map((r) => redact(actor, kind.key, kind.present(r)));
    const total = params.withTotal ? await countRecords(tx, actor, resolver, params) : undefined;
    return { items, nextCursor: page.nextCursor, ...(total !== undefined ? { total } : {}) };
  });
}

export async function countRecordsOf(
  ctx: AppContext,
  actor: Actor,
  kind: AnyKind,
  params: ListParams,
) {
  authorize(actor, kind.key, 'read');
  const count = await ctx.db.read(actor, (tx) =>
    countRecords(tx, actor, new FieldResolver(kind.key), params),
  );
  return { count };
}

export async function getRecord<Out>(
  ctx: AppContext,
  actor: Actor,
  kind: AnyKind<Out>,
  id: string,
  opts: { trash?: boolean | undefined } = {},
): Promise<Out> {
  authorize(actor, kind.key, 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, kind.key, id, 'read', {
      includeDeleted: opts.trash === true,
    });
    const [record] = await loadRecords(tx, actor, kind, [id]);
    if (!record) throw new AppError('NOT_FOUND');
    return record;
  });
}

export async function createRecord<Out, In>(
  ctx: AppContext,
  actor: Actor,
  kind: RecordKind<Out, In>,
  input: In,
): Promise<Out> {
  authorize(actor, kind.key, 'create');
  return ctx.db.tenant(actor, async (tx) => {
    const id = await kind.create(tx, actor, await withDefaultOptions(tx, kind.key, input));
    const [record] = await loadRecords(tx, actor, kind, [id]);
    if (!record) throw new AppError('NOT_FOUND');
    return record;
  });
}

export async function updateRecord<Out, In>(
  ctx: AppContext,
  actor: Actor,
  kind: RecordKind<Out, In>,
  id: string,
  input: In,
  opts: { version?: number } = {},
): Promise<Out> {
  authorize(actor, kind.key, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    if (opts.version !== undefined) await checkVersion(tx, actor, kind, id, opts.version);
    await kind.update(tx, actor, id, input);
    const [record] = await loadRecords(tx, actor, kind, [id]);
    if (!record) throw new AppError('NOT_FOUND');
    return record;
  });
}

/**
 * A write that names the version it read (If-Match) meets the record locked at its current
 * version: another version means someone changed it since, and the write is refused with the
 * current record (VERSION_CONFLICT, details.current) instead of overwriting their change.
 */
export async function checkVersion<Out>(
  tx: Tx,
  actor: Actor,
  kind: AnyKind<Out>,
  id: string,
  expected: number,
): Promise<void> {
  const object = getRecordObject(kind.key);
  if (!object) throw new AppError('NOT_FOUND');
  await loadAccessibleRecord(tx, actor, kind.key, id, 'update');
  const [row] = await queryRows<{ version: number }>(
    tx,
    sql`SELECT version FROM ${object.table} WHERE id = ${id} FOR UPDATE`,
  );
  if (!row) throw new AppError('NOT_FOUND');
  if (Number(row.version) === expected) return;
  const [current] = await loadRecords(tx, actor, kind, [id]);
  throw new AppError('VERSION_CONFLICT', {
    details: { version: Number(row.version), current: current ?? null },
  });
}

export async function trashOne(
  tx: Tx,
  actor: Actor,
  object: RecordObject,
  id: string,
): Promise<boolean> {
  const deletedAt = await moveToTrash(tx, object, id, actor.userId);
  if (deletedAt === null) return false;
  await recordAudit(tx, actor, {
    action: 'delete',
    objectType: object.key,
    objectId: id,
    changes: { deletedAt: { from: null, to: deletedAt } },
  });
  return true;
}

export async function restoreOne(
  tx: Tx,
  actor: Actor,
  object: RecordObject,
  id: string,
): Promise<boolean> {
  if (!(await restoreFromTrash(tx, object, id, actor.userId))) return false;
  await recordAudit(tx, actor, { action: 'restore', objectType: object.key, objectId: id });
  return true;
}

/** Move to the trash (restorable for 30 days). */
export async function deleteRecord(
  ctx: AppContext,
  actor: Actor,
  kind: AnyKind,
  id: string,
): Promise<void> {
  authorize(actor, kind.key, 'delete');
  await ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, kind.key, id, 'delete');
    if (!(await trashOne(tx, actor, objectOf(kind.key), id))) throw new AppError('NOT_FOUND');
  });
}

export async function restoreRecord<Out>(
  ctx: AppContext,
  actor: Actor,
  kind: AnyKind<Out>,
  id: string,
): Promise<Out> {
  authorize(actor, kind.key, 'delete');
  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, kind.key, id, 'delete', { includeDeleted: true });
    if (!(await restoreOne(tx, actor, objectOf(kind.key), id))) throw new AppError('NOT_FOUND');
    const [record] = await loadRecords(tx, actor, kind, [id]);
    if (!record) throw new AppError('NOT_FOUND');
    return record;
  });
}

// --- bulk -----------------------------------------------------------------------------------

export const bulkAction: Record<BulkInput['action'], Action> = {
  assign_owner: 'update',
  add_tag: 'update',
  remove_tag: 'update',
  set_field: 'update',
  delete: 'delete',
  restore: 'delete',
};

const required = { vi: 'Trường này là bắt buộc.', en: 'This field is required.' };

/**
 * The write body one bulk update applies to each record (validated by the object's schema).
 * Also the bulk operations' (modules/bulk), which check it before they start.
 */
export function bulkPatch(
  kind: AnyKind,
  input: Pick<BulkInput, 'action' | 'ownerId' | 'tag' | 'field' | 'value'>,
): (tags: string[]) => unknown {
  switch (input.action) {
    case 'assign_owner':
      if (input.ownerId === undefined) throw invalid('ownerId', required, 'required');
      return () => ({ ownerId: input.ownerId });
    case 'add_tag':
    case 'remove_tag': {
      const tag = normalizeText(input.tag ?? '');
      if (!tag) throw invalid('tag', required, 'required');
      const key = tag.toLocaleLowerCase('vi');
      return input.action === 'add_tag'
        ? (tags) => ({ tags: [...tags, tag] })
        : (tags) => ({ tags: tags.filter((t) => t.toLocaleLowerCase('vi') !== key) });
    }
    case 'set_field': {
      const field = input.field;
      if (!field) throw invalid('field', required, 'required');
      const body = field.startsWith('custom.')
        ? { custom: { [field.slice('custom.'.length)]: input.value ?? null } }
        : { [field]: input.value ?? null };
      const parsed = kind.patchSchema.safeParse(body);
      if (!parsed.success) {
        // An unknown field at `field`; the field's own errors at `value` (its path replaced).
        if (parsed.error.issues.some((i) => i.code === 'unrecognized_keys')) {
          throw invalid(
            'field',
            { vi: `Không có trường "${field}".`, en: `There is no field "${field}".` },
            'unknown_field',
          );
        }
        const issues = parsed.error.issues.map((i) => ({
          ...i,
          path: ['value', ...i.path.slice(field.startsWith('custom.') ? 2 : 1)],
        }));
        throw validationError(fieldErrors(new RequestValidationError(issues, 'body')));
      }
      return () => parsed.data;
    }
    default:
      return () => ({});
  }
}

/** A `set_field` update's errors on the field itself are the request's `value` errors. */
export async function valueErrorsAt(
  input: Pick<BulkInput, 'action' | 'field'>,
  update: () => Promise<void>,
): Promise<void> {
  try {
    await update();
  } catch (err) {
    const fields = err instanceof AppError ? err.details?.fields : undefined;
    if (input.action !== 'set_field' || !fields?.some((f) => f.path === input.field)) throw err;
    throw validationError(
      fields.map((f) => (f.path === input.field ? { ...f, path: 'value' } : f)),
    );
  }
}

/** One transaction: every record is checked (permission and scope) and changed, or none is. */
export async function bulkRecords(
  ctx: AppContext,
  actor: Actor,
  kind: AnyKind,
  input: BulkInput,
): Promise<{ updated: number }> {
  const action = bulkAction[input.action];
  authorize(actor, kind.key, action);
  const patchFor = bulkPatch(kind, input);
  const object = objectOf(kind.key);
  const ids = [...new Set(input.ids.map((id) => id.toLowerCase()))];
  return ctx.db.tenant(actor, async (tx) => {
    const heads = await lockRecordHeads(tx, object, ids);
    if (heads.length < ids.length) {
      const found = new Set(heads.map((h) => h.id));
      throw new AppError('NOT_FOUND', { details: { ids: ids.filter((id) => !found.has(id)) } });
    }
    for (const head of heads) authorize(actor, kind.key, action, { ownerId: head.ownerId });
    let updated = 0;
    for (const head of heads) {
      if (input.action === 'delete') {
        if (!head.deleted && (await trashOne(tx, actor, object, head.id))) updated++;
      } else if (input.action === 'restore') {
        if (head.deleted && (await restoreOne(tx, actor, object, head.id))) updated++;
      } else {
        if (head.deleted) throw new AppError('NOT_FOUND', { details: { ids: [head.id] } });
        await valueErrorsAt(input, () => kind.update(tx, actor, head.id, patchFor(head.tags)));
        updated++;
      }
    }
    return { updated };
  });
}

// --- field metadata and export --------------------------------------------------------------

/** The record objects the caller may read, in sidebar order, for the web app. */
export function listObjects(actor: Actor) {
  return recordObjectDefinitions()
    .filter((def) => can(actor, def.key, 'read'))
    .sort((a, b) => a.presentation.order - b.presentation.order)
    .map((def) => ({
      key: def.key,
      label: def.label,
      presentation: {
        ...def.presentation,
        kanbanField: def.presentation.kanbanField ?? null,
        kanbanSums: (def.presentation.kanbanSums ?? []).map(({ key, label }) => ({ key, label })),
        kanbanFilter: (def.presentation.kanbanFilter ?? null) as Record<string, unknown> | null,
        cardBadges: def.presentation.cardBadges ?? [],
        form: def.presentation.form
          ? {
              ...def.presentation.form,
              inputs: def.presentation.form.inputs ?? {},
              defaults: def.presentation.form.defaults ?? {},
            }
          : null,
        panels: def.presentation.panels ?? [],
      },
      duplicateKeys: (def.duplicateKeys ?? []).map((k) => k.key),
      exportFormats: exportFormatsOf(def.key),
    }));
}

export async function listFields(ctx: AppContext, actor: Actor, objectKey: string) {
  objectOf(objectKey);
  authorize(actor, objectKey, 'read');
  const [custom, options] = await ctx.db.read(
    actor,
    async (tx) =>
      [await loadCustomFields(tx, objectKey), await workspaceOptions(tx, objectKey)] as const,
  );
  const titleField = recordObjectDefinition(objectKey)?.presentation.titleField;
  // A role's hidden fields are not there; its read-only fields are read-only.
  return withWorkspaceOptions(objectFields(objectKey, custom), options)
    .filter((f) => fieldAccess(actor, objectKey, f.key) !== 'hidden')
    .map((f) => {
      const meta = fieldMeta(f, titleField);
      return {
        ...meta,
        readOnly: meta.readOnly || fieldAccess(actor, objectKey, f.key) === 'read_only',
        operators: [...(meta.filterable ? operatorsFor(f.type) : [])],
      };
    });
}

/**
 * An export of the records a list with the same parameters shows (filter, q, sort, trash, the
 * caller's scope; the columns named, or the object's export columns), in one of the formats,
 * with no cap: `writeTo()` reads keyset pages of `config.exportPageRows` rows (never OFFSET,
 * never the whole result) and reads the next page only once the writer has handed the last one
 * to the destination. Every parameter is checked and the first page read before this returns,
 * so a bad request is still a clean JSON error rather than a broken download.
 */
export interface ExportParams extends ListParams {
  columns?: string[] | undefined;
  format?: ExportFormat | undefined;
}

export interface PreparedExport {
  format: ExportFormat;
  fileName: string;
  contentType: string;
  /** Every row onto `out` (ended at the end); `progress` after each page. Rows written. */
  writeTo(out: Writable, progress?: (rows: number) => Promise<void> | void): Promise<number>;
}

const formatNotOffered = (label: string) => ({
  vi: `${label} không xuất được ra vCard: chỉ CSV hoặc Excel (XLSX).`,
  en: `${label} cannot be exported to vCard: only CSV or Excel (XLSX).`,
});

/** The formats an object's records export to: CSV, XLSX, and vCard if it declares one. */
export const exportFormatsOf = (objectKey: string): ExportFormat[] =>
  recordObjectDefinition(objectKey)?.export?.vcard ? ['csv', 'xlsx', 'vcf'] : ['csv', 'xlsx'];

/** What every export checks first: permissions, the format, the columns and the sort. */
async function exportSetup(
  ctx: Pick<AppContext, 'db'>,
  actor: Actor,
  objectKey: string,
  params: ExportParams,
  locale: Locale,
) {
  authorize(actor, objectKey, 'read');
  authorize(actor, objectKey, 'export');
  const def = recordObjectDefinition(objectKey);
  if (!def) throw new AppError('NOT_FOUND');
  const format = params.format ?? 'csv';
  const vcard = def.export?.vcard;
  if (format === 'vcf' && !vcard) {
    throw invalid('format', formatNotOffered(def.label.many[locale]), 'format_not_offered');
  }
  const [custom, options, timeZone] = await ctx.db.read(
    actor,
    async (tx) =>
      [
        await loadCustomFields(tx, objectKey),
        await workspaceOptions(tx, objectKey),
        format === 'xlsx' ? await workspaceTimeZone(tx) : 'UTC',
      ] as const,
  );
  const resolver = new FieldResolver(objectKey, custom, options).restrictTo(actor);
  // A vCard's properties are the object's own; named columns are still checked. A default
  // column the caller's role may not see is left out; one they name is unknown to them.
  const hidden = hiddenFields(actor, objectKey);
  const named = params.columns?.length
    ? params.columns
    : def.exportColumns.filter((k) => !hidden.has(k));
  const columns = exportColumns(objectKey, named, resolver);
  resolveSort(resolver, params.sort ?? DEFAULT_SORT);
  return { def, format, vcard, timeZone, resolver, columns };
}

/**
 * Checks an export's parameters like prepareExport() and counts its rows (the filter and `q`
 * compiled on the way), without reading any: whether it is small enough to stream at once.
 */
export async function countExport(
  ctx: Pick<AppContext, 'db'>,
  actor: Actor,
  objectKey: string,
  params: ExportParams,
  locale: Locale,
): Promise<number> {
  const { resolver } = await exportSetup(ctx, actor, objectKey, params, locale);
  return ctx.db.read(actor, (tx) => countRecords(tx, actor, resolver, params));
}

export async function prepareExport(
  ctx: Pick<AppContext, 'db' | 'config'>,
  actor: Actor,
  kind: AnyKind<Record<string, unknown>>,
  params: ExportParams,
  locale: Locale,
  now: Date = new Date(),
): Promise<PreparedExport> {
  const { def, format, vcard, timeZone, resolver, columns } = await exportSetup(
    ctx,
    actor,
    kind.key,
    params,
    locale,
  );
  const pageRows = ctx.config.exportPageRows;
  const fetch = (cursor: string | undefined) =>
    ctx.db.read(actor, async (tx) => {
      const page = await listPage(
        tx,
        actor,
        resolver,
        { ...params, cursor, limit: pageRows },
        kind.columns(actor),
        undefined,
        pageRows,
      );
      return {
        items: page.rows.map((r) => redact(actor, kind.key, kind.present(r))),
        nextCursor: page.nextCursor,
      };
    });
  const first = await fetch(params.cursor);
  const file = exportFiles[format];
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  return {
    format,
    fileName: `${kind.key}-${date}.${file.extension}`,
    contentType: file.contentType,
    async writeTo(out, progress) {
      const writer = exportWriter(format, out, {
        columns,
        locale,
        title: def.label.many,
        timeZone,
        vcard,
      });
      let page = first;
      let rows = 0;
      for (;;) {
        await writer.rows(page.items);
        rows += page.items.length;
        await progress?.(rows);
        if (!page.nextCursor) break;
        page = await fetch(page.nextCursor);
      }
      await writer.end();
      return rows;
    },
  };
}

function exportColumns(
  objectKey: string,
  named: string[] | undefined,
  resolver: FieldResolver,
): ExportColumn[] {
  const keys = named?.length ? named : (recordObjectDefinition(objectKey)?.exportColumns ?? ['id']);
  const errors = new FieldErrors();
  const columns: ExportColumn[] = [];
  for (const key of keys) {
    if (key === 'id') {
      columns.push({ key, label: { vi: 'ID', en: 'ID' }, type: 'text' });
      continue;
    }
    const field = resolver.resolve(key);
    // A filter-only field (shownIn) has no value of its own in a row.
    if (!field || field.shownIn) errors.add('columns', unknownColumn(key), 'unknown_field');
    else columns.push({ key, label: field.label, type: field.type, options: field.options });
  }
  errors.throwIfAny();
  return columns;
}

const unknownColumn = (key: string) => ({
  vi: `Không có cột "${key}".`,
  en: `There is no column "${key}".`,
});
