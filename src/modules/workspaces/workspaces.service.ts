import { runWorkspaceSetups } from '../../core/workspace-setup.js';
import { auditChange } from '../../core/audit.js';
import { AppError, type Locale } from '../../core/errors.js';
import { authorize, type Actor, type Channel } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../../core/context.js';
import { activeMemberships } from '../auth/auth.repository.js';
import * as repo from './workspaces.repository.js';

export interface WorkspaceSettings {
  name: string;
  locale: Locale;
  currency: string;
  timezone: string;
}

/** The actor for work a user does while creating their own workspace (they are its admin). */
export function ownerActor(
  user: { id: string; name: string },
  workspaceId: string,
  channel: Channel,
  requestId: string | null,
): Actor {
  return {
    type: 'user',
    userId: user.id,
    apiKeyId: null,
    name: user.name,
    workspaceId,
    role: { key: 'admin', isAdmin: true, permissions: {} },
    teamMateIds: [],
    keyScopes: null,
    channel,
    requestId,
  };
}

/**
 * Create a workspace with its built-in roles and make `user` its admin. Runs in a sen_system
 * transaction: creating a tenant is the one write that cannot happen inside that tenant.
 */
export async function createWorkspaceForUser(
  tx: Tx,
  input: WorkspaceSettings,
  user: { id: string; name: string },
  channel: Channel,
  requestId: string | null,
) {
  const { workspace, adminRoleId } = await repo.insertWorkspace(tx, input);
  const actor = ownerActor(user, workspace.id, channel, requestId);
  await auditChange(tx, actor, 'workspace', workspace.id, null, { ...workspace });
  await addMembership(tx, actor, user.id, adminRoleId);
  await runWorkspaceSetups(tx, actor, input.locale);
  return workspace;
}

/** Make a user a member of the actor's workspace with a role, and audit it. */
export async function addMembership(
  tx: Tx,
  actor: Actor,
  userId: string,
  roleId: string,
): Promise<void> {
  await repo.insertMember(tx, actor.workspaceId, userId, roleId);
  await auditChange(tx, actor, 'member', userId, null, { userId, roleId });
}

export async function getCurrentWorkspace(ctx: AppContext, actor: Actor) {
  authorize(actor, 'workspace', 'read');
  const row = await ctx.db.tenant(actor, (tx) => repo.getWorkspace(tx, actor.workspaceId));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function updateCurrentWorkspace(
  ctx: AppContext,
  actor: Actor,
  patch: Partial<WorkspaceSettings>,
) {
  authorize(actor, 'workspace', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getWorkspace(tx, actor.workspaceId);
    if (!before) throw new AppError('NOT_FOUND');
    const after = await repo.updateWorkspace(tx, actor.workspaceId, patch);
    if (!after) throw new AppError('NOT_FOUND');
    await auditChange(tx, actor, 'workspace', after.id, { ...before }, { ...after });
    return after;
  });
}

/** A signed-in user starts another workspace (they become its admin). */
export async function createAnotherWorkspace(
  ctx: AppContext,
  actor: Actor,
  input: { name: string },
): Promise<string> {
  const userId = actor.userId;
  if (!userId || actor.type !== 'user') throw new AppError('FORBIDDEN');
  return ctx.db.system(async (tx) => {
    const current = await repo.getWorkspace(tx, actor.workspaceId);
    const workspace = await createWorkspaceForUser(
      tx,
      {
        name: input.name,
        locale: current?.locale === 'en' ? 'en' : 'vi',
        currency: current?.currency ?? 'VND',
        timezone: current?.timezone ?? 'Asia/Ho_Chi_Minh',
      },
      { id: userId, name: actor.name },
      actor.channel,
      actor.requestId,
    );
    return workspace.id;
  });
}

/** The workspaces the acting user is an active member of (for the switcher). */
export async function listMyWorkspaces(ctx: AppContext, actor: Actor) {
  const userId = actor.userId;
  if (!userId) return [];
  return ctx.db.system((tx) => activeMemberships(tx, userId));
}

/** Every workspace of the install (CLI `sen workspace list`). */
export async function listAllWorkspaces(ctx: AppContext) {
  return ctx.db.system(async (tx) => {
    const rows = await repo.listWorkspaces(tx);
    const byId = await repo.activeMemberCounts(tx);
    return rows.map((w) => ({ ...w, members: byId.get(w.id) ?? 0 }));
  });
}
