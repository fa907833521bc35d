import { auditChange } from '../../core/audit.js';
import { AppError, type Locale } from '../../core/errors.js';
import { effectivePermissions, type Actor, type Channel } from '../../core/permissions.js';
import { asDate } from '../../db/sql.js';
import type { AppContext } from '../../core/context.js';
import type { RequestAuth } from '../../http/context.js';
import { authCallText, type PrincipalCheck } from '../../db/database.js';
import * as repo from './auth.repository.js';
import {
  cachedPrincipal,
  forgetPrincipal,
  rememberPrincipal,
  type Principal,
} from './principal-cache.js';
import {
  assertStrongPassword,
  dummyPasswordHash,
  hashPassword,
  verifyPassword,
} from './passwords.js';
import { hashToken, newToken } from './tokens.js';

export const SESSION_COOKIE = 'sen_session';
export const API_KEY_PREFIX = 'sen_';

/** Sign-in throttling: per account and per client address, shared by all app nodes. */
export const signInLimits = {
  account: { limit: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  ip: { limit: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
};

/** Touch last_seen_at at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_SECONDS = 60;

export const asLocale = (v: string | null | undefined): Locale => (v === 'en' ? 'en' : 'vi');

export function actorFromPrincipal(
  row: repo.PrincipalRow,
  extra: { channel: Channel; requestId: string | null; apiKeyId?: string; keyScopes?: string[] },
): Actor {
  return {
    type: extra.apiKeyId ? 'api_key' : 'user',
    userId: row.user_id,
    apiKeyId: extra.apiKeyId ?? null,
    name: row.user_name,
    workspaceId: row.workspace_id,
    role: {
      key: row.role_key,
      isAdmin: row.role_is_admin,
      permissions: row.role_permissions,
      fieldAccess: row.role_field_access ?? {},
    },
    teamMateIds: row.team_mate_ids,
    keyScopes: extra.keyScopes ? new Set(extra.keyScopes) : null,
    channel: extra.channel,
    requestId: extra.requestId,
  };
}

export interface Credentials {
  cookieToken: string | undefined;
  authorization: string | undefined;
  requestId: string;
  /**
   * Take the principal from this node's cache when it has one, leaving the database to confirm
   * it on the request's first statement (PrincipalCheck): for GETs of routes that opt in.
   */
  cached?: boolean;
}

/** A credential: which principal function, with which arguments, under which cache key. */
interface Credential {
  kind: 'session' | 'apiKey';
  key: string;
  values: unknown[];
}

function credentialOf(ctx: AppContext, cred: Credentials): Credential | null {
  if (cred.authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(cred.authorization);
    if (!match?.[1]?.startsWith(API_KEY_PREFIX)) throw new AppError('UNAUTHENTICATED');
    const hash = hashToken(match[1]);
    return { kind: 'apiKey', key: `k:${hash}`, values: [hash, TOUCH_INTERVAL_SECONDS] };
  }
  if (!cred.cookieToken) return null;
  const hash = hashToken(cred.cookieToken);
  const idleSeconds = Math.floor(ctx.config.sessionIdleMs / 1000);
  return { kind: 'session', key: `s:${hash}`, values: [hash, idleSeconds, TOUCH_INTERVAL_SECONDS] };
}

/**
 * Turn a request's credentials into a RequestAuth. Returns null when none were sent; throws
 * UNAUTHENTICATED / SESSION_EXPIRED when they are wrong, expired or revoked.
 */
export async function authenticate(
  ctx: AppContext,
  cred: Credentials,
): Promise<RequestAuth | null> {
  const credential = credentialOf(ctx, cred);
  if (!credential) return null;
  const cached = cred.cached ? cachedPrincipal(ctx.db, credential.key) : null;
  if (cached !== null) {
    const check: PrincipalCheck = {
      call: repo.resumeCalls[credential.kind],
      values: [...credential.values, cached.stamp],
      expected: cached.stamp,
      confirmed: false,
    };
    return requestAuth(credential, cached, cred.requestId, check);
  }
  const text = await authCallText(ctx.db, repo.principalCalls[credential.kind], credential.values);
  const principal = text === null ? null : (JSON.parse(text) as repo.SessionPrincipal | Principal);
  if (principal?.status !== 'ok') forgetPrincipal(ctx.db, credential.key);
  else rememberPrincipal(ctx.db, credential.key, principal);
  return requestAuth(credential, principal, cred.requestId);
}

function requestAuth(
  credential: Credential,
  principal: repo.SessionPrincipal | Principal | null,
  requestId: string,
  check?: PrincipalCheck,
): RequestAuth {
  if (principal === null) throw new AppError('UNAUTHENTICATED');
  if (principal.status === 'expired') throw new AppError('SESSION_EXPIRED');
  if (credential.kind === 'session' && 'session_id' in principal) {
    return {
      actor: { ...actorFromPrincipal(principal, { channel: 'web', requestId }), check },
      via: 'session',
      sessionId: principal.session_id,
      csrfToken: principal.csrf_token,
      locale: asLocale(principal.user_locale),
    };
  }
  if (credential.kind === 'apiKey' && 'api_key_id' in principal) {
    return {
      actor: {
        ...actorFromPrincipal(principal, {
          channel: 'api',
          requestId,
          apiKeyId: principal.api_key_id,
          keyScopes: principal.scopes,
        }),
        check,
      },
      via: 'api_key',
      sessionId: null,
      csrfToken: null,
      locale: asLocale(principal.user_locale),
    };
  }
  throw new Error(`${credential.kind} principal of the wrong shape`);
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Start a new session (always a new token) for a user in a workspace. */
export async function startSession(
  ctx: AppContext,
  userId: string,
  workspaceId: string,
  client: ClientInfo,
): Promise<{ token: string }> {
  const token = newToken();
  await ctx.db.system(async (tx) => {
    await repo.createSession(tx, {
      tokenHash: hashToken(token),
      csrfToken: newToken(24),
      userId,
      workspaceId,
      expiresAt: new Date(Date.now() + ctx.config.sessionAbsoluteMs),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    });
    await repo.markSignedIn(tx, userId);
    await repo.markWorkspaceUsed(tx, userId, workspaceId);
  });
  return { token };
}

export async function signIn(
  ctx: AppContext,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<{ userId: string; workspaceId: string }> {
  const email = input.email.trim().toLowerCase();
  const accountKey = `sign-in:account:${email}`;
  const ipKey = `sign-in:ip:${client.ip ?? 'unknown'}`;

  const locks = await ctx.db.system((tx) => repo.throttleState(tx, [accountKey, ipKey]));
  for (const lock of locks) {
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((asDate(lock.locked_until ?? new Date()).getTime() - Date.now()) / 1000),
    );
    throw new AppError(lock.key === accountKey ? 'ACCOUNT_LOCKED' : 'RATE_LIMITED', {
      details: { retryAfterSeconds },
    });
  }

  const user = await ctx.db.system((tx) => repo.findUserByEmail(tx, email));
  const ok = await verifyPassword(
    user?.password_hash ?? (await dummyPasswordHash()),
    input.password,
  );
  const memberships =
    ok && user ? await ctx.db.system((tx) => repo.activeMemberships(tx, user.id)) : [];
  const workspace = memberships[0];
  if (!ok || !user || !workspace) {
    await ctx.db.system(async (tx) => {
      const { account, ip } = signInLimits;
      await repo.recordFailure(
        tx,
        accountKey,
        account.limit,
        account.windowSeconds,
        account.lockSeconds,
      );
      await repo.recordFailure(tx, ipKey, ip.limit, ip.windowSeconds, ip.lockSeconds);
    });
    throw new AppError('INVALID_CREDENTIALS');
  }
  await ctx.db.system((tx) => repo.clearThrottle(tx, accountKey));
  return { userId: user.id, workspaceId: workspace.id };
}

/** Start a session and return its token with the session view (sign-in, setup, invitation). */
export async function openSession(
  ctx: AppContext,
  who: { userId: string; workspaceId: string },
  client: ClientInfo,
  requestId: string,
): Promise<{ token: string; view: SessionView }> {
  const { token } = await startSession(ctx, who.userId, who.workspaceId, client);
  const auth = await authenticate(ctx, { cookieToken: token, authorization: undefined, requestId });
  if (!auth) throw new AppError('INTERNAL');
  return { token, view: await sessionView(ctx, auth) };
}

export async function signOut(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.system((tx) => repo.deleteSession(tx, sessionId));
}

export interface SessionView {
  user: { id: string; name: string; email: string; locale: Locale };
  workspace: { id: string; name: string; locale: Locale; currency: string; timezone: string };
  role: {
    id: string;
    key: string | null;
    name: string;
    isAdmin: boolean;
    permissions: ReturnType<typeof effectivePermissions>;
  };
  workspaces: { id: string; name: string; roleName: string }[];
  csrfToken: string | null;
}

/** The signed-in user's view of themselves: who, where, with which rights. */
export async function sessionView(ctx: AppContext, auth: RequestAuth): Promise<SessionView> {
  const { actor } = auth;
  const userId = actor.userId;
  if (!userId) throw new AppError('UNAUTHENTICATED');
  return ctx.db.system(async (tx) => {
    const row = await repo.findSessionView(tx, userId, actor.workspaceId);
    if (!row) throw new AppError('UNAUTHENTICATED');
    const memberships = await repo.activeMemberships(tx, userId);
    return {
      user: {
        id: userId,
        name: row.user_name,
        email: row.email,
        locale: asLocale(row.user_locale),
      },
      workspace: {
        id: actor.workspaceId,
        name: row.ws_name,
        locale: asLocale(row.ws_locale),
        currency: row.currency,
        timezone: row.timezone,
      },
      role: {
        id: row.role_id,
        key: row.role_key,
        name: row.role_name,
        isAdmin: row.is_admin,
        permissions: effectivePermissions({
          key: row.role_key,
          isAdmin: row.is_admin,
          permissions: row.permissions,
        }),
      },
      workspaces: memberships,
      csrfToken: auth.csrfToken,
    };
  });
}

export async function switchWorkspace(
  ctx: AppContext,
  auth: RequestAuth,
  workspaceId: string,
): Promise<RequestAuth> {
  const userId = auth.actor.userId;
  if (!auth.sessionId || !userId) throw new AppError('FORBIDDEN');
  const sessionId = auth.sessionId;
  await ctx.db.system(async (tx) => {
    const memberships = await repo.activeMemberships(tx, userId);
    if (!memberships.some((m) => m.id === workspaceId)) throw new AppError('NOT_FOUND');
    await repo.switchSessionWorkspace(tx, sessionId, workspaceId);
    await repo.markWorkspaceUsed(tx, userId, workspaceId);
  });
  return { ...auth, actor: { ...auth.actor, workspaceId } };
}

export async function changePassword(
  ctx: AppContext,
  auth: RequestAuth,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const userId = auth.actor.userId;
  if (!userId || auth.via !== 'session') throw new AppError('FORBIDDEN');
  assertStrongPassword(input.newPassword, 'newPassword');
  const current = await ctx.db.system((tx) => repo.findPasswordHash(tx, userId));
  if (!current || !(await verifyPassword(current, input.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', {
      details: {
        fields: [
          {
            path: 'currentPassword',
            message: 'The current password is wrong.',
            text: { vi: 'Mật khẩu hiện tại không đúng.', en: 'The current password is wrong.' },
          },
        ],
      },
    });
  }
  const newHash = await hashPassword(input.newPassword);
  await ctx.db.system(async (tx) => {
    await repo.setPasswordHash(tx, userId, newHash);
    // Every other session of this user ends; this one stays.
    await repo.deleteOtherSessions(tx, userId, auth.sessionId);
  });
}

/** A user edits their own name or language (the language follows them to every workspace). */
export async function updateProfile(
  ctx: AppContext,
  actor: Actor,
  patch: { name?: string | undefined; locale?: Locale | undefined },
): Promise<SessionView['user']> {
  const userId = actor.userId;
  if (!userId) throw new AppError('FORBIDDEN');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.findProfile(tx, userId);
    if (!before) throw new AppError('NOT_FOUND');
    const after = {
      ...before,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
    };
    await repo.updateProfile(tx, userId, after);
    await auditChange(tx, actor, 'user', userId, { ...before }, { ...after });
    return { ...after, locale: asLocale(after.locale) };
  });
}
