import { auditChange } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../../core/context.js';
import * as repo from './teams.repository.js';

async function assertMembers(tx: Tx, userIds: string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  const found = await repo.existingMemberIds(tx, unique);
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw fieldError('memberIds', {
      vi: `Không phải thành viên của không gian làm việc: ${missing.join(', ')}`,
      en: `Not members of this workspace: ${missing.join(', ')}`,
    });
  }
  return unique;
}

export async function listTeams(ctx: AppContext, actor: Actor) {
  authorize(actor, 'teams', 'read');
  return ctx.db.tenant(actor, (tx) => repo.listTeams(tx));
}

export async function getTeam(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, 'teams', 'read');
  const team = await ctx.db.read(actor, (tx) => repo.getTeam(tx, id));
  if (!team) throw new AppError('NOT_FOUND');
  return team;
}

export async function createTeam(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; memberIds?: string[] | undefined },
) {
  authorize(actor, 'teams', 'create');
  return ctx.db.tenant(actor, async (tx) => {
    const memberIds = await assertMembers(tx, input.memberIds ?? []);
    const id = await repo.insertTeam(tx, actor.workspaceId, input.name);
    await repo.setTeamMembers(tx, actor.workspaceId, id, memberIds);
    const team = await repo.getTeam(tx, id);
    if (!team) throw new AppError('NOT_FOUND');
    await auditChange(tx, actor, 'team', id, null, { name: team.name, memberIds: team.memberIds });
    return team;
  });
}

export async function updateTeam(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: { name?: string | undefined; memberIds?: string[] | undefined },
) {
  authorize(actor, 'teams', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getTeam(tx, id);
    if (!before) throw new AppError('NOT_FOUND');
    if (patch.name !== undefined) await repo.renameTeam(tx, id, patch.name);
    if (patch.memberIds !== undefined) {
      await repo.setTeamMembers(
        tx,
        actor.workspaceId,
        id,
        await assertMembers(tx, patch.memberIds),
      );
    }
    const after = await repo.getTeam(tx, id);
    if (!after) throw new AppError('NOT_FOUND');
    await auditChange(tx, actor, 'team', id, { ...before }, { ...after });
    return after;
  });
}

export async function deleteTeam(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'teams', 'delete');
  await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getTeam(tx, id);
    if (!before) throw new AppError('NOT_FOUND');
    await repo.deleteTeam(tx, id);
    await auditChange(tx, actor, 'team', id, { ...before }, null);
  });
}
