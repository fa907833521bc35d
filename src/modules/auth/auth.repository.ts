import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryOne, queryRows, asDate, type Timestamp } from '../../db/sql.js';
import type { RoleFieldAccess, RolePermissions } from '../../core/permissions.js';

/** Everything needed to turn a session or API key into an Actor (see migration 0003). */
export interface PrincipalRow {
  user_id: string;
  user_name: string;
  user_email: string;
  user_locale: string;
  workspace_id: string;
  member_status: string;
  role_id: string;
  role_key: string | null;
  role_name: string;
  role_is_admin: boolean;
  role_permissions: RolePermissions;
  /** Absent in a principal cached before migration 0036. */
  role_field_access?: RoleFieldAccess;
  team_mate_ids: string[];
}

export type SessionPrincipal =
  | { status: 'expired' }
  | (PrincipalRow & { status: 'ok'; session_id: string; csrf_token: string; stamp: string });

export interface ApiKeyPrincipal extends PrincipalRow {
  status: 'ok';
  api_key_id: string;
  scopes: string[];
  /** The workspace's auth stamp, read before the principal (migration 0012). */
  stamp: string;
}

/**
 * The calls that turn a credential into its principal (migrations 0003 and 0012; SECURITY
 * DEFINER, one prepared statement). The session's also deletes an expired session and touches
 * last_seen_at; it answers {"status":"expired"} for an expired one. Both answer NULL when the
 * credential is unknown (an API key also when revoked, expired or deactivated).
 */
export const principalCalls = {
  session: 'sen_session_principal($1, $2, $3)',
  apiKey: 'sen_api_key_principal($1, $2)',
} as const;

/**
 * The calls that resume a cached principal: the same arguments plus the cached stamp. They
 * answer the credential's current stamp (NULL when unknown, expired or idle) and, when it is the
 * cached one, set the RLS context from the credential's row and touch it as the calls above do.
 */
export const resumeCalls = {
  session: 'sen_session_resume($1, $2, $3, $4)',
  apiKey: 'sen_api_key_resume($1, $2, $3)',
} as const;

export async function createSession(
  tx: Tx,
  s: {
    tokenHash: string;
    csrfToken: string;
    userId: string;
    workspaceId: string;
    expiresAt: Timestamp;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await tx.execute(
    sql`INSERT INTO sessions (token_hash, csrf_token, user_id, workspace_id, expires_at, ip, user_agent)
        VALUES (${s.tokenHash}, ${s.csrfToken}, ${s.userId}, ${s.workspaceId}, ${asDate(s.expiresAt).toISOString()}, ${s.ip}, ${s.userAgent})`,
  );
}

export async function deleteSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.execute(sql`DELETE FROM sessions WHERE id = ${sessionId}`);
}

/** End every session of a user but one (a password change keeps the session that made it). */
export async function deleteOtherSessions(
  tx: Tx,
  userId: string,
  keepSessionId: string | null,
): Promise<void> {
  await tx.execute(sql`DELETE FROM sessions WHERE user_id = ${userId} AND id <> ${keepSessionId}`);
}

export async function switchSessionWorkspace(
  tx: Tx,
  sessionId: string,
  workspaceId: string,
): Promise<void> {
  await tx.execute(sql`UPDATE sessions SET workspace_id = ${workspaceId} WHERE id = ${sessionId}`);
}

/** Remember the workspace a user opened last (the next sign-in opens it). */
export async function markWorkspaceUsed(
  tx: Tx,
  userId: string,
  workspaceId: string,
): Promise<void> {
  await tx.execute(
    sql`UPDATE workspace_members SET last_used_at = now()
         WHERE workspace_id = ${workspaceId} AND user_id = ${userId}`,
  );
}

export async function deleteExpiredSessions(tx: Tx, idleMs: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`DELETE FROM sessions
        WHERE expires_at < now() OR last_seen_at < now() - make_interval(secs => ${idleMs / 1000})
        RETURNING id`,
  );
  return rows.length;
}

export interface CredentialRow {
  id: string;
  name: string;
  password_hash: string;
}

export function findUserByEmail(tx: Tx, email: string): Promise<CredentialRow | undefined> {
  return queryOne<CredentialRow>(
    tx,
    sql`SELECT id, name, password_hash FROM users WHERE email = ${email}`,
  );
}

export function findPasswordHash(tx: Tx, userId: string): Promise<string | undefined> {
  return queryOne<{ password_hash: string }>(
    tx,
    sql`SELECT password_hash FROM users WHERE id = ${userId}`,
  ).then((r) => r?.password_hash);
}

export async function setPasswordHash(tx: Tx, userId: string, passwordHash: string): Promise<void> {
  await tx.execute(
    sql`UPDATE users SET password_hash = ${passwordHash}, updated_at = now() WHERE id = ${userId}`,
  );
}

export async function markSignedIn(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`UPDATE users SET last_sign_in_at = now() WHERE id = ${userId}`);
}

/** A workspace the user belongs to, in the API's shape (the workspace switcher). */
export interface MembershipRow {
  id: string;
  name: string;
  roleName: string;
}

/** Active memberships of a user: the one used last first (sign-in opens it), then newest joined. */
export function activeMemberships(tx: Tx, userId: string): Promise<MembershipRow[]> {
  return queryRows<MembershipRow>(
    tx,
    sql`SELECT w.id, w.name, r.name AS "roleName"
        FROM workspace_members m
        JOIN workspaces w ON w.id = m.workspace_id
        JOIN roles r ON r.id = m.role_id
        WHERE m.user_id = ${userId} AND m.status = 'active'
        ORDER BY m.last_used_at DESC NULLS LAST, m.joined_at DESC, w.id`,
  );
}

// ---- Throttling (fixed window per key, with a lock once the limit is reached) ----

export interface ThrottleState {
  hits: number;
  locked_until: Timestamp | null;
}

export function throttleState(
  tx: Tx,
  keys: string[],
): Promise<(ThrottleState & { key: string })[]> {
  return queryRows(
    tx,
    sql`SELECT key, hits, locked_until FROM rate_limits
        WHERE key IN (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )}) AND locked_until > now()`,
  );
}

export async function recordFailure(
  tx: Tx,
  key: string,
  limit: number,
  windowSeconds: number,
  lockSeconds: number,
): Promise<ThrottleState> {
  const row = await queryOne<ThrottleState>(
    tx,
    sql`INSERT INTO rate_limits AS r (key, hits, window_started_at) VALUES (${key}, 1, now())
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.window_started_at < now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE r.hits + 1 END,
          window_started_at = CASE WHEN r.window_started_at < now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE r.window_started_at END
        RETURNING hits, locked_until`,
  );
  if (row && row.hits >= limit) {
    await tx.execute(
      sql`UPDATE rate_limits SET locked_until = now() + make_interval(secs => ${lockSeconds}), hits = 0, window_started_at = now()
          WHERE key = ${key}`,
    );
  }
  return row ?? { hits: 0, locked_until: null };
}

export async function clearThrottle(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`DELETE FROM rate_limits WHERE key = ${key}`);
}

export async function deleteStaleThrottles(tx: Tx): Promise<void> {
  await tx.execute(
    sql`DELETE FROM rate_limits WHERE (locked_until IS NULL OR locked_until < now())
        AND window_started_at < now() - interval '1 day'`,
  );
}

export function findProfile(tx: Tx, userId: string) {
  return queryOne<{ id: string; name: string; email: string; locale: string }>(
    tx,
    sql`SELECT id, name, email::text AS email, locale FROM users WHERE id = ${userId}`,
  );
}

export async function updateProfile(
  tx: Tx,
  userId: string,
  p: { name: string; locale: string },
): Promise<void> {
  await tx.execute(
    sql`UPDATE users SET name = ${p.name}, locale = ${p.locale}, updated_at = now() WHERE id = ${userId}`,
  );
}

/** What the signed-in user sees of themselves in one workspace (sen_system). */
export interface SessionViewRow {
  user_name: string;
  email: string;
  user_locale: string;
  ws_name: string;
  ws_locale: string;
  currency: string;
  timezone: string;
  role_id: string;
  role_key: string | null;
  role_name: string;
  is_admin: boolean;
  permissions: Record<string, never>;
}

export function findSessionView(
  tx: Tx,
  userId: string,
  workspaceId: string,
): Promise<SessionViewRow | undefined> {
  return queryOne<SessionViewRow>(
    tx,
    sql`SELECT u.name AS user_name, u.email::text AS email, u.locale AS user_locale,
               w.name AS ws_name, w.locale AS ws_locale, w.currency, w.timezone,
               r.id AS role_id, r.key AS role_key, r.name AS role_name, r.is_admin, r.permissions
        FROM users u
        JOIN workspace_members m ON m.user_id = u.id AND m.workspace_id = ${workspaceId}
        JOIN workspaces w ON w.id = m.workspace_id
        JOIN roles r ON r.id = m.role_id
        WHERE u.id = ${userId}`,
  );
}
