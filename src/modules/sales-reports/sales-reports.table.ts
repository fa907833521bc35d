import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { workspaceMembers } from '../../db/schema/workspaces.js';

/** A salesperson's revenue target for one month, in đồng (a quarter's or year's: the sum). */
export const salesTargets = pgTable(
  'sales_targets',
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: uuid('user_id').notNull(),
    /** The first day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('sales_targets_user_month_key').on(t.workspaceId, t.userId, t.month),
    foreignKey({
      name: 'sales_targets_member_fk',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMembers.workspaceId, workspaceMembers.userId],
    }).onDelete('cascade'),
    check('sales_targets_month_start', sql`extract(day from month) = 1`),
    check('sales_targets_amount_range', sql`amount BETWEEN 0 AND 1000000000000000`),
    ...tenantPolicies(),
  ],
);

/**
 * The weekly forecast snapshot (job deals.forecast-snapshot): for the month and the quarter
 * that the day falls in, per pipeline and owner, what was won so far and what the open deals
 * expected to close in the period promised. "Forecast made on date X vs actual" reads these.
 */
export const forecastSnapshots = pgTable(
  'forecast_snapshots',
  {
    id: id(),
    workspaceId: workspaceId(),
    takenOn: date('taken_on', { mode: 'string' }).notNull(),
    periodKind: text('period_kind', { enum: ['month', 'quarter'] }).notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    pipelineId: uuid('pipeline_id').notNull(),
    ownerId: uuid('owner_id'),
    wonAmount: bigint('won_amount', { mode: 'number' }).notNull(),
    weightedAmount: bigint('weighted_amount', { mode: 'number' }).notNull(),
    openAmount: bigint('open_amount', { mode: 'number' }).notNull(),
    openCount: integer('open_count').notNull(),
    wonCount: integer('won_count').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('forecast_snapshots_key')
      .on(t.workspaceId, t.periodKind, t.periodStart, t.takenOn, t.pipelineId, t.ownerId)
      .nullsNotDistinct(),
    index('forecast_snapshots_period_idx').on(t.workspaceId, t.periodKind, t.periodStart),
    ...tenantPolicies(),
  ],
);
