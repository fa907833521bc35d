import { sql } from 'drizzle-orm';
import { can } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import { queryRows } from '../../db/sql.js';
import { defineRecordObject } from '../records/define.js';
import { messages as recordMessages } from '../records/normalize.js';
import { dealFields } from './deals.fields.js';
import { dealContactsRelation } from './deals.relations.js';
import { dealCreateBody, dealPatchBody, dealResponse } from './deals.schemas.js';
import { dealsSearch } from './deals.search.js';
import { dealKind, messages } from './deals.service.js';
import { deals } from './deals.table.js';

const all = {
  read: true,
  create: true,
  update: true,
  delete: true,
  export: true,
  import: true,
  scope: 'all',
} as const;

/** The deals of a company or contact the caller may see, for their timelines. */
function dealsOf(link: 'company' | 'contact') {
  return {
    relatedObject: 'deals',
    async load(tx: Parameters<typeof queryRows>[0], actor: Parameters<typeof can>[0], id: string) {
      if (!can(actor, 'deals', 'read')) return [];
      const scope = scopeCondition(actor, 'deals', sql`d.owner_id`);
      const match =
        link === 'company'
          ? sql`d.company_id = ${id}`
          : sql`d.id IN (SELECT dc.deal_id FROM deal_contacts dc WHERE dc.contact_id = ${id})`;
      return queryRows<{ id: string; name: string }>(
        tx,
        sql`SELECT d.id, d.name FROM deals d
             WHERE ${match} AND d.deleted_at IS NULL${scope ? sql` AND ${scope}` : sql``}`,
      );
    },
  };
}

/**
 * Deals (cơ hội bán hàng): an amount in đồng moving through the stages of one of the
 * workspace's pipelines (src/modules/deals/pipelines.*) to won or lost, with a company and
 * contacts in roles. Sales reps work their own deals (or their team's, per role); managers see
 * all. The board groups a pipeline's open deals by stage with the amount and weighted totals.
 */
export const dealsObject = defineRecordObject({
  key: 'deals',
  label: {
    one: { vi: 'Cơ hội bán hàng', en: 'Deal' },
    many: { vi: 'Cơ hội bán hàng', en: 'Deals' },
  },
  table: deals,
  columns: {
    id: deals.id,
    workspaceId: deals.workspaceId,
    ownerId: deals.ownerId,
    deletedAt: deals.deletedAt,
    name: deals.name,
  },
  permissions: {
    defaults: {
      manager: all,
      sales: { read: true, create: true, update: true, delete: true, export: true, scope: 'own' },
      marketing: { read: true, export: true, scope: 'all' },
      support: { read: true, scope: 'all' },
      viewer: { read: true, scope: 'all' },
    },
  },
  fields: dealFields,
  schemas: { create: dealCreateBody, patch: dealPatchBody, response: dealResponse },
  kind: dealKind,
  search: dealsSearch,
  // A deal's events also show on its company's and its contacts' timelines.
  timelineRelations: [
    { object: 'companies', ...dealsOf('company') },
    { object: 'contacts', ...dealsOf('contact') },
  ],
  constraints: {
    deals_owner_fk: { path: 'ownerId', text: recordMessages.owner },
    deals_stage_fk: { path: 'stageId', text: messages.stageOfOtherPipeline },
  },
  exportColumns: [
    'name',
    'pipelineId',
    'stageId',
    'status',
    'amount',
    'probability',
    'expectedCloseDate',
    'closedAt',
    'companyId',
    'ownerId',
    'lostReason',
    'tags',
    'createdAt',
  ],
  import: {
    hints: {
      name: ['ten co hoi', 'co hoi', 'ten deal', 'deal', 'deal name', 'opportunity', 'ten'],
      pipelineId: ['quy trinh', 'pipeline', 'quy trinh ban hang'],
      stageId: ['giai doan', 'stage', 'deal stage'],
      status: ['trang thai', 'status'],
      amount: ['gia tri', 'so tien', 'doanh thu', 'amount', 'value', 'gia tri du kien'],
      expectedCloseDate: ['ngay du kien chot', 'ngay chot', 'close date', 'expected close date'],
      lostReason: ['ly do thua', 'lost reason'],
      wonReason: ['ly do thang', 'won reason'],
    },
  },
  relations: [dealContactsRelation],
  // Notes and files on a deal are activity: the board's rotting marker reads it.
  activity: { column: 'last_activity_at' },
  // Alike names are not evidence enough (deals are named after customers and products).
  fuzzyDuplicates: false,
  presentation: {
    icon: 'briefcase',
    order: 25,
    titleField: 'name',
    subtitleFields: ['amount', 'companyId'],
    defaultColumns: [
      'name',
      'companyId',
      // Stages of two pipelines may share a name: the table names the pipeline too.
      'pipelineId',
      'stageId',
      'status',
      'amount',
      'probability',
      'expectedCloseDate',
      'ownerId',
      'updatedAt',
    ],
    kanbanField: 'stageId',
    // The board is the open deals; won and lost ones are in the table (filter by status).
    kanbanFilter: { field: 'status', op: 'is', value: 'open' },
    kanbanSums: [
      {
        key: 'amount',
        label: { vi: 'Tổng giá trị', en: 'Total' },
        expr: sql`r.amount`,
        field: 'amount',
      },
      {
        key: 'weighted',
        label: { vi: 'Theo xác suất', en: 'Weighted' },
        expr: sql`r.amount * r.probability / 100`,
        field: 'amount',
      },
    ],
    cardBadges: ['rotting'],
    headerFacts: [
      'amount',
      'stageId',
      'status',
      'probability',
      'expectedCloseDate',
      'companyId',
      'pipelineId',
    ],
    panels: ['dealPath', 'dealContacts'],
    form: {
      quick: ['name', 'amount', 'pipelineId', 'stageId', 'companyId', 'expectedCloseDate'],
      more: ['status', 'wonReason', 'lostReason', 'ownerId', 'tags'],
      // A new deal is open (the status is required: without this the form refused to save).
      defaults: { status: 'open' },
    },
  },
});
