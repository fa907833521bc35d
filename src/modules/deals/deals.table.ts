import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { contacts } from '../../db/schema/index.js';
import { recordColumns, recordTableExtras } from '../../db/schema/record-table.js';

/**
 * A deal is open while it moves through its pipeline's stages, then won or lost (it stays in the
 * stage it was closed from, as HubSpot's and Pipedrive's do).
 */
export const dealStatuses = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof dealStatuses)[number];

/**
 * A workspace's sales pipelines ("Bán lẻ", "Đại lý"), in order. A deal with no activity for
 * `rotting_days` is marked on the board (null: never).
 */
export const pipelines = pgTable(
  'pipelines',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    rottingDays: integer('rotting_days'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('pipelines_workspace_id_id_key').on(t.workspaceId, t.id),
    index('pipelines_position_idx').on(t.workspaceId, t.position),
    check('pipelines_rotting_days_range', sql`rotting_days BETWEEN 1 AND 365`),
    ...tenantPolicies(),
  ],
);

/**
 * The ordered stages of a pipeline with their win probability (0–100). A deal's
 * (pipeline, stage) references (pipeline_id, id) here, so the database itself refuses a stage of
 * another pipeline.
 */
export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    id: id(),
    workspaceId: workspaceId(),
    pipelineId: uuid('pipeline_id').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    probability: integer('probability').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('pipeline_stages_workspace_id_id_key').on(t.workspaceId, t.id),
    unique('pipeline_stages_pipeline_stage_key').on(t.workspaceId, t.pipelineId, t.id),
    foreignKey({
      name: 'pipeline_stages_pipeline_fk',
      columns: [t.workspaceId, t.pipelineId],
      foreignColumns: [pipelines.workspaceId, pipelines.id],
    }).onDelete('cascade'),
    index('pipeline_stages_position_idx').on(t.workspaceId, t.pipelineId, t.position),
    check('pipeline_stages_probability_range', sql`probability BETWEEN 0 AND 100`),
    ...tenantPolicies(),
  ],
);

/** Deals: amounts in integer đồng, in a pipeline's stage, with a company and contacts. */
export const deals = pgTable(
  'deals',
  {
    ...recordColumns(),
    name: text('name').notNull(),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    status: text('status', { enum: dealStatuses }).notNull().default('open'),
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
    /** The stage's probability when the deal entered it; 100 when won, 0 when lost (trigger). */
    probability: integer('probability').notNull().default(0),
    expectedCloseDate: date('expected_close_date', { mode: 'string' }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    wonReason: text('won_reason'),
    lostReason: text('lost_reason'),
    companyId: uuid('company_id'),
    /** The lead this deal was converted from. */
    sourceLeadId: uuid('source_lead_id'),
    /** When the deal entered its current stage (trigger). */
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull().defaultNow(),
    /** The last change or activity on the deal: a board marks it when older than the pipeline's rotting days. */
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    ...recordTableExtras('deals', t),
    foreignKey({
      name: 'deals_stage_fk',
      columns: [t.workspaceId, t.pipelineId, t.stageId],
      foreignColumns: [pipelineStages.workspaceId, pipelineStages.pipelineId, pipelineStages.id],
    }),
    // A board column: the open deals of one stage, newest change first. Open deals only: won
    // and lost deals stay in their stage and, over the years, outnumber the open ones many
    // times over (a column's first cards would walk past them, or sort them all).
    index('deals_board_idx')
      .on(t.workspaceId, t.stageId, t.updatedAt.desc(), t.id.desc())
      .where(sql`deleted_at IS NULL AND status = 'open'`),
    index('deals_pipeline_idx')
      .on(t.workspaceId, t.pipelineId, t.status)
      .where(sql`deleted_at IS NULL`),
    index('deals_closed_idx')
      .on(t.workspaceId, t.status, t.closedAt)
      .where(sql`deleted_at IS NULL`),
    index('deals_expected_close_idx')
      .on(t.workspaceId, t.expectedCloseDate)
      .where(sql`deleted_at IS NULL`),
    // The sales report's funnel: a pipeline's deals created in a period, read from the index
    // alone (with the id each one's stage history is looked up by, its status and owner).
    index('deals_cohort_idx')
      .on(t.workspaceId, t.pipelineId, t.createdAt, t.id, t.status, t.ownerId)
      .where(sql`deleted_at IS NULL`),
    index('deals_company_idx')
      .on(t.workspaceId, t.companyId)
      .where(sql`deleted_at IS NULL`),
    check('deals_amount_not_negative', sql`amount >= 0`),
    check('deals_probability_range', sql`probability BETWEEN 0 AND 100`),
  ],
);

/** A deal's contacts, each with their role in it (người quyết định, người dùng…); one primary. */
export const dealContacts = pgTable(
  'deal_contacts',
  {
    workspaceId: workspaceId(),
    dealId: uuid('deal_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    role: text('role'),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.dealId, t.contactId] }),
    foreignKey({
      name: 'deal_contacts_deal_fk',
      columns: [t.workspaceId, t.dealId],
      foreignColumns: [deals.workspaceId, deals.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'deal_contacts_contact_fk',
      columns: [t.workspaceId, t.contactId],
      foreignColumns: [contacts.workspaceId, contacts.id],
    }).onDelete('cascade'),
    index('deal_contacts_contact_idx').on(t.workspaceId, t.contactId),
    ...tenantPolicies(),
  ],
);

/**
 * When each deal entered and left each stage and status (written by a trigger on deals, so
 * every path — the API, a board drag, a bulk change, an import — is recorded): time in stage,
 * cycle length and stage-to-stage conversion come from here. The stage's name is kept as it
 * was, for a stage deleted since.
 */
export const dealStageHistory = pgTable(
  'deal_stage_history',
  {
    id: id(),
    workspaceId: workspaceId(),
    dealId: uuid('deal_id').notNull(),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    stageName: text('stage_name').notNull(),
    status: text('status', { enum: dealStatuses }).notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
    enteredBy: uuid('entered_by'),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'deal_stage_history_deal_fk',
      columns: [t.workspaceId, t.dealId],
      foreignColumns: [deals.workspaceId, deals.id],
    }).onDelete('cascade'),
    // With the stage: the funnel reads a deal's stages from the index alone.
    index('deal_stage_history_deal_idx').on(t.workspaceId, t.dealId, t.enteredAt, t.stageId),
    index('deal_stage_history_stage_idx').on(t.workspaceId, t.pipelineId, t.stageId),
    ...tenantPolicies(),
  ],
);

export type DealRow = typeof deals.$inferSelect;
export type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof pipelineStages.$inferSelect;
