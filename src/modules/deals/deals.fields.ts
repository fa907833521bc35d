import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import {
  col,
  commonFields,
  relationField,
  selectField,
  textField,
  timestampField,
  type FieldDef,
  type FieldOption,
} from '../records/fields.js';
import type { DealStatus } from './deals.table.js';

/** Open, won, lost: a deal's outcome (the board shows open deals by stage). */
export const dealStatusOptions: (FieldOption & { key: DealStatus })[] = [
  { key: 'open', label: { vi: 'Đang mở', en: 'Open' }, color: '#228be6' },
  { key: 'won', label: { vi: 'Thắng', en: 'Won' }, color: '#2f9e44' },
  { key: 'lost', label: { vi: 'Thua', en: 'Lost' }, color: '#868e96' },
];

/** Why deals are won: the defaults of each workspace's own list (Settings → option lists). */
export const wonReasonOptions: FieldOption[] = [
  { key: 'price', label: { vi: 'Giá tốt', en: 'Good price' } },
  { key: 'quality', label: { vi: 'Chất lượng sản phẩm', en: 'Product quality' } },
  { key: 'relationship', label: { vi: 'Quan hệ tốt', en: 'Relationship' } },
  { key: 'service', label: { vi: 'Dịch vụ, giao hàng', en: 'Service and delivery' } },
  { key: 'other', label: { vi: 'Khác', en: 'Other' } },
];

/** Why deals are lost: the defaults of each workspace's own list. */
export const lostReasonOptions: FieldOption[] = [
  { key: 'price', label: { vi: 'Giá cao', en: 'Price too high' } },
  { key: 'competitor', label: { vi: 'Chọn đối thủ', en: 'Chose a competitor' } },
  { key: 'no_budget', label: { vi: 'Không có ngân sách', en: 'No budget' } },
  { key: 'no_decision', label: { vi: 'Không ra quyết định', en: 'No decision' } },
  { key: 'unreachable', label: { vi: 'Mất liên lạc', en: 'Went silent' } },
  { key: 'other', label: { vi: 'Khác', en: 'Other' } },
];

/** The workspace's pipelines, in order: the options of `pipelineId`. */
async function pipelineOptions(tx: Tx): Promise<FieldOption[]> {
  const rows = await queryRows<{ id: string; name: string }>(
    tx,
    sql`SELECT id, name FROM pipelines ORDER BY position, created_at`,
  );
  return rows.map((r) => ({ key: r.id, label: { vi: r.name, en: r.name } }));
}

/** Every pipeline's stages in order, each scoped to its pipeline: the options of `stageId`. */
async function stageOptions(tx: Tx): Promise<FieldOption[]> {
  const rows = await queryRows<{ id: string; name: string; pipeline_id: string }>(
    tx,
    sql`SELECT s.id, s.name, s.pipeline_id FROM pipeline_stages s
          JOIN pipelines p ON p.id = s.pipeline_id
         ORDER BY p.position, p.created_at, s.position, s.created_at`,
  );
  return rows.map((r) => ({ key: r.id, label: { vi: r.name, en: r.name }, scope: r.pipeline_id }));
}

const readOnly = (f: FieldDef): FieldDef => ({ ...f, readOnly: true, required: false });

const money = (key: string, label: FieldDef['label'], expr: string, readOnlyField = false) =>
  ({
    key,
    label,
    type: 'money',
    system: true,
    readOnly: readOnlyField,
    expr: sql.raw(expr),
    sortExpr: sql.raw(expr),
    sortCast: 'numeric',
    nullable: false,
  }) satisfies FieldDef;

/** Rotting: open, in a pipeline with rotting days, and no change for longer than that. */
export const rottingExpr = sql`(r.status = 'open' AND r.last_activity_at < now() - make_interval(days => coalesce((SELECT p.rotting_days FROM pipelines p WHERE p.id = r.pipeline_id), 100000)))`;

export const dealFields: FieldDef[] = [
  {
    ...textField(
      'name',
      'name',
      { vi: 'Tên cơ hội', en: 'Deal name' },
      { foldedColumn: 'search_name' },
    ),
    sortExpr: col('sort_name'),
    nullable: false,
    required: true,
    inSearchText: true,
  },
  {
    ...selectField('pipelineId', 'pipeline_id', { vi: 'Quy trình bán hàng', en: 'Pipeline' }, [], {
      nullable: false,
    }),
    loadOptions: pipelineOptions,
  },
  {
    ...selectField('stageId', 'stage_id', { vi: 'Giai đoạn', en: 'Stage' }, [], {
      nullable: false,
    }),
    loadOptions: stageOptions,
    scopedBy: 'pipelineId',
  },
  selectField('status', 'status', { vi: 'Trạng thái', en: 'Status' }, dealStatusOptions, {
    nullable: false,
  }),
  {
    ...money('amount', { vi: 'Giá trị (đ)', en: 'Amount (₫)' }, 'r.amount'),
    // A role may be denied the amounts (the weighted amount shows it too).
    hideable: true,
    presentedAs: ['weightedAmount'],
  },
  readOnly({
    key: 'probability',
    label: { vi: 'Xác suất thắng (%)', en: 'Probability (%)' },
    type: 'number',
    system: true,
    readOnly: true,
    expr: col('probability'),
    sortExpr: col('probability'),
    sortCast: 'numeric',
    nullable: false,
  }),
  money(
    'weightedAmount',
    { vi: 'Giá trị theo xác suất (đ)', en: 'Weighted amount (₫)' },
    '(r.amount * r.probability / 100)',
    true,
  ),
  {
    key: 'expectedCloseDate',
    label: { vi: 'Ngày dự kiến chốt', en: 'Expected close date' },
    type: 'date',
    system: true,
    readOnly: false,
    expr: col('expected_close_date'),
    sortExpr: col('expected_close_date'),
    sortCast: 'date',
    nullable: true,
  },
  readOnly(
    timestampField('closedAt', 'closed_at', { vi: 'Ngày chốt', en: 'Closed' }, { nullable: true }),
  ),
  selectField(
    'wonReason',
    'won_reason',
    { vi: 'Lý do thắng', en: 'Won reason' },
    wonReasonOptions,
    {
      optionList: {},
    },
  ),
  selectField(
    'lostReason',
    'lost_reason',
    { vi: 'Lý do thua', en: 'Lost reason' },
    lostReasonOptions,
    {
      optionList: {},
    },
  ),
  {
    key: 'companyId',
    label: { vi: 'Công ty', en: 'Company' },
    type: 'link',
    target: 'companies',
    system: true,
    readOnly: false,
    expr: col('company_id'),
  },
  relationField(
    'contactId',
    { vi: 'Liên hệ', en: 'Contact' },
    { table: 'deal_contacts', from: 'deal_id', to: 'contact_id', target: 'contacts' },
    'contacts',
  ),
  {
    key: 'contacts',
    label: { vi: 'Người liên hệ', en: 'Contacts' },
    type: 'json',
    system: true,
    readOnly: true,
  },
  readOnly({
    key: 'sourceLeadId',
    label: { vi: 'Từ khách hàng tiềm năng', en: 'From lead' },
    type: 'link',
    target: 'leads',
    system: true,
    readOnly: true,
    expr: col('source_lead_id'),
  }),
  readOnly(
    timestampField('stageEnteredAt', 'stage_entered_at', {
      vi: 'Vào giai đoạn lúc',
      en: 'In stage since',
    }),
  ),
  readOnly(
    timestampField('lastActivityAt', 'last_activity_at', {
      vi: 'Hoạt động gần nhất',
      en: 'Last activity',
    }),
  ),
  {
    key: 'rotting',
    label: { vi: 'Lâu không hoạt động', en: 'Rotting' },
    type: 'boolean',
    system: true,
    readOnly: true,
    expr: rottingExpr,
  },
  ...commonFields(),
];
