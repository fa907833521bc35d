import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { can, inScope, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { CustomFieldRow, CustomValues } from '../../db/schema/index.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { auditChange } from '../../core/audit.js';
import { checkOptionValues } from '../field-options/field-options.service.js';
import {
  loadCustomFields,
  syncUniqueValues,
  validateCustomValues,
} from '../custom-fields/values.js';
import { redact } from './field-access.js';
import { FieldErrors, invalid, messages } from './normalize.js';
import { isActiveMember, violatedConstraint } from './records.repository.js';
import { auditView } from './presenters.js';
import { getRecordObject } from './registry.js';
import { constraintPath } from './define.js';
import type { AnyWriterSpec } from './writer.js';

/**
 * What the generic record service (list, get, trash, bulk, export) needs from one object:
 * create and update inside a transaction (validation, audit, custom values), and the columns
 * it presents, read in the same statement as a list page. Every object's create and update are
 * built by recordWriter() (writer.ts) from the helpers below.
 */
export interface RecordKind<Out, In, Row extends { id: string } = { id: string }> {
  key: string;
  create(tx: Tx, actor: Actor, input: In): Promise<string>;
  update(tx: Tx, actor: Actor, id: string, input: In): Promise<void>;
  /**
   * The presented columns of the object's table as alias `r`, for this caller: related values
   * (owner, companies…) limited to what they may see.
   */
  columns(actor: Actor): SQL;
  /** One row of `columns` → its API shape. */
  present(row: Row): Out;
  /** The write body schema: bulk `set_field` validates `{ [field]: value }` with it. */
  patchSchema: z.ZodType<In>;
  /** The steps of create/update (records/writer.ts), for writers of many records at once. */
  writer?: AnyWriterSpec;
}

/** Presented records in the order of `ids` (missing ones skipped). */
export async function loadRecords<Out>(
  tx: Tx,
  actor: Actor,
  kind: Pick<RecordKind<Out, unknown>, 'key' | 'columns' | 'present'>,
  ids: string[],
): Promise<Out[]> {
  if (ids.length === 0) return [];
  const object = getRecordObject(kind.key);
  if (!object) throw new Error(`unknown record object ${kind.key}`);
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`SELECT ${kind.columns(actor)} FROM ${object.table} r WHERE r.id = ANY(${uuidArray(ids)})`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [redact(actor, kind.key, kind.present(row))] : [];
  });
}

/**
 * The owner of a new or re-assigned record: an active member of the workspace, and inside the
 * caller's visibility scope (a sales rep with "own" scope cannot hand records to others, nor
 * create records they could not see).
 */
export async function checkOwner(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  action: 'create' | 'update',
  ownerId: string | null,
  errors: FieldErrors,
): Promise<void> {
  if (!can(actor, objectKey, action)) throw new AppError('FORBIDDEN');
  if (ownerId !== null && !(await isActiveMember(tx, ownerId))) {
    errors.add('ownerId', messages.owner, 'not_a_member');
    return;
  }
  if (!inScope(actor, objectKey, ownerId)) throw new AppError('FORBIDDEN');
}

/** Database refusals a write can still meet (a race with a deactivation…) as field errors. */
export async function mapWriteError<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const v = violatedConstraint(err);
    const known = v ? constraintPath(v.constraint) : undefined;
    if (known) throw invalid(known.path, known.text, v?.constraint);
    throw err;
  }
}

/**
 * The custom values a create (`existing` null) or update writes. Field definitions are loaded
 * only when there is something to validate: always on create (defaults, required), on update
 * only when `custom` was sent; `fields` is null when nothing was loaded (no unique values to
 * sync). Validation errors join the other field errors of the write.
 */
export async function customValuesFor(
  tx: Tx,
  objectKey: string,
  input: Record<string, unknown> | undefined,
  existing: CustomValues | null,
  errors: FieldErrors,
): Promise<{ fields: CustomFieldRow[] | null; custom: CustomValues }> {
  if (existing !== null && input === undefined) return { fields: null, custom: existing };
  const fields = await loadCustomFields(tx, objectKey);
  try {
    return { fields, custom: validateCustomValues(fields, input, { existing }) };
  } catch (err) {
    errors.absorb(err);
    return { fields, custom: existing ?? {} };
  }
}

/**
 * The bookkeeping after a create (`before` null) or an update of one record, in its
 * transaction: check its option-list values against the workspace's lists (a refusal rolls the
 * write back), claim its unique custom values (when customValuesFor() loaded the fields) and
 * record the audit entry of what changed.
 */
export async function recordWritten(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  fields: CustomFieldRow[] | null,
  before: object | null,
  after: { id: string; custom: CustomValues },
): Promise<void> {
  // Option-list values (lifecycle stage, industry, unit…) against the workspace's list.
  await checkOptionValues(tx, objectKey, before, after);
  if (fields) await syncUniqueValues(tx, fields, objectKey, after.id, after.custom);
  await auditChange(tx, actor, objectKey, after.id, before && auditView(before), auditView(after));
}
