import { auditChange } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import {
  authorize,
  can,
  isValidKeyScope,
  type Action,
  type Actor,
} from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import { API_KEY_PREFIX } from '../auth/auth.service.js';
import { hashToken, newToken } from '../auth/tokens.js';
import * as repo from './api-keys.repository.js';

function ownerOf(actor: Actor): string {
  // Keys belong to a person; a key cannot mint or list keys.
  if (!actor.userId || actor.type !== 'user') throw new AppError('FORBIDDEN');
  return actor.userId;
}

/** The caller's own active keys. */
export async function listApiKeys(ctx: AppContext, actor: Actor) {
  authorize(actor, 'api_keys', 'read');
  const userId = ownerOf(actor);
  return ctx.db.tenant(actor, (tx) => repo.listActiveKeys(tx, userId));
}

export async function createApiKey(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; scopes: string[]; expiresAt?: Date | undefined },
) {
  authorize(actor, 'api_keys', 'create');
  const userId = ownerOf(actor);
  const bad = input.scopes.filter((s) => !isValidKeyScope(s));
  if (bad.length > 0) {
    throw fieldError('scopes', {
      vi: `Phạm vi không hợp lệ: ${bad.join(', ')}`,
      en: `Unknown scopes: ${bad.join(', ')}`,
    });
  }
  // A key never exceeds its owner's rights: refuse at creation what the owner does not hold.
  const notHeld = input.scopes.filter((s) => {
    const [objectKey = '', action = ''] = s.split(':');
    return !can(actor, objectKey, action as Action);
  });
  if (notHeld.length > 0) {
    throw fieldError('scopes', {
      vi: `Bạn không có quyền này nên không thể cấp cho khoá: ${notHeld.join(', ')}`,
      en: `You do not hold these rights, so a key cannot have them: ${notHeld.join(', ')}`,
    });
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw fieldError('expiresAt', {
      vi: 'Ngày hết hạn phải ở tương lai.',
      en: 'The expiry must be in the future.',
    });
  }
  const secret = `${API_KEY_PREFIX}${newToken()}`;
  return ctx.db.tenant(actor, async (tx) => {
    const row = await repo.insertApiKey(tx, {
      workspaceId: actor.workspaceId,
      userId,
      name: input.name,
      prefix: secret.slice(0, 12),
      secretHash: hashToken(secret),
      scopes: [...new Set(input.scopes)].sort(),
      expiresAt: input.expiresAt ?? null,
    });
    await auditChange(tx, actor, 'api_key', row.id, null, {
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopes,
      expiresAt: row.expiresAt,
    });
    return { apiKey: row, secret };
  });
}

export async function revokeApiKey(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'api_keys', 'delete');
  const userId = ownerOf(actor);
  await ctx.db.tenant(actor, async (tx) => {
    if (!(await repo.revokeApiKey(tx, userId, id))) throw new AppError('NOT_FOUND');
    await auditChange(tx, actor, 'api_key', id, { revoked: false }, { revoked: true });
  });
}
