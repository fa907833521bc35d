import { sql } from 'drizzle-orm';
import { bigint, check, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, workspaceId } from '../../db/schema/common.js';

/**
 * Customer tiers (hạng khách hàng) by total spent, set by admins: "Bạc" from 20 triệu, "Vàng"
 * from 100 triệu… A customer's tier is the highest whose threshold its total spent reaches
 * (kept by the database with the figures, migration 0046).
 */
export const customerTiers = pgTable(
  'customer_tiers',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    minTotalSpent: bigint('min_total_spent', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_tiers_name_key').on(t.workspaceId, t.name),
    uniqueIndex('customer_tiers_threshold_key').on(t.workspaceId, t.minTotalSpent),
    check('customer_tiers_threshold_valid', sql`min_total_spent >= 0`),
    ...tenantPolicies(),
  ],
);
