import { bigint, date, integer, numeric, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { tenantPolicies, workspaceId } from '../../db/schema/common.js';
import { dealStatuses } from '../deals/deals.table.js';

/**
 * The sales report's figures per day, kept current by the database (triggers on deals, migration
 * 0038): for each workspace, day, pipeline, owner and status, how many live deals and their
 * amount, probability-weighted amount and (won) sales-cycle seconds. The day is a won or lost
 * deal's closing day in the workspace's time zone, an open deal's expected close date (open
 * deals without one are not in it). A period's report sums a few thousand of these rows instead
 * of reading every deal closed in it (bench/deals.ts: 136k deals a quarter at 1M deals).
 *
 * Derived data: not backed up (a restore's deals write it again), rebuilt for a workspace when
 * its time zone changes (sen_deal_rollups_rebuild).
 */
export const dealRollups = pgTable(
  'deal_rollups',
  {
    workspaceId: workspaceId(),
    day: date('day', { mode: 'string' }).notNull(),
    pipelineId: uuid('pipeline_id').notNull(),
    ownerId: uuid('owner_id'),
    status: text('status', { enum: dealStatuses }).notNull(),
    deals: integer('deals').notNull().default(0),
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
    weighted: numeric('weighted').notNull().default('0'),
    cycleSeconds: numeric('cycle_seconds').notNull().default('0'),
  },
  (t) => [
    unique('deal_rollups_key')
      .on(t.workspaceId, t.day, t.pipelineId, t.ownerId, t.status)
      .nullsNotDistinct(),
    ...tenantPolicies(),
  ],
);
