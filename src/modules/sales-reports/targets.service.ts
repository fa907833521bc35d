import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../core/audit.js';
import { authorize, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { AppContext } from '../../core/context.js';
import { queryOne, queryRows } from '../../db/sql.js';
import { FieldErrors } from '../records/normalize.js';
import type { targetBody } from './sales-reports.schemas.js';

const notMember = {
  vi: 'Người này không phải thành viên đang hoạt động của không gian làm việc.',
  en: 'This person is not an active member of the workspace.',
};

/**
 * The targets of a year, per active member the caller may see the deals of (a rep: their own;
 * a manager: everyone), month by month.
 */
export async function listTargets(ctx: AppContext, actor: Actor, year: number) {
  authorize(actor, 'sales_targets', 'read');
  return ctx.db.read(actor, async (tx) => {
    const scope = scopeCondition(actor, 'deals', sql`m.user_id`);
    const rows = await queryRows<{ user_id: string; name: string; months: Record<string, string> }>(
      tx,
      sql`SELECT m.user_id, u.name,
                 coalesce((SELECT jsonb_object_agg(to_char(t.month, 'YYYY-MM'), t.amount)
                             FROM sales_targets t
                            WHERE t.user_id = m.user_id
                              AND t.month >= make_date(${year}::int, 1, 1)
                              AND t.month < make_date(${year}::int + 1, 1, 1)), '{}'::jsonb) AS months
            FROM workspace_members m JOIN users u ON u.id = m.user_id
           WHERE m.status = 'active'${scope ? sql` AND ${scope}` : sql``}
           ORDER BY u.name`,
    );
    return {
      year,
      items: rows.map((r) => ({
        userId: r.user_id,
        name: r.name,
        months: Object.fromEntries(Object.entries(r.months).map(([k, v]) => [k, Number(v)])),
      })),
    };
  });
}

/** Set (or with null, remove) one member's target for one month; audited. */
export async function setTarget(ctx: AppContext, actor: Actor, input: z.infer<typeof targetBody>) {
  authorize(actor, 'sales_targets', 'update');
  const month = `${input.month}-01`;
  await ctx.db.tenant(actor, async (tx) => {
    const member = await queryOne<{ ok: number }>(
      tx,
      sql`SELECT 1 AS ok FROM workspace_members WHERE user_id = ${input.userId}::uuid AND status = 'active'`,
    );
    if (!member) {
      const errors = new FieldErrors();
      errors.add('userId', notMember, 'not_a_member');
      errors.throwIfAny();
    }
    const before = await queryOne<{ amount: string }>(
      tx,
      sql`SELECT amount::text AS amount FROM sales_targets
           WHERE user_id = ${input.userId}::uuid AND month = ${month}::date`,
    );
    if (input.amount === null) {
      await tx.execute(
        sql`DELETE FROM sales_targets WHERE user_id = ${input.userId}::uuid AND month = ${month}::date`,
      );
    } else {
      await tx.execute(
        sql`INSERT INTO sales_targets (workspace_id, user_id, month, amount)
            VALUES (${actor.workspaceId}, ${input.userId}::uuid, ${month}::date, ${input.amount})
            ON CONFLICT ON CONSTRAINT sales_targets_user_month_key
            DO UPDATE SET amount = EXCLUDED.amount, updated_at = now()`,
      );
    }
    await recordAudit(tx, actor, {
      action: 'update',
      objectType: 'sales_target',
      objectId: input.userId,
      changes: {
        [input.month]: { from: before ? Number(before.amount) : null, to: input.amount },
      },
    });
  });
}
