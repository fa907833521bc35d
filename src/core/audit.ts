import type { Tx } from '../db/database.js';
import { auditLog, type AuditChanges } from '../db/schema/index.js';
import type { Actor } from './permissions.js';

/**
 * Every service writes its create/update/delete through these helpers, in the same transaction
 * as the change itself, so history can never disagree with the data.
 */
export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | (string & {});

const secretFields = new Set(['passwordHash', 'secretHash', 'tokenHash', 'csrfToken']);

export function diff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditChanges {
  const changes: AuditChanges = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (key === 'updatedAt' || key === 'createdAt' || key === 'version') continue;
    const from = before?.[key] ?? null;
    const to = after?.[key] ?? null;
    if (!sameValue(from, to)) {
      changes[key] = secretFields.has(key)
        ? { from: '[redacted]', to: '[redacted]' }
        : { from: normalise(from), to: normalise(to) };
    }
  }
  return changes;
}

function normalise(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

export async function recordAudit(
  tx: Tx,
  actor: Actor,
  entry: {
    action: AuditAction;
    objectType: string;
    objectId: string;
    changes?: AuditChanges | null;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    workspaceId: actor.workspaceId,
    actorType: actor.type,
    actorId: actor.type === 'api_key' ? actor.apiKeyId : actor.userId,
    actorName: actor.name,
    userId: actor.userId,
    channel: actor.channel,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    changes: entry.changes ?? null,
    requestId: actor.requestId,
  });
}

/** Audit a change computed from the row before and after; skips updates that changed nothing. */
export async function auditChange(
  tx: Tx,
  actor: Actor,
  objectType: string,
  objectId: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<void> {
  const action = before === null ? 'create' : after === null ? 'delete' : 'update';
  const changes = diff(before, after);
  if (action === 'update' && Object.keys(changes).length === 0) return;
  await recordAudit(tx, actor, { action, objectType, objectId, changes });
}
