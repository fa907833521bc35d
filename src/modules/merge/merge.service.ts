import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { recordAudit } from '../../core/audit.js';
import { loadRecords } from '../records/kinds.js';
import {
  recordObjectDefinition,
  type MergeRef,
  type RecordObjectDefinition,
} from '../records/define.js';
import { moveToTrash } from '../records/records.repository.js';
import { relationsOf } from '../relations/registry.js';
import { listFields } from '../records/records.service.js';
import type { MergeMoved } from './merge.table.js';
import * as repo from './merge.repository.js';
import { objectOf } from './pairs.service.js';
import { getRecordObject } from '../records/registry.js';
import { loadAccessibleRecord } from '../records/access.js';
import { getTableName, sql } from 'drizzle-orm';
import { pgErrorCode } from '../../db/sql.js';

/** At most this many records go into one merge (the survivor and the merged ones). */
export const MAX_MERGE = 10;

export interface MergeInput {
  survivorId: string;
  mergedIds: string[];
  /** Field key (`custom.<key>` for a custom field) → the record whose value the survivor takes. */
  values: Record<string, string>;
}

const invalid = (path: string, text: LocalisedText, reason: string) =>
  new AppError('VALIDATION_FAILED', {
    details: { fields: [{ path, message: text.en, text, reason }] },
  });

/** The write body that gives the survivor `record`'s value of `field`. */
function bodyFor(field: string, record: Record<string, unknown>): Record<string, unknown> {
  if (field.startsWith('custom.')) {
    const key = field.slice('custom.'.length);
    const custom = (record.custom ?? {}) as Record<string, unknown>;
    return { custom: { [key]: custom[key] ?? null } };
  }
  return { [field]: record[field] ?? null };
}

/** Does the object's write body take this field's value as presented (is it mergeable)? */
function accepts(def: RecordObjectDefinition, field: string, record: Record<string, unknown>) {
  if (field === 'ownerId' || field === 'id') return field === 'ownerId';
  return def.kind.patchSchema.safeParse(bodyFor(field, record)).success;
}

/**
 * GET /:object/merge-preview?ids=: the records side by side (as the object presents them) and
 * the fields a merge can take from any of them (those the object's write body accepts as they
 * are presented), for the web's merge dialog. Read on every record.
 */
export async function mergePreview(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
  ids: string[],
): Promise<{
  records: Record<string, unknown>[];
  fields: { key: string; label: LocalisedText; type: string }[];
}> {
  authorize(actor, def.key, 'read');
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  const fields = await listFields(ctx, actor, def.key);
  const records = await ctx.db.read(actor, async (tx) => {
    const found = await loadRecords<Record<string, unknown>>(tx, actor, def.kind, unique);
    return found.filter((r) => r.deletedAt === null || r.deletedAt === undefined);
  });
  if (records.length !== unique.length) throw new AppError('NOT_FOUND');
  const mergeable = fields.filter(
    (f) =>
      f.key !== 'ownerId' &&
      records.every((r) => accepts(def, f.key, r)) &&
      records.some(
        (r) => JSON.stringify(valueOf(f.key, r)) !== JSON.stringify(valueOf(f.key, records[0]!)),
      ),
  );
  const owner = fields.find((f) => f.key === 'ownerId');
  return {
    records,
    fields: [...mergeable, ...(owner ? [owner] : [])].map((f) => ({
      key: f.key,
      label: f.label,
      type: f.type,
    })),
  };
}

function valueOf(field: string, record: Record<string, unknown>): unknown {
  if (field.startsWith('custom.')) {
    return ((record.custom ?? {}) as Record<string, unknown>)[field.slice('custom.'.length)];
  }
  return record[field];
}

const messages = {
  notSame: {
    vi: 'Bản ghi giữ lại không được nằm trong danh sách gộp.',
    en: 'The surviving record cannot also be merged into itself.',
  },
  fromOutside: {
    vi: 'Chỉ chọn giá trị từ các bản ghi đang gộp.',
    en: 'Values can only come from the records being merged.',
  },
  tooMany: {
    vi: `Mỗi lần gộp tối đa ${MAX_MERGE} bản ghi.`,
    en: `At most ${MAX_MERGE} records can be merged at once.`,
  },
  notMergeable: {
    vi: 'Không thể lấy giá trị của trường này từ bản ghi khác.',
    en: 'This field cannot be taken from another record.',
  },
  undone: { vi: 'Lần gộp này đã được hoàn tác.', en: 'This merge has already been undone.' },
  survivorChanged: {
    vi: 'Không thể hoàn tác: bản ghi giữ lại đã được sửa (hoặc xoá) sau khi gộp.',
    en: 'Cannot undo: the surviving record was changed (or deleted) after the merge.',
  },
  mergedGone: {
    vi: 'Không thể hoàn tác: một bản ghi đã gộp đã được khôi phục hoặc xoá hẳn khỏi thùng rác.',
    en: 'Cannot undo: a merged record was restored from or purged out of the trash.',
  },
  valueTaken: {
    vi: 'Không thể hoàn tác: một giá trị duy nhất của bản ghi cũ đã được bản ghi khác dùng.',
    en: 'Cannot undo: a unique value of a merged record is now held by another record.',
  },
} satisfies Record<string, LocalisedText>;

/**
 * POST /:object/merge: the survivor takes the chosen values (through the object's own update:
 * normalisation, checks, custom values, audit), every related thing moves to it (notes,
 * attachments and registered children; relation links, colliding ones dropped; declared
 * mergeRefs; saved views' filters), the merged records go to the trash, and the merge is
 * recorded for its undo, all in one transaction. Update on the survivor and delete on every
 * merged record are checked (scope included) before anything is written.
 */
export async function mergeRecords(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
  input: MergeInput,
): Promise<{ mergeId: string; record: Record<string, unknown> }> {
  authorize(actor, def.key, 'update');
  authorize(actor, def.key, 'delete');
  const object = objectOf(def);
  const survivorId = input.survivorId.toLowerCase();
  const mergedIds = [...new Set(input.mergedIds.map((i) => i.toLowerCase()))];
  if (mergedIds.includes(survivorId)) throw invalid('mergedIds', messages.notSame, 'survivor');
  if (mergedIds.length + 1 > MAX_MERGE) throw invalid('mergedIds', messages.tooMany, 'too_many');
  const all = [survivorId, ...mergedIds];
  for (const [field, from] of Object.entries(input.values)) {
    if (!all.includes(from.toLowerCase())) {
      throw invalid(`values.${field}`, messages.fromOutside, 'not_merged');
    }
  }
  return ctx.db.tenant(actor, async (tx) => {
    const locked = await repo.lockRecords(tx, object, all);
    const live = new Map(locked.filter((r) => !r.deleted).map((r) => [r.id, r]));
    const missing = all.filter((id) => !live.has(id));
    if (missing.length > 0) throw new AppError('NOT_FOUND', { details: { ids: missing } });
    await def.beforeMerge?.(tx, all);
    authorize(actor, def.key, 'update', { ownerId: live.get(survivorId)!.owner_id });
    for (const id of mergedIds) {
      authorize(actor, def.key, 'delete', { ownerId: live.get(id)!.owner_id });
    }
    const presented = await loadRecords<Record<string, unknown>>(tx, actor, def.kind, all);
    const byId = new Map(presented.map((r) => [String(r.id), r]));
    // The survivor's body: each chosen value as its record presents it.
    let body: Record<string, unknown> = {};
    for (const [field, rawFrom] of Object.entries(input.values)) {
      const from = rawFrom.toLowerCase();
      if (from === survivorId) continue;
      if (field !== 'ownerId' && !accepts(def, field, byId.get(from)!)) {
        throw invalid(`values.${field}`, messages.notMergeable, 'not_mergeable');
      }
      const part = bodyFor(field, byId.get(from)!);
      body = part.custom
        ? {
            ...body,
            custom: {
              ...((body.custom as object) ?? {}),
              ...(part.custom as Record<string, unknown>),
            },
          }
        : { ...body, ...part };
    }
    const survivorBefore = await repo.rowSnapshot(tx, object, survivorId);
    const mergedBefore: MergeMoved['mergedBefore'] = {};
    for (const id of mergedIds) mergedBefore[id] = await repo.rowSnapshot(tx, object, id);
    const uniqueValues = await repo.uniqueValuesOf(tx, all);
    await repo.releaseUniqueValues(tx, mergedIds);
    // Trashed first: the survivor may take a value only one live record may hold (a SKU).
    for (const id of mergedIds) {
      const deletedAt = await moveToTrash(tx, object, id, actor.userId);
      await recordAudit(tx, actor, {
        action: 'delete',
        objectType: def.key,
        objectId: id,
        changes: {
          deletedAt: { from: null, to: deletedAt },
          mergedInto: { from: null, to: survivorId },
        },
      });
    }
    if (Object.keys(body).length > 0) {
      const parsed = def.kind.patchSchema.safeParse(body);
      if (!parsed.success) throw invalid('values', messages.notMergeable, 'not_mergeable');
      await def.kind.update(tx, actor, survivorId, parsed.data);
    }
    const moved: MergeMoved = {
      children: await repo.moveChildren(tx, def.key, mergedIds, survivorId),
      links: [],
      refs: [],
      views: [],
      uniqueValues,
      mergedBefore,
    };
    for (const end of relationsOf(def.key)) {
      const entry = await repo.moveLinks(tx, end, mergedIds, survivorId);
      if (entry) moved.links.push(entry);
    }
    for (const ref of def.mergeRefs ?? []) {
      const rows = await repo.moveRef(tx, ref, mergedIds, survivorId);
      if (rows.length > 0) moved.refs.push({ ...refKey(ref), rows });
    }
    moved.views = await repo.moveViewRefs(tx, mergedIds, survivorId);
    await repo.touch(tx, object, survivorId, actor.userId);
    const mergeId = await repo.insertMerge(tx, object, {
      workspaceId: actor.workspaceId,
      survivorId,
      mergedIds,
      survivorBefore,
      moved,
      userId: actor.userId,
    });
    await recordAudit(tx, actor, {
      action: 'merge',
      objectType: def.key,
      objectId: survivorId,
      changes: {
        merged: { from: null, to: mergedIds },
        mergeId: { from: null, to: mergeId },
      },
    });
    const [record] = await loadRecords<Record<string, unknown>>(tx, actor, def.kind, [survivorId]);
    return { mergeId, record: record! };
  });
}

function refKey(ref: MergeRef): { table: string; column: string } {
  return { table: getTableName(ref.table), column: ref.column.name };
}

/**
 * POST /merges/:id/undo. The rule: a merge is undone only as a whole and only while nothing it
 * wrote has been overwritten: the survivor unchanged since the merge (its updated_at, which any
 * edit, link or unlink moves) and every merged record still in the trash. Then the survivor's
 * row is written back as it was, the merged records come out of the trash, their notes,
 * attachments, links, references and the saved views' filters go back, and unique custom values
 * are as before. Things added to the survivor after the merge stay with it.
 */
export async function undoMerge(
  ctx: AppContext,
  actor: Actor,
  mergeId: string,
): Promise<{ object: string; survivorId: string; restoredIds: string[] }> {
  return ctx.db.tenant(actor, async (tx) => {
    const m = await repo.lockMerge(tx, mergeId, (key) => {
      const o = getRecordObject(key);
      return o ? sql`${o.table}` : null;
    });
    const def = m ? recordObjectDefinition(m.object) : undefined;
    if (!m || !def || !can(actor, def.key, 'read')) throw new AppError('NOT_FOUND');
    authorize(actor, def.key, 'update');
    authorize(actor, def.key, 'delete');
    const object = objectOf(def);
    if (m.undone)
      throw new AppError('CONFLICT', { text: messages.undone, details: { reason: 'undone' } });
    const all = [m.survivor_id, ...m.merged_ids];
    const locked = await repo.lockRecords(tx, object, all);
    const byId = new Map(locked.map((r) => [r.id, r]));
    const survivor = byId.get(m.survivor_id);
    if (!survivor || survivor.deleted || m.survivor_unchanged !== true) {
      throw new AppError('CONFLICT', {
        text: messages.survivorChanged,
        details: { reason: 'survivor_changed' },
      });
    }
    authorize(actor, def.key, 'update', { ownerId: survivor.owner_id });
    for (const id of m.merged_ids) {
      const r = byId.get(id);
      if (!r || !r.deleted) {
        throw new AppError('CONFLICT', {
          text: messages.mergedGone,
          details: { reason: 'merged_gone' },
        });
      }
      authorize(actor, def.key, 'delete', { ownerId: r.owner_id });
    }
    await repo.writeSnapshot(tx, object, m.survivor_id, m.survivor_before);
    try {
      await repo.resetUniqueValues(tx, all, m.moved.uniqueValues);
    } catch (err) {
      // Taken by another record since: the transaction is lost anyway, say why.
      if (pgErrorCode(err) !== '23505') throw err;
      throw new AppError('CONFLICT', {
        text: messages.valueTaken,
        details: { reason: 'value_taken' },
      });
    }
    await repo.moveChildrenBack(tx, def.key, m.moved.children, m.survivor_id);
    const ends = relationsOf(def.key);
    for (const entry of m.moved.links) {
      const end = ends.find((e) => e.relation.key === entry.relation && e.side === entry.side);
      if (end) await repo.moveLinksBack(tx, end, entry, m.survivor_id);
    }
    for (const entry of m.moved.refs) {
      const ref = (def.mergeRefs ?? []).find((r) => {
        const k = refKey(r);
        return k.table === entry.table && k.column === entry.column;
      });
      if (ref) await repo.moveRefBack(tx, ref, entry.rows, m.survivor_id);
    }
    await repo.moveViewRefsBack(tx, m.moved.views, m.merged_ids, m.survivor_id);
    for (const id of m.merged_ids) {
      // The row as it was before the merge: out of the trash, its own updated_at.
      const before = m.moved.mergedBefore[id];
      if (before) await repo.writeSnapshot(tx, object, id, before);
      await recordAudit(tx, actor, { action: 'restore', objectType: def.key, objectId: id });
    }
    await repo.markUndone(tx, m.id, actor.userId);
    await recordAudit(tx, actor, {
      action: 'unmerge',
      objectType: def.key,
      objectId: m.survivor_id,
      changes: { merged: { from: m.merged_ids, to: null }, mergeId: { from: null, to: m.id } },
    });
    return { object: def.key, survivorId: m.survivor_id, restoredIds: m.merged_ids };
  });
}

/** GET /:object/:id/merges: the merges into a record, newest first (the record page's undo). */
export async function listMerges(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
  id: string,
) {
  authorize(actor, def.key, 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, def.key, id, 'read');
    const rows = await repo.mergesOf(tx, def.key, id.toLowerCase());
    return {
      items: rows.map((r) => ({
        id: r.id,
        mergedIds: r.merged_ids,
        createdAt: r.created_at,
        undone: r.undone,
      })),
    };
  });
}
