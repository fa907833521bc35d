import { AppError } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { CustomValues } from '../../db/schema/index.js';
import {
  checkOwner,
  customValuesFor,
  mapWriteError,
  recordWritten,
  type RecordKind,
} from './kinds.js';
import { checkWritable } from './field-access.js';
import { systemFields } from './fields.js';
import { FieldErrors } from './normalize.js';

/** What every object's write body may carry besides its own fields. */
interface WriteInput {
  ownerId?: string | null;
  custom?: Record<string, unknown>;
}

/** What the writer reads of every object's row. */
interface WrittenRow {
  id: string;
  ownerId: string | null;
  custom: CustomValues;
}

/** The columns the writer adds to the object's own values on every write. */
interface CommonColumns {
  ownerId: string | null;
  custom: CustomValues;
  updatedBy: string | null;
}

/**
 * What one record object supplies to `recordWriter`: only what is its own. `Values` are the
 * object's own columns (everything but the owner, the custom values and who wrote them).
 */
export interface RecordWriterSpec<In extends WriteInput, Row extends WrittenRow, Values> {
  objectKey: string;
  /** The row an update changes, locked for the transaction; undefined when missing or trashed. */
  load(tx: Tx, id: string, opts: { forUpdate: true }): Promise<Row | undefined>;
  /**
   * The object's columns after applying `input` to `before` (null when creating): its
   * normalisation (a contact's name splitting, phones, emails…). Every field problem goes into
   * `errors`; nothing is thrown, so all of a write's problems are reported together.
   */
  normalize(before: Row | null, input: In, errors: FieldErrors): Values;
  /**
   * The object's own checks against the database (a company's parent, a product's SKU), run
   * after the owner's and before the custom values'; `id` and `before` are null when creating.
   * Field problems go into `errors` like `normalize`'s.
   */
  check?(
    tx: Tx,
    write: {
      id: string | null;
      before: Row | null;
      values: Values;
      errors: FieldErrors;
      /** The body written (what the client named, e.g. a stage without its pipeline). */
      input: In;
    },
  ): Promise<void>;
  insert(
    tx: Tx,
    workspaceId: string,
    values: Values & CommonColumns & { createdBy: string | null },
  ): Promise<Row>;
  update(tx: Tx, id: string, values: Values & CommonColumns): Promise<Row>;
  /**
   * After records were written and audited, in the same transaction: what follows from the
   * write (a lead's score recomputed, a new lead assigned). Called once per create or update
   * with one write, and once per batch of an import with every record it created (`before`
   * null), so a hook can work set-based. A thrown AppError rolls the write back.
   */
  afterWrite?(tx: Tx, actor: Actor, writes: AfterWrite<In, Row>[]): Promise<void>;
}

/** One record an afterWrite hook follows: its id, the body written, the row before (null: new). */
export interface AfterWrite<In, Row> {
  id: string;
  input: In;
  before: Row | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWriterSpec = RecordWriterSpec<any, any, any>;

/**
 * A record object's create and update (its RecordKind's), the same steps for every object:
 * normalise the body, check the owner (create permission, or update permission on the record
 * and on a new owner: FORBIDDEN is thrown at once, an inactive owner is a field error), the
 * object's own checks, the custom values, then every field error together (VALIDATION_FAILED);
 * the write (constraint refusals as field errors) and its bookkeeping (option lists, unique
 * custom values, audit) in the caller's transaction.
 */
export function recordWriter<In extends WriteInput, Row extends WrittenRow, Values extends object>(
  spec: RecordWriterSpec<In, Row, Values>,
): Pick<RecordKind<unknown, In>, 'key' | 'create' | 'update' | 'writer'> {
  const key = spec.objectKey;
  return {
    key,
    // The pieces, for writers of many records at once (imports: src/modules/imports/bulk.ts).
    writer: spec as unknown as AnyWriterSpec,
    async create(tx, actor, input) {
      const errors = new FieldErrors();
      checkWritable(actor, key, input as Record<string, unknown>, systemFields(key), errors);
      const values = spec.normalize(null, input, errors);
      const ownerId = input.ownerId === undefined ? actor.userId : input.ownerId;
      await checkOwner(tx, actor, key, 'create', ownerId, errors);
      await spec.check?.(tx, { id: null, before: null, values, errors, input });
      const { fields, custom } = await customValuesFor(tx, key, input.custom, null, errors);
      errors.throwIfAny();
      const row = await mapWriteError(() =>
        spec.insert(tx, actor.workspaceId, {
          ...values,
          ownerId,
          custom,
          createdBy: actor.userId,
          updatedBy: actor.userId,
        }),
      );
      await recordWritten(tx, actor, key, fields, null, row);
      await spec.afterWrite?.(tx, actor, [{ id: row.id, input, before: null }]);
      return row.id;
    },
    async update(tx, actor, id, input) {
      const before = await spec.load(tx, id, { forUpdate: true });
      if (!before) throw new AppError('NOT_FOUND');
      authorize(actor, key, 'update', { ownerId: before.ownerId });
      const errors = new FieldErrors();
      checkWritable(actor, key, input as Record<string, unknown>, systemFields(key), errors);
      const values = spec.normalize(before, input, errors);
      const ownerId = input.ownerId === undefined ? before.ownerId : input.ownerId;
      if (ownerId !== before.ownerId) await checkOwner(tx, actor, key, 'update', ownerId, errors);
      await spec.check?.(tx, { id, before, values, errors, input });
      const { fields, custom } = await customValuesFor(
        tx,
        key,
        input.custom,
        before.custom,
        errors,
      );
      errors.throwIfAny();
      const after = await mapWriteError(() =>
        spec.update(tx, id, { ...values, ownerId, custom, updatedBy: actor.userId }),
      );
      await recordWritten(tx, actor, key, fields, before, after);
      await spec.afterWrite?.(tx, actor, [{ id, input, before }]);
    },
  };
}
