import type { Tx } from '../../db/database.js';
import * as repo from './scoring.repository.js';

/**
 * Score events to record for the records a write is about to create, before their first score:
 * a public form's submission creates a lead whose writer scores it at once (its afterWrite), and
 * the form_submitted event must count in that score. Rather than a second rescore after the
 * event, the event waits here, keyed by the transaction, and rescore() inserts it for the new
 * records' ids first (scoring.events.ts: withEventOnCreate).
 */
interface Pending {
  object: string;
  eventKey: string;
  workspaceId: string;
  createdBy: string | null;
}

const pending = new WeakMap<Tx, Pending>();

export function setPending(tx: Tx, p: Pending): void {
  pending.set(tx, p);
}

export function clearPending(tx: Tx): void {
  pending.delete(tx);
}

/** Insert the waiting event for these records of `object`, once (then it is no longer waiting). */
export async function recordPending(tx: Tx, object: string, ids: string[]): Promise<void> {
  const p = pending.get(tx);
  if (!p || p.object !== object || ids.length === 0) return;
  pending.delete(tx);
  for (const recordId of ids) {
    await repo.insertEvent(tx, {
      workspaceId: p.workspaceId,
      object,
      recordId,
      eventKey: p.eventKey,
      createdBy: p.createdBy,
    });
  }
}
