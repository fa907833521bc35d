import { sql } from 'drizzle-orm';
import { recordAudit } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { FieldErrors } from '../records/normalize.js';

async function list(tx: Tx) {
  const rows = await queryRows<{ name: string; minTotalSpent: string }>(
    tx,
    sql`SELECT name, min_total_spent::text AS "minTotalSpent" FROM customer_tiers ORDER BY min_total_spent`,
  );
  return { items: rows.map((r) => ({ name: r.name, minTotalSpent: Number(r.minTotalSpent) })) };
}

export function listTiers(ctx: AppContext, actor: Actor) {
  authorize(actor, 'roles', 'read');
  return ctx.db.read(actor, list);
}

/**
 * Replace the tiers and recompute every customer's tier (contacts and companies) in the same
 * transaction; the figures' versions stay (not an edit of the records).
 */
export function saveTiers(
  ctx: AppContext,
  actor: Actor,
  items: { name: string; minTotalSpent: number }[],
) {
  authorize(actor, 'roles', 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const errors = new FieldErrors();
    const names = new Set<string>();
    const thresholds = new Set<number>();
    items.forEach((t, n) => {
      const key = t.name.trim().toLocaleLowerCase('vi');
      if (names.has(key))
        errors.add(
          `items.${n}.name`,
          { vi: 'Hai hạng trùng tên.', en: 'Two tiers have the same name.' },
          'duplicate',
        );
      if (thresholds.has(t.minTotalSpent)) {
        errors.add(
          `items.${n}.minTotalSpent`,
          { vi: 'Hai hạng trùng ngưỡng.', en: 'Two tiers have the same threshold.' },
          'duplicate',
        );
      }
      names.add(key);
      thresholds.add(t.minTotalSpent);
    });
    errors.throwIfAny();
    const before = await list(tx);
    await tx.execute(sql`DELETE FROM customer_tiers`);
    for (const t of items) {
      await tx.execute(sql`INSERT INTO customer_tiers (workspace_id, name, min_total_spent)
                           VALUES (${actor.workspaceId}, ${t.name.trim()}, ${t.minTotalSpent})`);
    }
    await tx.execute(sql`SET LOCAL sen.keep_version = 'on'`);
    for (const table of ['contacts', 'companies']) {
      await tx.execute(sql`
        UPDATE ${sql.identifier(table)} r SET customer_tier = (
          SELECT t.name FROM customer_tiers t WHERE t.min_total_spent <= r.total_spent
           ORDER BY t.min_total_spent DESC LIMIT 1)
         WHERE r.customer_tier IS DISTINCT FROM (
          SELECT t.name FROM customer_tiers t WHERE t.min_total_spent <= r.total_spent
           ORDER BY t.min_total_spent DESC LIMIT 1)`);
    }
    await tx.execute(sql`SET LOCAL sen.keep_version = 'off'`);
    const after = await list(tx);
    await recordAudit(tx, actor, {
      action: 'update',
      objectType: 'customer_tiers',
      objectId: actor.workspaceId,
      changes: { tiers: { from: before.items, to: after.items } },
    });
    return after;
  });
}
