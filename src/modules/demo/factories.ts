/**
 * Factories: one row at a time, with overrides, each building the parent rows it needs when they
 * are not given (`buildContact()` alone makes a workspace, its built-in roles and its admin, who
 * owns the contact). Shared by the tests and `sen demo` (which writes its generated rows with
 * insertRows() and picks owners with activeMembers()), so both write rows the way the product
 * does: workspaces through the setup path, records with the search keys the records service
 * writes.
 *
 * Records are written straight into their tables in db.tenant() (row-level security applies),
 * without an audit entry, as `sen demo` writes its rows.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Locale } from '../../core/errors.js';
import { builtinRoleKeys, type BuiltinRoleKey } from '../../core/permissions.js';
import type { Database, Tx } from '../../db/database.js';
import { companies, contacts } from '../../db/schema/index.js';
import type { LabeledValue } from '../../db/schema/records.js';
import { queryOne, queryRows } from '../../db/sql.js';
import { normalizeEmail } from '../../lib/vn/email.js';
import { composeDisplayName, normalizeText } from '../../lib/vn/names.js';
import { normalizePhone } from '../../lib/vn/phone.js';
import { hashPassword } from '../auth/passwords.js';
import * as workspacesRepo from '../workspaces/workspaces.repository.js';
import {
  addMembership,
  createWorkspaceForUser,
  ownerActor,
} from '../workspaces/workspaces.service.js';
import { companySearchKeys, contactSearchKeys } from './generate.js';

// ---------------------------------------------------------------- writing many rows

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest record table. */
const CHUNK = 500;

/** Insert rows into a table in chunks, inside the caller's transaction. */
export async function insertRows<T extends PgTable>(
  tx: Tx,
  table: T,
  rows: T['$inferInsert'][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.insert(table).values(rows.slice(i, i + CHUNK));
  }
}

export interface MemberRow {
  user_id: string;
  name: string;
  is_admin: boolean;
}

/** A workspace's active members, oldest first (the first admin is the one setup made). */
export function activeMembers(tx: Tx, workspaceId: string): Promise<MemberRow[]> {
  return queryRows<MemberRow>(
    tx,
    sql`SELECT m.user_id, u.name, r.is_admin
        FROM workspace_members m
        JOIN roles r ON r.id = m.role_id
        JOIN users u ON u.id = m.user_id
        WHERE m.workspace_id = ${workspaceId} AND m.status = 'active'
        ORDER BY m.joined_at, m.user_id`,
  );
}

/** Who acts for work done in a workspace without a person: its first admin, else any member. */
export function actingMember(members: MemberRow[]): MemberRow | undefined {
  return members.find((m) => m.is_admin) ?? members[0];
}

// ---------------------------------------------------------------- people and workspaces

let sequence = 0;
const next = () => ++sequence;
const uniqueEmail = (prefix: string) =>
  `${prefix}.${randomUUID().replaceAll('-', '').slice(0, 12)}@example.vn`;

/**
 * Not an argon2 hash: verifyPassword() is false for every password, so a user built without a
 * password can only be signed in by a session made for them (tests), never by guessing.
 */
const NO_PASSWORD = '!no-password';

export interface UserOverrides {
  name?: string;
  email?: string;
  /** Hashed like a real sign-up (slow: argon2); without it the user cannot sign in by password. */
  password?: string;
  locale?: Locale;
}

export interface BuiltUser {
  id: string;
  email: string;
  name: string;
  locale: string;
  workspaceId: string;
  roleKey: BuiltinRoleKey;
  roleId: string;
}

export interface BuiltWorkspace {
  id: string;
  name: string;
  locale: string;
  currency: string;
  timezone: string;
  createdAt: Date;
  /** The admin who created it (as in setup). */
  admin: BuiltUser;
  /** The built-in roles' ids by key. */
  roleIds: Record<BuiltinRoleKey, string>;
}

async function insertUser(tx: Tx, o: UserOverrides, fallbackName: string, prefix: string) {
  return workspacesRepo.insertUser(tx, {
    name: o.name ?? fallbackName,
    email: o.email ?? uniqueEmail(prefix),
    passwordHash: o.password === undefined ? NO_PASSWORD : await hashPassword(o.password),
    locale: o.locale ?? 'vi',
  });
}

async function builtinRoleIds(tx: Tx, workspaceId: string) {
  const rows = await queryRows<{ id: string; key: string }>(
    tx,
    sql`SELECT id, key FROM roles WHERE workspace_id = ${workspaceId} AND key IS NOT NULL`,
  );
  const ids = {} as Record<BuiltinRoleKey, string>;
  for (const key of builtinRoleKeys) {
    const row = rows.find((r) => r.key === key);
    if (!row) throw new Error(`built-in role ${key} missing`);
    ids[key] = row.id;
  }
  return ids;
}

/**
 * A workspace with its built-in roles and an admin, the way first-run setup makes them (one
 * sen_system transaction, audited as the admin).
 */
export async function buildWorkspace(
  db: Database,
  overrides: {
    name?: string;
    locale?: Locale;
    currency?: string;
    timezone?: string;
    admin?: UserOverrides;
  } = {},
): Promise<BuiltWorkspace> {
  const n = next();
  const locale = overrides.locale ?? 'vi';
  return db.system(async (tx) => {
    const user = await insertUser(tx, { locale, ...overrides.admin }, 'Nguyễn Văn An', `admin${n}`);
    const workspace = await createWorkspaceForUser(
      tx,
      {
        name: overrides.name ?? `Công ty TNHH Thử Nghiệm ${n}`,
        locale,
        currency: overrides.currency ?? 'VND',
        timezone: overrides.timezone ?? 'Asia/Ho_Chi_Minh',
      },
      user,
      'system',
      null,
    );
    const roleIds = await builtinRoleIds(tx, workspace.id);
    return {
      ...workspace,
      admin: { ...user, workspaceId: workspace.id, roleKey: 'admin', roleId: roleIds.admin },
      roleIds,
    };
  });
}

/**
 * A user who is an active member of a workspace with a built-in role (default `sales`),
 * added by the workspace's admin (audited). Builds the workspace when not given.
 */
export async function buildUser(
  db: Database,
  overrides: UserOverrides & { workspaceId?: string; roleKey?: BuiltinRoleKey } = {},
): Promise<BuiltUser> {
  const { workspaceId: given, roleKey = 'sales', ...user } = overrides;
  const workspaceId = given ?? (await buildWorkspace(db)).id;
  const n = next();
  return db.system(async (tx) => {
    const acting = actingMember(await activeMembers(tx, workspaceId));
    if (!acting) throw new Error(`workspace ${workspaceId} has no active member`);
    const roleId = (await builtinRoleIds(tx, workspaceId))[roleKey];
    const row = await insertUser(tx, user, `Trần Thị Bích ${n}`, `${roleKey}${n}`);
    const actor = ownerActor(
      { id: acting.user_id, name: acting.name },
      workspaceId,
      'system',
      null,
    );
    await addMembership(tx, actor, row.id, roleId);
    return { ...row, workspaceId, roleKey, roleId };
  });
}

// ---------------------------------------------------------------- records

/** A phone or email as typed (normalised like the records service does) or as stored. */
export type LabeledInput = string | LabeledValue;

function labeled(
  values: LabeledInput[] | undefined,
  normalize: (s: string) => { ok: true; value: string } | { ok: false },
): LabeledValue[] {
  return (values ?? []).map((v, i) => {
    if (typeof v !== 'string') return v;
    const r = normalize(v);
    if (!r.ok) throw new Error(`factory: invalid value ${JSON.stringify(v)}`);
    return { value: r.value, label: null, primary: i === 0 };
  });
}

const primaryOf = (values: LabeledValue[]) =>
  (values.find((v) => v.primary) ?? values[0])?.value ?? null;

interface RecordParents {
  /** Default: the owner's (oldest) workspace, else a new one. */
  workspaceId?: string;
  /** Default: the workspace's first admin (a built one with a built workspace); null: no owner. */
  ownerId?: string | null;
}

/** The workspace and owner of a new record, and who writes it (the owner, else the admin). */
async function parentsOf(db: Database, o: RecordParents) {
  if (!o.workspaceId && o.ownerId) {
    const ownerId = o.ownerId;
    const membership = await db.system((tx) =>
      queryOne<{ workspace_id: string }>(
        tx,
        sql`SELECT workspace_id FROM workspace_members WHERE user_id = ${ownerId}
            AND status = 'active' ORDER BY joined_at LIMIT 1`,
      ),
    );
    if (!membership) throw new Error(`factory: ${ownerId} is not an active member anywhere`);
    return { workspaceId: membership.workspace_id, ownerId, actorId: ownerId };
  }
  if (!o.workspaceId) {
    const workspace = await buildWorkspace(db);
    return {
      workspaceId: workspace.id,
      ownerId: o.ownerId === null ? null : workspace.admin.id,
      actorId: workspace.admin.id,
    };
  }
  const workspaceId = o.workspaceId;
  const acting = await db.system(async (tx) => actingMember(await activeMembers(tx, workspaceId)));
  if (!acting) throw new Error(`workspace ${workspaceId} has no active member`);
  const ownerId = o.ownerId === undefined ? acting.user_id : o.ownerId;
  return { workspaceId, ownerId, actorId: ownerId ?? acting.user_id };
}

type ContactColumns = Omit<
  typeof contacts.$inferInsert,
  'id' | 'workspaceId' | 'ownerId' | 'phones' | 'emails' | 'searchName' | 'searchText' | 'sortName'
>;

export type ContactOverrides = RecordParents &
  Partial<ContactColumns> & { phones?: LabeledInput[]; emails?: LabeledInput[] };

export type BuiltContact = typeof contacts.$inferSelect;

/**
 * A contact, stored the way the records service stores one: display name composed from the name
 * parts (or given), phones in E.164, lower-case emails, the primary phone and email, and the
 * search keys. Without a workspace it builds one; without an owner, the workspace's admin owns it.
 */
export async function buildContact(
  db: Database,
  overrides: ContactOverrides = {},
): Promise<BuiltContact> {
  const { workspaceId: _w, ownerId: _o, phones: ph, emails: em, ...fields } = overrides;
  const parents = await parentsOf(db, overrides);
  const named = !!(
    fields.familyName ||
    fields.middleName ||
    fields.givenName ||
    fields.displayName
  );
  const parts = named
    ? {
        familyName: fields.familyName ?? null,
        middleName: fields.middleName ?? null,
        givenName: fields.givenName ?? null,
      }
    : { familyName: 'Nguyễn', middleName: 'Thị', givenName: `Khách ${next()}` };
  const displayName = fields.displayName
    ? normalizeText(fields.displayName)
    : composeDisplayName(parts);
  const phones = labeled(ph, (s) => normalizePhone(s));
  const emails = labeled(em, normalizeEmail);
  const row: typeof contacts.$inferInsert = {
    createdBy: parents.actorId,
    updatedBy: parents.actorId,
    primaryPhone: primaryOf(phones),
    primaryEmail: primaryOf(emails),
    ...fields,
    ...parts,
    displayName,
    phones,
    emails,
    workspaceId: parents.workspaceId,
    ownerId: parents.ownerId,
    ...contactSearchKeys({ ...parts, displayName, phones, emails }),
  };
  const [built] = await db.tenant(
    { workspaceId: parents.workspaceId, userId: parents.actorId },
    (tx) => tx.insert(contacts).values(row).returning(),
  );
  if (!built) throw new Error('contact insert returned nothing');
  return built;
}

type CompanyColumns = Omit<
  typeof companies.$inferInsert,
  'id' | 'workspaceId' | 'ownerId' | 'phones' | 'emails' | 'searchName' | 'searchText' | 'sortName'
>;

export type CompanyOverrides = RecordParents &
  Partial<CompanyColumns> & { phones?: LabeledInput[]; emails?: LabeledInput[] };

export type BuiltCompany = typeof companies.$inferSelect;

/** A company, with its search keys; builds its workspace and owner like buildContact(). */
export async function buildCompany(
  db: Database,
  overrides: CompanyOverrides = {},
): Promise<BuiltCompany> {
  const { workspaceId: _w, ownerId: _o, phones: ph, emails: em, ...fields } = overrides;
  const parents = await parentsOf(db, overrides);
  const name = normalizeText(fields.name ?? `Công ty TNHH Thử Nghiệm ${next()}`);
  const taxCode = fields.taxCode ?? null;
  const phones = labeled(ph, (s) => normalizePhone(s));
  const emails = labeled(em, normalizeEmail);
  const row: typeof companies.$inferInsert = {
    createdBy: parents.actorId,
    updatedBy: parents.actorId,
    ...fields,
    name,
    taxCode,
    phones,
    emails,
    workspaceId: parents.workspaceId,
    ownerId: parents.ownerId,
    ...companySearchKeys({ name, taxCode, emails, phones }),
  };
  const [built] = await db.tenant(
    { workspaceId: parents.workspaceId, userId: parents.actorId },
    (tx) => tx.insert(companies).values(row).returning(),
  );
  if (!built) throw new Error('company insert returned nothing');
  return built;
}
