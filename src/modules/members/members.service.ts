import { auditChange } from '../../core/audit.js';
import { AppError, fieldError } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../../core/context.js';
import { assertStrongPassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { findPasswordHash } from '../auth/auth.repository.js';
import { hashToken, newToken } from '../auth/tokens.js';
import * as workspacesRepo from '../workspaces/workspaces.repository.js';
import { addMembership, ownerActor } from '../workspaces/workspaces.service.js';
import * as repo from './members.repository.js';

export const INVITATION_TTL_MS = 7 * 86_400_000;

export async function listMembers(ctx: AppContext, actor: Actor) {
  authorize(actor, 'members', 'read');
  return ctx.db.tenant(actor, (tx) => repo.listMembers(tx));
}

async function assertRoleExists(tx: Tx, roleId: string): Promise<void> {
  if (!(await repo.roleExists(tx, roleId))) {
    throw fieldError('roleId', {
      vi: 'Vai trò không tồn tại trong không gian làm việc này.',
      en: 'No such role in this workspace.',
    });
  }
}

/** Change a member's role or (de)activate them. Deactivation ends their sessions here. */
export async function updateMember(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  patch: { roleId?: string | undefined; status?: 'active' | 'deactivated' | undefined },
) {
  authorize(actor, 'members', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getMember(tx, userId);
    if (!before) throw new AppError('NOT_FOUND');
    if (patch.roleId) await assertRoleExists(tx, patch.roleId);
    if (userId === actor.userId && patch.status === 'deactivated') {
      throw new AppError('CONFLICT', {
        text: { vi: 'Bạn không thể tự vô hiệu hoá mình.', en: 'You cannot deactivate yourself.' },
      });
    }
    const next = { roleId: patch.roleId ?? before.role_id, status: patch.status ?? before.status };
    await repo.updateMember(tx, userId, next);
    if ((await repo.countActiveAdmins(tx)) === 0) {
      throw new AppError('CONFLICT', {
        text: {
          vi: 'Không gian làm việc phải còn ít nhất một quản trị viên đang hoạt động.',
          en: 'The workspace must keep at least one active admin.',
        },
      });
    }
    if (next.status === 'deactivated') await repo.deleteMemberSessions(tx, userId);
    await auditChange(
      tx,
      actor,
      'member',
      userId,
      { roleId: before.role_id, status: before.status },
      next,
    );
    const after = await repo.getMember(tx, userId);
    if (!after) throw new AppError('NOT_FOUND');
    return after;
  });
}

export async function listInvitations(ctx: AppContext, actor: Actor) {
  authorize(actor, 'members', 'read');
  return ctx.db.tenant(actor, (tx) => repo.listPendingInvitations(tx));
}

export async function invite(
  ctx: AppContext,
  actor: Actor,
  input: { email: string; roleId: string },
): Promise<{ invitation: repo.InvitationRow; token: string }> {
  authorize(actor, 'members', 'create');
  const token = newToken();
  return ctx.db.tenant(actor, async (tx) => {
    await assertRoleExists(tx, input.roleId);
    if (await repo.emailIsMember(tx, input.email)) {
      throw fieldError('email', {
        vi: 'Người này đã là thành viên.',
        en: 'This person is already a member.',
      });
    }
    const id = await repo.insertInvitation(tx, {
      workspaceId: actor.workspaceId,
      email: input.email,
      roleId: input.roleId,
      tokenHash: hashToken(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    await auditChange(tx, actor, 'invitation', id, null, {
      email: input.email,
      roleId: input.roleId,
    });
    const invitation = await repo.getInvitation(tx, id);
    if (!invitation) throw new AppError('NOT_FOUND');
    return { invitation, token };
  });
}

export async function revokeInvitation(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'members', 'create');
  await ctx.db.tenant(actor, async (tx) => {
    const before = await repo.getInvitation(tx, id);
    if (!before || !(await repo.revokeInvitation(tx, id))) throw new AppError('NOT_FOUND');
    await recordInvitationRevoked(tx, actor, id);
  });
}

async function recordInvitationRevoked(tx: Tx, actor: Actor, id: string) {
  await auditChange(tx, actor, 'invitation', id, { revoked: false }, { revoked: true });
}

export async function lookupInvitation(ctx: AppContext, token: string) {
  const inv = await ctx.db.system((tx) => repo.findPendingInvitationByToken(tx, hashToken(token)));
  if (!inv) throw new AppError('NOT_FOUND');
  return {
    workspaceName: inv.workspace_name,
    email: inv.email,
    existingUser: !!inv.existing_user_id,
  };
}

/**
 * Accept an invitation: a new person creates their account; an existing user proves it is them
 * with their password. Either way they join the workspace with the invited role. One transaction.
 */
export async function acceptInvitation(
  ctx: AppContext,
  input: { token: string; name: string; password: string },
  requestId: string,
): Promise<{ userId: string; workspaceId: string }> {
  const tokenHash = hashToken(input.token);
  const preview = await ctx.db.system((tx) => repo.findPendingInvitationByToken(tx, tokenHash));
  if (!preview) throw new AppError('NOT_FOUND');
  let passwordHash: string | null = null;
  if (preview.existing_user_id) {
    const existingId = preview.existing_user_id;
    const current = await ctx.db.system((tx) => findPasswordHash(tx, existingId));
    if (!current || !(await verifyPassword(current, input.password))) {
      throw new AppError('INVALID_CREDENTIALS');
    }
  } else {
    assertStrongPassword(input.password);
    passwordHash = await hashPassword(input.password);
  }
  return ctx.db.system(async (tx) => {
    const inv = await repo.findPendingInvitationByToken(tx, tokenHash);
    if (!inv) throw new AppError('NOT_FOUND');
    let user: { id: string; name: string };
    if (inv.existing_user_id) {
      const row = await repo.findUser(tx, inv.existing_user_id);
      if (!row) throw new AppError('NOT_FOUND');
      user = row;
      if (await workspacesRepo.findMember(tx, inv.workspace_id, user.id)) {
        throw new AppError('CONFLICT');
      }
    } else {
      if (!passwordHash) throw new AppError('INVALID_CREDENTIALS');
      user = await workspacesRepo.insertUser(tx, {
        email: inv.email,
        name: input.name,
        passwordHash,
        locale: 'vi',
      });
    }
    await addMembership(
      tx,
      ownerActor(user, inv.workspace_id, 'web', requestId),
      user.id,
      inv.role_id,
    );
    await repo.markInvitationAccepted(tx, inv.id);
    return { userId: user.id, workspaceId: inv.workspace_id };
  });
}

/**
 * `sen user create`: add a user to a workspace with a built-in role, creating the account if
 * the email is new (an existing account keeps its password).
 */
export async function addUserFromCli(
  ctx: AppContext,
  input: {
    email: string;
    name: string;
    password: string;
    workspace: string | undefined;
    roleKey: string;
  },
): Promise<{ userId: string; email: string; workspaceName: string }> {
  const existing = await ctx.db.system((tx) => workspacesRepo.findUserIdByEmail(tx, input.email));
  let passwordHash: string | null = null;
  if (!existing) {
    assertStrongPassword(input.password);
    passwordHash = await hashPassword(input.password);
  }
  return ctx.db.system(async (tx) => {
    const all = await workspacesRepo.listWorkspaces(tx);
    const matches = input.workspace
      ? all.filter(
          (w) =>
            w.id === input.workspace || w.name.toLowerCase() === input.workspace?.toLowerCase(),
        )
      : all;
    const workspace = matches[0];
    if (!workspace || matches.length > 1) {
      throw new AppError(workspace ? 'CONFLICT' : 'NOT_FOUND', {
        text: {
          vi: 'Hãy chọn đúng một không gian làm việc bằng --workspace <id hoặc tên>.',
          en: 'Choose exactly one workspace with --workspace <id or name>.',
        },
      });
    }
    const roleId = await repo.findRoleIdByKey(tx, workspace.id, input.roleKey);
    if (!roleId) throw new AppError('NOT_FOUND');
    let user: { id: string; name: string };
    const existingId = await workspacesRepo.findUserIdByEmail(tx, input.email);
    if (existingId) {
      if (await workspacesRepo.findMember(tx, workspace.id, existingId))
        throw new AppError('CONFLICT');
      user = { id: existingId, name: input.name };
    } else {
      if (!passwordHash) throw new AppError('CONFLICT');
      user = await workspacesRepo.insertUser(tx, {
        email: input.email,
        name: input.name,
        passwordHash,
        locale: workspace.locale === 'en' ? 'en' : 'vi',
      });
    }
    const actor: Actor = {
      ...ownerActor(user, workspace.id, 'cli', null),
      type: 'system',
      userId: null,
      name: 'CLI',
    };
    await addMembership(tx, actor, user.id, roleId);
    return { userId: user.id, email: input.email, workspaceName: workspace.name };
  });
}
