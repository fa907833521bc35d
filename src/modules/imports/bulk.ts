import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { diff } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { can, inScope, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { auditLog, type CustomFieldRow } from '../../db/schema/index.js';
import { insertJsonRows, pgErrorCode, queryRows, textArray } from '../../db/sql.js';
import { validateCustomValues, syncUniqueValues } from '../custom-fields/values.js';
import { changedOptionFields, optionValueErrors } from '../field-options/field-options.service.js';
import { checkWritable } from '../records/field-access.js';
import { systemFields } from '../records/fields.js';
import { FieldErrors, messages, validationError } from '../records/normalize.js';
import { auditView } from '../records/presenters.js';
import { getRecordObject } from '../records/registry.js';
import type { SourceRecord } from './formats/csv.js';
import type { ImportPlan, RowResult } from './run.js';

/**
 * The fast path of an import batch. Rows are read, validated and matched together: one query
 * per match key for the whole batch, and the new records written with one INSERT and one audit
 * INSERT, instead of ten statements per row. The rules are the object's own, taken from its
 * writer (records/writer.ts): its normalisation, its checks, the owner rule, custom values and
 * option lists, exactly as a create through the API applies them. Rows that need the general
 * path go through importRow one by one: a row matching an existing record (update), a row
 * matching an earlier row of the same batch, and every row of a batch whose INSERT the
 * database refused (a constraint no check foresaw: the rows are then judged one by one).
 */

/** A time-ordered UUID (v7), like the database's sen_uuid_v7(). */
export function uuidv7(): string {
  const b = randomBytes(16);
  const ms = Date.now();
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface Prepared {
  /** Index in the batch. */
  index: number;
  input: Record<string, unknown>;
  extras: Record<string, unknown>;
  /** The row's normalised values of each match key ("emails:a@b.vn"). */
  keys: string[];
}

export interface Match {
  id: string | null;
  key: string;
  value: string;
  name: string;
}

/** The texts a body holds for a key: a string, strings, or `{ value }` entries. */
export function keyValues(body: Record<string, unknown>, key: string): string[] {
  const v = body[key];
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.flatMap((item) => {
    if (typeof item === 'string') return [item];
    const value = (item as { value?: unknown } | null)?.value;
    return typeof value === 'string' ? [value] : [];
  });
}

/** Each row's normalised match-key values. */
export function matchKeysOf(plan: ImportPlan, input: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of plan.matchKeys) {
    for (const value of keyValues(input, key.key)) {
      const normalized = key.normalize(value);
      if (normalized) out.push(`${key.key}:${normalized}`);
    }
  }
  return out;
}

/**
 * The existing live record each row matches (the first key that matches wins), one query per
 * key for the batch. Records outside the caller's scope match too, without their name or id.
 */
export async function matchMany(
  tx: Tx,
  actor: Actor,
  plan: ImportPlan,
  rows: Prepared[],
): Promise<Map<number, Match>> {
  const found = new Map<number, Match>();
  const object = getRecordObject(plan.def.key);
  if (!object || plan.matchKeys.length === 0) return found;
  const c = object.columns;
  const scope = scopeCondition(actor, plan.def.key, sql`${c.ownerId}`) ?? sql`true`;
  for (const key of plan.matchKeys) {
    const wanted = new Map<string, { index: number; value: string }[]>();
    for (const row of rows) {
      if (found.has(row.index)) continue;
      for (const value of keyValues(row.input, key.key)) {
        const normalized = key.normalize(value);
        if (!normalized) continue;
        const list = wanted.get(normalized) ?? [];
        list.push({ index: row.index, value });
        wanted.set(normalized, list);
      }
    }
    if (wanted.size === 0) continue;
    const values = [...wanted.keys()];
    const list = textArray(values);
    const hits = await queryRows<{ v: string; id: string; name: string; visible: boolean }>(
      tx,
      key.candidates
        ? // Through the key's index (sen_match_list_values), then the records by id under RLS.
          sql`SELECT DISTINCT ON (m.value) m.value AS v, ${c.id} AS id, ${c.name} AS name,
                     (${scope}) IS TRUE AS visible
                FROM ${key.candidates(list)} AS m
                JOIN ${object.table} ON ${c.id} = m.id
               WHERE ${c.deletedAt} IS NULL
               ORDER BY m.value, (${scope}) IS TRUE DESC, ${object.table}.updated_at DESC`
        : sql`SELECT w.v, m.id, m.name, m.visible
            FROM unnest(${list}) AS w(v)
            -- OFFSET 0: the key's index first (ORDER BY … LIMIT alone may walk the table in
            -- updated_at order).
            CROSS JOIN LATERAL (
              SELECT h.id, h.name, h.visible
                FROM (SELECT ${c.id} AS id, ${c.name} AS name, (${scope}) IS TRUE AS visible,
                             ${object.table}.updated_at AS updated
                        FROM ${object.table}
                       WHERE ${c.deletedAt} IS NULL AND ${key.matches(sql`w.v`)}
                      OFFSET 0) h
               ORDER BY h.visible DESC, h.updated DESC
               LIMIT 1) m`,
    );
    for (const hit of hits) {
      for (const { index, value } of wanted.get(hit.v) ?? []) {
        if (found.has(index)) continue;
        found.set(index, {
          id: hit.visible ? hit.id : null,
          key: key.key,
          value,
          name: hit.visible ? hit.name : '',
        });
      }
    }
  }
  return found;
}

/** What the batch loads once: custom fields, members, option lists (the plan has the last two). */
export interface BatchEnv {
  customFields: CustomFieldRow[];
  activeMembers: Set<string>;
}

export type Created = { index: number; id: string; values: Record<string, unknown> };

/**
 * Create the rows' records at once. Returns, per row, the created record or its field errors;
 * null when the database refused the INSERT (the caller then takes every row one by one).
 */
export async function createMany(
  tx: Tx,
  actor: Actor,
  plan: ImportPlan,
  env: BatchEnv,
  rows: Prepared[],
  rowErrors: (err: AppError) => NonNullable<RowResult['errors']>,
): Promise<Map<number, RowResult> | null> {
  const spec = plan.def.kind.writer;
  const key = plan.def.key;
  const object = getRecordObject(key);
  if (!spec || !object) return null;
  if (!can(actor, key, 'create')) throw new AppError('FORBIDDEN');
  const results = new Map<number, RowResult>();
  const ok: Created[] = [];
  for (const row of rows) {
    const errors = new FieldErrors();
    checkWritable(actor, key, row.input, systemFields(key), errors);
    const values = spec.normalize(null, row.input, errors) as Record<string, unknown>;
    const ownerId =
      row.input.ownerId === undefined ? actor.userId : (row.input.ownerId as string | null);
    if (ownerId !== null && !env.activeMembers.has(ownerId)) {
      errors.add('ownerId', messages.owner, 'not_a_member');
    } else if (!inScope(actor, key, ownerId)) {
      results.set(row.index, { outcome: 'failed', errors: [{ column: null, message: forbidden }] });
      continue;
    }
    await spec.check?.(tx, { id: null, before: null, values, errors, input: row.input });
    let custom = {};
    try {
      custom = validateCustomValues(
        env.customFields,
        row.input.custom as Record<string, unknown> | undefined,
        { existing: null },
      );
    } catch (err) {
      errors.absorb(err);
    }
    optionValueErrors(changedOptionFields(key, null, values), plan.env.options, values, errors);
    if (!errors.empty) {
      results.set(row.index, {
        outcome: 'failed',
        errors: rowErrors(validationError(errors.list)),
      });
      continue;
    }
    ok.push({
      index: row.index,
      id: uuidv7(),
      values: { ...values, ownerId, custom, createdBy: actor.userId, updatedBy: actor.userId },
    });
  }
  if (ok.length === 0) return results;
  await tx.execute(sql`SAVEPOINT import_bulk`);
  try {
    await insertJsonRows(
      tx,
      object.table,
      ok.map((o) => ({ ...o.values, id: o.id, workspaceId: actor.workspaceId })),
    );
    if (env.customFields.some((f) => f.isUnique)) {
      for (const o of ok) {
        await syncUniqueValues(tx, env.customFields, key, o.id, o.values.custom as never);
      }
    }
    const extrasOf = new Map(rows.map((r) => [r.index, r.extras]));
    const inputOf = new Map(rows.map((r) => [r.index, r.input]));
    const items = ok.map((o) => ({ recordId: o.id, extras: extrasOf.get(o.index) ?? {} }));
    const declared = plan.def.import;
    let after: Map<string, Record<string, unknown>> | undefined;
    if (declared?.afterWriteMany) {
      after = await declared.afterWriteMany(tx, actor, items);
    } else if (declared?.afterWrite) {
      for (const item of items) await declared.afterWrite(tx, actor, item.recordId, item.extras);
    }
    await insertJsonRows(
      tx,
      auditLog,
      ok.map((o) => ({
        workspaceId: actor.workspaceId,
        actorType: actor.type,
        actorId: actor.type === 'api_key' ? actor.apiKeyId : actor.userId,
        actorName: actor.name,
        userId: actor.userId,
        channel: actor.channel,
        action: 'create',
        objectType: key,
        objectId: o.id,
        changes: diff(null, { ...auditView({ ...o.values }), ...(after?.get(o.id) ?? {}) }),
        requestId: actor.requestId,
      })),
    );
    await spec.afterWrite?.(
      tx,
      actor,
      ok.map((o) => ({ id: o.id, input: inputOf.get(o.index), before: null })),
    );
    await tx.execute(sql`RELEASE SAVEPOINT import_bulk`);
  } catch (err) {
    await tx.execute(sql`ROLLBACK TO SAVEPOINT import_bulk`);
    await tx.execute(sql`RELEASE SAVEPOINT import_bulk`);
    // A refusal the checks did not foresee (a unique or foreign key constraint, a validation of
    // an afterWrite): the rows are judged one by one. Anything else is a real failure.
    const refused =
      (err instanceof AppError && err.code === 'VALIDATION_FAILED') ||
      pgErrorCode(err)?.startsWith('23') === true;
    if (!refused) throw err;
    return null;
  }
  for (const o of ok) results.set(o.index, { outcome: 'created', recordId: o.id });
  return results;
}

const forbidden = {
  vi: 'Bạn không có quyền ghi bản ghi này.',
  en: 'You may not write this record.',
};

export type { SourceRecord };
