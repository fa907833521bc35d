import type { PrincipalCheck } from './principal-check.js';

/** The workspace and user a transaction runs for (RLS reads them with sen_workspace_id()). */
export interface TenantContext {
  workspaceId: string;
  userId: string | null;
  /** Set when this context came from a cache: the database must confirm it (PrincipalCheck). */
  check?: PrincipalCheck | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statements that open every transaction, sent as one simple-protocol round trip.
 * Values are inlined (set_config cannot be parameterised in a multi-statement query), so they
 * are validated as UUIDs first.
 */
export function transactionPrelude(role: 'sen_app' | 'sen_system', ctx?: TenantContext): string {
  let text = `SET LOCAL ROLE ${role};`;
  if (ctx) {
    assertTenantContext(ctx);
    text += ` SELECT set_config('sen.workspace_id', '${ctx.workspaceId}', true), set_config('sen.user_id', '${ctx.userId ?? ''}', true);`;
  }
  return text;
}

export function assertTenantContext(ctx: TenantContext): void {
  if (!UUID.test(ctx.workspaceId) || (ctx.userId !== null && !UUID.test(ctx.userId))) {
    throw new Error('Invalid tenant context');
  }
}
