import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { rescore } from './scoring.compute.js';
import { scoredObject, scoreEventType } from './scoring.registry.js';
import { clearPending, setPending } from './scoring.pending.js';
import * as repo from './scoring.repository.js';

function checkEvent(objectKey: string, eventKey: string): void {
  if (!scoredObject(objectKey)) throw new Error(`${objectKey} is not a scored object`);
  if (!scoreEventType(objectKey, eventKey)) {
    throw new Error(`${eventKey} is not a registered score event of ${objectKey}`);
  }
}

/**
 * Run `create`, which creates one record of `objectKey` through its writer, with `eventKey`
 * recorded for the new record before its first score (one rescore, not one for the write and
 * another for the event): a public form's submission creating a lead. The caller has checked
 * its own permission for what it did.
 */
export async function withEventOnCreate<T>(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  eventKey: string,
  create: () => Promise<T>,
): Promise<T> {
  checkEvent(objectKey, eventKey);
  setPending(tx, {
    object: objectKey,
    eventKey,
    workspaceId: actor.workspaceId,
    createdBy: actor.userId,
  });
  try {
    return await create();
  } finally {
    clearPending(tx);
  }
}

/**
 * Record that something a scoring rule may count happened to a record (a lead submitted a form,
 * replied to an email, came to a meeting) and rescore the record, in the caller's transaction.
 * The caller has checked its own permission for what it did; the event kind must be registered
 * (registerScoreEvent), so a typo fails loudly instead of scoring nothing.
 */
export async function recordScoreEvent(
  tx: Tx,
  actor: Actor,
  objectKey: string,
  recordId: string,
  eventKey: string,
  occurredAt?: Date,
): Promise<void> {
  checkEvent(objectKey, eventKey);
  await repo.insertEvent(tx, {
    workspaceId: actor.workspaceId,
    object: objectKey,
    recordId,
    eventKey,
    createdBy: actor.userId,
    ...(occurredAt ? { occurredAt } : {}),
  });
  await rescore(tx, objectKey, { ids: [recordId] });
}
