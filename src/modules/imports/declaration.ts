import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { ImportTarget } from './targets.js';

/**
 * What a record object declares for imports (its `import` slot): the targets its fields do not
 * give by themselves, extra header names for the generic ones, and what happens after a row's
 * record is written (a contact's company column links or creates the company). Match keys are
 * the object's `duplicateKeys`.
 */
export interface ImportDeclaration {
  targets?: ImportTarget[];
  /** Field key → more folded header names that suggest it ("mst" for the tax code). */
  hints?: Record<string, string[]>;
  /**
   * After the record of a row was created or updated, in the row's savepoint: `extras` holds
   * what targets wrote under keys starting with `$` (not part of the write body). A thrown
   * AppError fails the row like a validation error.
   */
  afterWrite?: (
    tx: Tx,
    actor: Actor,
    recordId: string,
    extras: Record<string, unknown>,
  ) => Promise<void>;
  /**
   * afterWrite for the records an import batch created at once (the fast path): the same
   * effect for every item, in a few statements. Returns, per record id, values to add to its
   * creation's audit entry (a contact's companies). A thrown VALIDATION_FAILED sends the batch
   * to the one-by-one path, where afterWrite reports it per row.
   */
  afterWriteMany?: (
    tx: Tx,
    actor: Actor,
    items: { recordId: string; extras: Record<string, unknown> }[],
  ) => Promise<Map<string, Record<string, unknown>>>;
}
