import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows, asDate, type Timestamp } from '../../db/sql.js';

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  role_id: string;
  role_name: string;
  role_is_admin: boolean;
  status: 'active' | 'deactivated';
  team_ids: string[];
  last_sign_in_at: Timestamp | null;
  joined_at: Timestamp;
}

const memberSelect = sql`
  SELECT u.id, u.name, u.email::text AS email, m.role_id, r.name AS role_name, r.is_admin AS role_is_admin,
         m.status, m.joined_at, u.last_sign_in_at,
         ARRAY(SELECT tm.team_id FROM team_members tm WHERE tm.user_id = u.id ORDER BY tm.team_id) AS team_ids
  FROM workspace_members m
  JOIN users u ON u.id = m.user_id
  JOIN roles r ON r.id = m.role_id`;

export function listMembers(tx: Tx): Promise<MemberRow[]> {
  return queryRows<MemberRow>(tx, sql`${memberSelect} ORDER BY m.status, lower(u.name), u.id`);
}

export function getMember(tx: Tx, userId: string): Promise<MemberRow | undefined> {
  return queryOne<MemberRow>(tx, sql`${memberSelect} WHERE m.user_id = ${userId}`);
}

export async function updateMember(
  tx: Tx,
  userId: string,
  patch: { roleId: string; status: string },
): Promise<void> {
  await tx.execute(
    sql`UPDATE workspace_members SET role_id = ${patch.roleId}, status = ${patch.status}, updated_at = now()
        WHERE user_id = ${userId}`,
  );
}

export async function countActiveAdmins(tx: Tx): Promise<number> {
  const row = await queryOne<{ n: number }>(
    tx,
    sql`SELECT count(*)::int AS n FROM workspace_members m JOIN roles r ON r.id = m.role_id
        WHERE m.status = 'active' AND r.is_admin`,
  );
  return row?.n ?? 0;
}

/** Whether the role exists (in the current workspace, under RLS). */
export async function roleExists(tx: Tx, roleId: string): Promise<boolean> {
  return (await queryOne(tx, sql`SELECT 1 AS x FROM roles WHERE id = ${roleId}`)) !== undefined;
}

/** The id of a workspace's built-in role `key` (cross-workspace: sen_system). */
export async function findRoleIdByKey(
  tx: Tx,
  workspaceId: string,
  key: string,
): Promise<string | undefined> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`SELECT id FROM roles WHERE workspace_id = ${workspaceId} AND key = ${key}`,
  );
  return row?.id;
}

/** A user's id and name (sen_system). */
export function findUser(tx: Tx, id: string): Promise<{ id: string; name: string } | undefined> {
  return queryOne<{ id: string; name: string }>(
    tx,
    sql`SELECT id, name FROM users WHERE id = ${id}`,
  );
}

export async function deleteMemberSessions(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM sessions WHERE user_id = ${userId}`);
}

// ---- Invitations ----

export interface InvitationRow {
  id: string;
  email: string;
  role_id: string;
  role_name: string;
  invited_by_name: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
}

const invitationSelect = sql`
  SELECT i.id, i.email::text AS email, i.role_id, r.name AS role_name, u.name AS invited_by_name,
         i.expires_at, i.created_at
  FROM invitations i
  JOIN roles r ON r.id = i.role_id
  LEFT JOIN users u ON u.id = i.invited_by`;

export function listPendingInvitations(tx: Tx): Promise<InvitationRow[]> {
  return queryRows<InvitationRow>(
    tx,
    sql`${invitationSelect}
        WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
        ORDER BY i.created_at DESC, i.id`,
  );
}

export function getInvitation(tx: Tx, id: string): Promise<InvitationRow | undefined> {
  return queryOne<InvitationRow>(tx, sql`${invitationSelect} WHERE i.id = ${id}`);
}

export async function insertInvitation(
  tx: Tx,
  inv: {
    workspaceId: string;
    email: string;
    roleId: string;
    tokenHash: string;
    invitedBy: string | null;
    expiresAt: Timestamp;
  },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    tx,
    sql`INSERT INTO invitations (workspace_id, email, role_id, token_hash, invited_by, expires_at)
        VALUES (${inv.workspaceId}, ${inv.email}, ${inv.roleId}, ${inv.tokenHash}, ${inv.invitedBy}, ${asDate(inv.expiresAt).toISOString()})
        RETURNING id`,
  );
  if (!row) throw new Error('invitation insert returned nothing');
  return row.id;
}

export async function revokeInvitation(tx: Tx, id: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    sql`UPDATE invitations SET revoked_at = now()
        WHERE id = ${id} AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
  );
  return rows.length > 0;
}

export function emailIsMember(tx: Tx, email: string): Promise<boolean> {
  return queryOne<{ x: number }>(
    tx,
    sql`SELECT 1 AS x FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email = ${email}`,
  ).then((r) => r !== undefined);
}

/** Cross-workspace lookup by token (sen_system). Locks the row for the accepting transaction. */
export function findPendingInvitationByToken(tx: Tx, tokenHash: string) {
  return queryOne<{
    id: string;
    workspace_id: string;
    workspace_name: string;
    email: string;
    role_id: string;
    existing_user_id: string | null;
  }>(
    tx,
    sql`SELECT i.id, i.workspace_id, w.name AS workspace_name, i.email::text AS email, i.role_id,
               (SELECT u.id FROM users u WHERE u.email = i.email) AS existing_user_id
        FROM invitations i JOIN workspaces w ON w.id = i.workspace_id
        WHERE i.token_hash = ${tokenHash} AND i.accepted_at IS NULL AND i.revoked_at IS NULL
          AND i.expires_at > now()
        FOR UPDATE OF i`,
  );
}

export async function markInvitationAccepted(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`UPDATE invitations SET accepted_at = now() WHERE id = ${id}`);
}
