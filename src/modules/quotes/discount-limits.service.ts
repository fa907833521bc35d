import { sql } from 'drizzle-orm';
import { recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type Locale } from '../../core/errors.js';
import {
  authorize,
  effectivePermissions,
  type Actor,
  type RolePermissions,
} from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { loadAccessibleRecord } from '../records/access.js';
import { invalid } from '../records/normalize.js';

/**
 * Discount limits per role (Settings → Duyệt chiết khấu): the largest line discount, in percent,
 * a role may put on a quote it sends without a manager's approval. No row: no limit. Roles that
 * approve quotes never need one. A new workspace's sales role starts at 10 %.
 */
export const DEFAULT_SALES_LIMIT = 10;

interface RoleRow {
  id: string;
  name: string;
  key: string | null;
  isAdmin: boolean;
  permissions: RolePermissions;
  maxPercent: string | number | null;
}

async function view(tx: Tx) {
  const rows = await queryRows<RoleRow>(
    tx,
    sql`SELECT ro.id, ro.name, ro.key, ro.is_admin AS "isAdmin", ro.permissions,
               dl.max_percent AS "maxPercent"
          FROM roles ro LEFT JOIN discount_limits dl ON dl.role_id = ro.id
         ORDER BY ro.is_admin DESC, ro.created_at, ro.name`,
  );
  return {
    items: rows.map((r) => {
      const approves = effectivePermissions(r).quotes?.approve === true;
      return {
        roleId: r.id,
        roleName: r.name,
        approves,
        maxPercent: approves || r.maxPercent === null ? null : Number(r.maxPercent),
      };
    }),
  };
}

export async function listLimits(ctx: AppContext, actor: Actor, _locale: Locale) {
  authorize(actor, 'roles', 'read');
  return ctx.db.read(actor, view);
}

export async function saveLimits(
  ctx: AppContext,
  actor: Actor,
  items: { roleId: string; maxPercent: number | null }[],
  _locale: Locale,
) {
  authorize(actor, 'roles', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const ids = [...new Set(items.map((i) => i.roleId))];
    const known = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM roles WHERE id = ANY(${uuidArray(ids)})`,
    );
    const found = new Set(known.map((r) => r.id));
    items.forEach((item, n) => {
      if (!found.has(item.roleId)) {
        throw invalid(
          `items.${n}.roleId`,
          { vi: 'Không tìm thấy vai trò này.', en: 'No such role.' },
          'not_found',
        );
      }
    });
    const before = await view(tx);
    for (const item of items) {
      if (item.maxPercent === null) {
        await tx.execute(sql`DELETE FROM discount_limits WHERE role_id = ${item.roleId}`);
      } else {
        await tx.execute(sql`
          INSERT INTO discount_limits (workspace_id, role_id, max_percent)
          VALUES (${actor.workspaceId}, ${item.roleId}, ${item.maxPercent})
          ON CONFLICT (workspace_id, role_id) DO UPDATE SET max_percent = EXCLUDED.max_percent`);
      }
    }
    const after = await view(tx);
    await recordAudit(tx, actor, {
      action: 'update',
      objectType: 'discount_limits',
      objectId: actor.workspaceId,
      changes: {
        limits: {
          from: Object.fromEntries(before.items.map((i) => [i.roleName, i.maxPercent])),
          to: Object.fromEntries(after.items.map((i) => [i.roleName, i.maxPercent])),
        },
      },
    });
    return after;
  });
}

/** A new workspace: its sales role may give up to 10 % without approval. */
export async function defaultDiscountLimits(tx: Tx, actor: Actor): Promise<void> {
  await tx.execute(sql`
    INSERT INTO discount_limits (workspace_id, role_id, max_percent)
    SELECT ${actor.workspaceId}, ro.id, ${DEFAULT_SALES_LIMIT} FROM roles ro
     WHERE ro.workspace_id = ${actor.workspaceId} AND ro.key = 'sales'
    ON CONFLICT DO NOTHING`);
}

/** The versions of a quote as it was sent, newest first. */
export async function revisions(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, 'quotes', 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'quotes', id, 'read');
    const rows = await queryRows<{
      revision: number;
      createdAt: string;
      createdById: string | null;
      createdByName: string | null;
      snapshot: Record<string, unknown>;
    }>(
      tx,
      sql`SELECT r.revision, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
                 r.created_by AS "createdById", u.name AS "createdByName", r.snapshot
            FROM quote_revisions r LEFT JOIN users u ON u.id = r.created_by
           WHERE r.quote_id = ${id} ORDER BY r.revision DESC`,
    );
    if (!rows) throw new AppError('NOT_FOUND');
    return {
      items: rows.map((r) => ({
        revision: r.revision,
        createdAt: r.createdAt,
        createdBy: r.createdById ? { id: r.createdById, name: r.createdByName ?? '' } : null,
        snapshot: r.snapshot,
      })),
    };
  });
}
