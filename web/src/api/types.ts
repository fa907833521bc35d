/**
 * The API's shapes, as the server declares them: aliases of the types generated from its zod
 * schemas into schema.gen.ts (`npm run api:generate`; `npm run check` fails when it is stale).
 * Nothing here restates a field or an enum value: a change on the server shows up here, and
 * where the web app relies on what changed, as a type error.
 */
import type { paths } from './schema.gen';
import {
  pathsApiV1PermissionObjectsGetResponses200ContentApplicationJsonItemsActionsValues as actionValues,
  pathsApiV1RolesIdGetResponses200ContentApplicationJsonPermissionsScopeValues as scopeValues,
} from './schema.gen';

// --- reading the generated paths ------------------------------------------------------------

type Strip<K> = K extends `/api/v1${infer P}` ? P : never;
/** A path of the API under /api/v1, as the server declares it (`/contacts/{id}`). */
export type ApiPath = Strip<keyof paths>;
type Full<P extends ApiPath> = `/api/v1${P}`;
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of the successful answer (200 or 201) to `method path`. */
export type ApiResponse<P extends ApiPath, M extends Method = 'get'> = paths[Full<P>][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer Ok }
    ? Json<Ok>
    : R extends { 201: infer Created }
      ? Json<Created>
      : never
  : never;

/** The JSON request body of `method path`. */
export type ApiRequestBody<P extends ApiPath, M extends Method> = paths[Full<P>][M] extends {
  requestBody?: infer B;
}
  ? Json<NonNullable<B>>
  : never;

/** The query parameters of `method path`. */
export type ApiQuery<P extends ApiPath, M extends Method = 'get'> = paths[Full<P>][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

/** An element of a list answer's `items`. */
export type ItemOf<T> = T extends { items: (infer I)[] } ? I : never;

export interface Items<T> {
  items: T[];
}

// --- session, workspace, permissions --------------------------------------------------------

export type Session = ApiResponse<'/auth/session'>;
export type SessionUser = Session['user'];
export type SessionRole = Session['role'];
export type WorkspaceSummary = Session['workspaces'][number];
export type Locale = SessionUser['locale'];
export type Workspace = ApiResponse<'/workspace'>;

export type Permissions = SessionRole['permissions'];
export type PermissionEntry = Permissions[string];
export type Scope = PermissionEntry['scope'];
export const SCOPES = scopeValues;

export type PermissionObject = ItemOf<ApiResponse<'/permission-objects'>>;
export type Action = PermissionObject['actions'][number];
/** Every permission action, in the server's order (core/permissions.ts). */
export const ACTIONS = actionValues;

// --- members, roles, teams, API keys --------------------------------------------------------

export type Member = ItemOf<ApiResponse<'/users'>>;
export type Invitation = ItemOf<ApiResponse<'/invitations'>>;
export type InvitationLookup = ApiResponse<'/invitations/lookup/{token}'>;
export type Role = ItemOf<ApiResponse<'/roles'>>;
export type Team = ItemOf<ApiResponse<'/teams'>>;
export type ApiKey = ItemOf<ApiResponse<'/api-keys'>>;

// --- audit log ------------------------------------------------------------------------------

export type AuditPage = ApiResponse<'/audit-log'>;
export type AuditEntry = ItemOf<AuditPage>;
export type AuditChannel = AuditEntry['channel'];
