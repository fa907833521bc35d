import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { fieldError } from '../../core/errors.js';
import { can, inScope, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { actorFromPrincipal } from '../auth/auth.service.js';
import type { PrincipalRow } from '../auth/auth.repository.js';
import { inText, registerNotificationKind } from '../notifications/kinds.js';
import { notify } from '../notifications/notify.js';

/**
 * @mentions in notes (#21): the editor writes a mention as `<span data-mention="<user id>">@Tên
 * </span>` (sanitize.ts keeps only that attribute, and only a UUID). A note that mentions
 * members notifies those of them who may read the record (its object's read permission and
 * their scope); the others are not told anything about it — the writer is, in the answer's
 * `unreachableMentions`, so no record leaks through a mention. Mentioning someone who is not an
 * active member of the workspace (another workspace's user, a deactivated one) is a 400.
 * Editing a note notifies only the members it newly mentions.
 */
export const mentionKind = registerNotificationKind({
  key: 'mention',
  render: ({ record, actorName, locale }) => {
    const what = inText(record?.objectLabel ?? null, locale);
    const name = record?.name ?? '';
    return locale === 'en'
      ? `${actorName ?? 'Someone'} mentioned you in a note on the ${what} ${name}`.trim()
      : `${actorName ?? 'Ai đó'} nhắc đến bạn trong ghi chú ở ${what} ${name}`.trim();
  },
});

const messages = {
  notMember: {
    vi: 'Người được nhắc đến không phải thành viên đang hoạt động của không gian làm việc này.',
    en: 'A mentioned person is not an active member of this workspace.',
  },
};

/** The most members one note may mention. */
export const MAX_MENTIONS = 50;

/**
 * The mentioned members as actors (their role, scope and teams), looked up before the note's
 * transaction: every id must be an active member of the actor's workspace.
 */
export async function mentionedMembers(
  ctx: AppContext,
  actor: Actor,
  ids: string[],
): Promise<Actor[]> {
  if (ids.length === 0) return [];
  if (ids.length > MAX_MENTIONS) throw fieldError('bodyHtml', messages.notMember);
  const rows = await ctx.db.system((tx) =>
    queryRows<{ p: PrincipalRow | null }>(
      tx,
      sql`SELECT sen_principal(u.id, ${actor.workspaceId}::uuid) AS p
            FROM unnest(${uuidArray(ids)}) AS u(id)`,
    ),
  );
  return rows.map(({ p }) => {
    if (!p || p.member_status !== 'active') throw fieldError('bodyHtml', messages.notMember);
    return actorFromPrincipal(p, { channel: actor.channel, requestId: actor.requestId });
  });
}

/**
 * Notify, in the note's transaction, the mentioned members who may read the record; answer the
 * others (never the writer themself) for the writer to be told.
 */
export async function notifyMentions(
  tx: Tx,
  actor: Actor,
  record: { object: string; id: string; ownerId: string | null },
  members: Actor[],
): Promise<{ id: string; name: string }[]> {
  const reached: string[] = [];
  const unreachable: { id: string; name: string }[] = [];
  for (const m of members) {
    if (m.userId === null || m.userId === actor.userId) continue;
    const mayRead = can(m, record.object, 'read') && inScope(m, record.object, record.ownerId);
    if (mayRead) reached.push(m.userId);
    else unreachable.push({ id: m.userId, name: m.name });
  }
  if (reached.length > 0) {
    await notify(tx, actor, {
      userIds: reached,
      kind: mentionKind.key,
      record: { object: record.object, id: record.id },
    });
  }
  return unreachable;
}
