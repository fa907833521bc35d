import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { apiKeys } from '../../db/schema/index.js';

/** What a key's owner may see of it (never its secret or hash). */
const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  createdAt: apiKeys.createdAt,
};

/** A user's keys that are not revoked, newest first. */
export function listActiveKeys(tx: Tx, userId: string) {
  return tx
    .select(columns)
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export type ApiKeyRow = Awaited<ReturnType<typeof listActiveKeys>>[number];

export async function insertApiKey(
  tx: Tx,
  values: {
    workspaceId: string;
    userId: string;
    name: string;
    prefix: string;
    secretHash: string;
    scopes: string[];
    expiresAt: Date | null;
  },
): Promise<ApiKeyRow> {
  const [row] = await tx.insert(apiKeys).values(values).returning(columns);
  if (!row) throw new Error('api key insert returned nothing');
  return row;
}

/** Revoke the user's key `id` if it is not revoked yet; false when there is no such key. */
export async function revokeApiKey(tx: Tx, userId: string, id: string): Promise<boolean> {
  const [row] = await tx
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name });
  return row !== undefined;
}
