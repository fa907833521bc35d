export type Locale = 'vi' | 'en';
export type Scope = 'own' | 'team' | 'all';
export type Action = 'read' | 'create' | 'update' | 'delete' | 'export' | 'import';
export const ACTIONS: readonly Action[] = [
  'read',
  'create',
  'update',
  'delete',
  'export',
  'import',
];

export interface PermissionEntry {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
  export: boolean;
  import: boolean;
  scope: Scope;
}
export type Permissions = Record<string, PermissionEntry>;

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  locale: Locale;
}

export interface Workspace {
  id: string;
  name: string;
  locale: Locale;
  currency: string;
  timezone: string;
  createdAt?: string;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  roleName: string;
}

export interface SessionRole {
  id: string;
  key: string | null;
  name: string;
  isAdmin: boolean;
  permissions: Permissions;
}

export interface Session {
  user: SessionUser;
  workspace: Workspace;
  role: SessionRole;
  workspaces: WorkspaceSummary[];
  csrfToken: string;
}

export interface PermissionObject {
  key: string;
  actions: Action[];
  scoped: boolean;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  roleId: string;
  roleName: string;
  status: 'active' | 'deactivated';
  teamIds: string[];
  lastSignInAt: string | null;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  roleId: string;
  roleName: string;
  invitedByName: string;
  expiresAt: string;
  createdAt: string;
}

export interface InvitationLookup {
  workspaceName: string;
  email: string;
  existingUser: boolean;
}

export interface Role {
  id: string;
  key: string | null;
  name: string;
  description: string | null;
  isAdmin: boolean;
  builtIn: boolean;
  permissions: Permissions;
  memberCount: number;
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export type AuditChannel = 'web' | 'api' | 'cli' | 'import' | 'automation' | 'system';

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; name: string | null } | null;
  channel: AuditChannel;
  action: string;
  objectType: string;
  objectId: string;
  /** The object's current name (record, member, role…); null when it is gone or unnamed. */
  objectName: string | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
  requestId: string | null;
  /** Names of the members, roles, teams and records whose ids appear in `changes`. */
  names: Record<string, string>;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export interface Items<T> {
  items: T[];
}
