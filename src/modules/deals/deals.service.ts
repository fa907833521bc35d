import { sql } from 'drizzle-orm';
import { can } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { foldForSearch, normalizeText } from '../../lib/vn/names.js';
import type { RecordKind } from '../records/kinds.js';
import { FieldErrors, normalizeTags, searchText } from '../records/normalize.js';
import { recordWriter } from '../records/writer.js';
import * as repo from './deals.repository.js';
import { dealCreateBody, type DealInput, type DealResponse } from './deals.schemas.js';
import type { DealRow } from './deals.table.js';

const OBJECT = 'deals';

export const messages = {
  nameRequired: { vi: 'Cần nhập tên cơ hội.', en: 'A deal name is required.' },
  noPipeline: {
    vi: 'Chưa có quy trình bán hàng nào: hãy tạo một quy trình trong Cài đặt.',
    en: 'There is no pipeline yet: create one in Settings.',
  },
  pipelineNotFound: { vi: 'Không tìm thấy quy trình bán hàng này.', en: 'No such pipeline.' },
  stageNotFound: { vi: 'Không tìm thấy giai đoạn này.', en: 'No such stage.' },
  stageOfOtherPipeline: {
    vi: 'Giai đoạn này thuộc một quy trình bán hàng khác.',
    en: 'This stage belongs to another pipeline.',
  },
  lostReasonRequired: {
    vi: 'Cần chọn lý do thua.',
    en: 'Choose why the deal was lost.',
  },
  companyNotFound: {
    vi: 'Không tìm thấy công ty này (hoặc đã bị xoá).',
    en: 'This company does not exist or is in the trash.',
  },
};

/** The columns of a deal after applying `input` to `before` (null when creating). */
export function dealValues(before: DealRow | null, input: DealInput, errors: FieldErrors) {
  const name = input.name !== undefined ? normalizeText(input.name) : (before?.name ?? '');
  if (!name) errors.add('name', messages.nameRequired, 'required');
  const status = input.status ?? before?.status ?? 'open';
  const lostReason =
    status !== 'lost'
      ? null
      : input.lostReason !== undefined
        ? input.lostReason
        : (before?.lostReason ?? null);
  if (status === 'lost' && !lostReason) {
    errors.add('lostReason', messages.lostReasonRequired, 'required');
  }
  const wonReason =
    status !== 'won'
      ? null
      : input.wonReason !== undefined
        ? input.wonReason
        : (before?.wonReason ?? null);
  const folded = foldForSearch(name);
  return {
    name,
    // Resolved against the database by `check` (a pipeline's first stage, the first pipeline).
    pipelineId: input.pipelineId ?? before?.pipelineId ?? '',
    stageId:
      input.stageId ??
      (input.pipelineId !== undefined && input.pipelineId !== before?.pipelineId
        ? ''
        : (before?.stageId ?? '')),
    status,
    amount: input.amount ?? before?.amount ?? 0,
    expectedCloseDate:
      input.expectedCloseDate !== undefined
        ? input.expectedCloseDate
        : (before?.expectedCloseDate ?? null),
    wonReason,
    lostReason,
    companyId: input.companyId !== undefined ? input.companyId : (before?.companyId ?? null),
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    searchName: folded,
    sortName: folded,
    searchText: searchText([name]),
  };
}

type Values = ReturnType<typeof dealValues>;

/**
 * The pipeline and stage a write lands in: a named stage must be of the deal's pipeline (a
 * stage alone moves the deal to the stage's pipeline only when no pipeline was named); no stage
 * means the pipeline's first one; no pipeline means the first pipeline.
 */
async function resolveStage(
  tx: Tx,
  input: DealInput,
  values: Values,
  errors: FieldErrors,
): Promise<void> {
  if (values.stageId) {
    const stage = await repo.findStage(tx, values.stageId);
    if (!stage) {
      errors.add('stageId', messages.stageNotFound, 'not_found');
      return;
    }
    const pipelineNamed = input.pipelineId !== undefined;
    if (!values.pipelineId || (!pipelineNamed && input.stageId !== undefined)) {
      values.pipelineId = stage.pipelineId;
    } else if (stage.pipelineId !== values.pipelineId) {
      errors.add('stageId', messages.stageOfOtherPipeline, 'other_pipeline');
    }
    return;
  }
  if (values.pipelineId && !(await repo.pipelineExists(tx, values.pipelineId))) {
    errors.add('pipelineId', messages.pipelineNotFound, 'not_found');
    return;
  }
  const first = await repo.firstStage(tx, values.pipelineId || null);
  if (!first) {
    errors.add(values.pipelineId ? 'stageId' : 'pipelineId', messages.noPipeline, 'no_pipeline');
    return;
  }
  values.pipelineId = first.pipelineId;
  values.stageId = first.id;
}

function presentDeal(r: repo.DealRecordRow): DealResponse {
  return {
    id: r.id,
    name: r.name,
    pipelineId: r.pipelineId,
    stageId: r.stageId,
    status: r.status,
    amount: Number(r.amount),
    probability: Number(r.probability),
    weightedAmount: Math.round(Number(r.weightedAmount)),
    expectedCloseDate: r.expectedCloseDate,
    closedAt: r.closedAt,
    wonReason: r.wonReason,
    lostReason: r.lostReason,
    companyId: r.companyId,
    company: r.companyId && r.companyName ? { id: r.companyId, name: r.companyName } : null,
    contacts: r.contacts,
    sourceLeadId: r.sourceLeadId,
    sourceLead:
      r.sourceLeadId && r.sourceLeadName !== null
        ? { id: r.sourceLeadId, name: r.sourceLeadName }
        : null,
    stageEnteredAt: r.stageEnteredAt,
    lastActivityAt: r.lastActivityAt,
    rotting: r.rotting,
    ownerId: r.ownerId,
    owner: r.ownerId ? { id: r.ownerId, name: r.ownerName ?? '' } : null,
    tags: r.tags,
    custom: r.custom,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    deletedAt: r.deletedAt,
  };
}

export const dealKind: RecordKind<DealResponse, DealInput, repo.DealRecordRow> = {
  ...recordWriter<DealInput, DealRow, Values>({
    objectKey: OBJECT,
    load: repo.getDealRow,
    normalize: dealValues,
    check: async (tx, { before, values, errors, input }) => {
      if (values.stageId !== before?.stageId || values.pipelineId !== before?.pipelineId) {
        await resolveStage(tx, input, values, errors);
      }
      if (
        values.companyId &&
        values.companyId !== before?.companyId &&
        !(await repo.liveCompanyExists(tx, values.companyId))
      ) {
        errors.add('companyId', messages.companyNotFound, 'not_found');
      }
    },
    insert: repo.insertDeal,
    update: repo.updateDeal,
  }),
  columns: (actor) =>
    repo.dealColumns({
      companies: can(actor, 'companies', 'read')
        ? (scopeCondition(actor, 'companies', sql`co.owner_id`) ?? undefined)
        : null,
      contacts: can(actor, 'contacts', 'read')
        ? (scopeCondition(actor, 'contacts', sql`c.owner_id`) ?? undefined)
        : null,
      leads: can(actor, 'leads', 'read')
        ? (scopeCondition(actor, 'leads', sql`l.owner_id`) ?? undefined)
        : null,
    }),
  present: presentDeal,
  patchSchema: dealCreateBody,
};
