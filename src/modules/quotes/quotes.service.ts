import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { auditChange } from '../../core/audit.js';
import {
  authorize,
  can,
  effectivePermissions,
  type Actor,
  type RolePermissions,
} from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { normalizeText } from '../../lib/vn/names.js';
import { getCompanyProfile } from '../company-profile/company-profile.service.js';
import { linesOf } from '../line-items/line-items.service.js';
import { notifyMany } from '../notifications/notify.js';
import { nextNumber } from '../numbering/numbering.service.js';
import { loadAccessibleRecord } from '../records/access.js';
import type { RecordKind } from '../records/kinds.js';
import { loadRecords } from '../records/kinds.js';
import { FieldErrors, normalizeTags } from '../records/normalize.js';
import { recordWriter } from '../records/writer.js';
import { lockedUnlessDraft, presentRecordTail, documentSearchKeys } from '../selling/documents.js';
import * as repo from './quotes.repository.js';
import { addDays, checkCustomer, presentCustomer, workspaceDates } from '../selling/customer.js';
import { quoteCreateBody, type QuoteInput, type QuoteResponse } from './quotes.schemas.js';
import type { QuoteRow, QuoteStatus } from './quotes.table.js';
import './quotes.notifications.js';

const OBJECT = 'quotes';

export const messages = {
  validBeforeIssue: {
    vi: 'Ngày hết hiệu lực phải sau ngày báo giá.',
    en: 'The validity date must be after the quote date.',
  },
  notDraft: {
    vi: 'Báo giá đã gửi không sửa trực tiếp được: hãy bấm "Sửa lại báo giá" để tạo phiên bản mới.',
    en: 'A sent quote cannot be edited: revise it to make a new version.',
  },
  noLines: {
    vi: 'Báo giá chưa có dòng hàng nào.',
    en: 'The quote has no lines.',
  },
  trashedProduct: (name: string) => ({
    vi: `Sản phẩm "${name}" trên báo giá đã bị xoá: hãy khôi phục sản phẩm hoặc bỏ dòng này.`,
    en: `The product "${name}" on this quote was deleted: restore it or remove the line.`,
  }),
  transition: (from: QuoteStatus, action: string) => ({
    vi: `Không thể ${actionWords[action]?.vi ?? action} một báo giá ở trạng thái "${statusWords[from].vi}".`,
    en: `A ${statusWords[from].en.toLowerCase()} quote cannot be ${actionWords[action]?.en ?? action}.`,
  }),
  approvalNotNeeded: {
    vi: 'Chiết khấu nằm trong mức cho phép: không cần duyệt.',
    en: 'The discount is within your limit: no approval is needed.',
  },
  notPending: {
    vi: 'Báo giá này không có yêu cầu duyệt nào đang chờ.',
    en: 'There is no approval request waiting on this quote.',
  },
  approvalRequired: (percent: number, limit: number) => ({
    vi: `Chiết khấu ${fmt(percent)} % vượt mức ${fmt(limit)} % của bạn: hãy gửi yêu cầu duyệt cho quản lý.`,
    en: `The ${fmt(percent)} % discount is above your ${fmt(limit)} % limit: ask a manager to approve it.`,
  }),
  approvalPending: {
    vi: 'Yêu cầu duyệt chiết khấu đang chờ quản lý.',
    en: 'The discount approval is waiting for a manager.',
  },
};

const fmt = (n: number) => String(Math.round(n * 100) / 100).replace('.', ',');

const statusWords: Record<QuoteStatus, { vi: string; en: string }> = {
  draft: { vi: 'Nháp', en: 'Draft' },
  sent: { vi: 'Đã gửi', en: 'Sent' },
  accepted: { vi: 'Khách đồng ý', en: 'Accepted' },
  rejected: { vi: 'Khách từ chối', en: 'Rejected' },
  expired: { vi: 'Hết hạn', en: 'Expired' },
};
const actionWords: Record<string, { vi: string; en: string }> = {
  send: { vi: 'gửi', en: 'sent' },
  accept: { vi: 'ghi nhận khách đồng ý cho', en: 'accepted' },
  reject: { vi: 'ghi nhận khách từ chối cho', en: 'rejected' },
  revise: { vi: 'sửa lại', en: 'revised' },
  requestApproval: { vi: 'xin duyệt', en: 'sent for approval' },
};

/** The document fields a sent quote keeps (changing them needs a revision). */
const documentFields = [
  'subject',
  'companyId',
  'contactId',
  'dealId',
  'issueDate',
  'validUntil',
  'terms',
] as const;

export function quoteValues(before: QuoteRow | null, input: QuoteInput, errors: FieldErrors) {
  void errors;
  const pick = <K extends keyof QuoteInput & keyof QuoteRow>(k: K) =>
    (input[k] !== undefined ? input[k] : (before?.[k] ?? null)) as QuoteRow[K] | null;
  const subject =
    input.subject !== undefined
      ? normalizeText(input.subject ?? '') || null
      : (before?.subject ?? null);
  const number = before?.number ?? '';
  return {
    number,
    subject,
    companyId: pick('companyId') as string | null,
    contactId: pick('contactId') as string | null,
    dealId: pick('dealId') as string | null,
    issueDate: (input.issueDate ?? before?.issueDate ?? '') as string,
    validUntil: pick('validUntil') as string | null,
    terms: input.terms !== undefined ? input.terms?.trim() || null : (before?.terms ?? null),
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    ...documentSearchKeys(number, subject),
  };
}

type Values = ReturnType<typeof quoteValues>;

async function checkQuote(
  tx: Tx,
  write: {
    id: string | null;
    before: QuoteRow | null;
    values: Values;
    errors: FieldErrors;
    input: QuoteInput;
  },
): Promise<void> {
  const { before, values, errors, input } = write;
  if (before && before.status !== 'draft') {
    const touched = documentFields.some(
      (k) => input[k] !== undefined && String(input[k] ?? '') !== String(before[k] ?? ''),
    );
    if (touched) throw new AppError('RECORD_LOCKED', { text: messages.notDraft });
  }
  await checkCustomer(tx, values, before, input, errors);
  if (!before) {
    const profile = await getCompanyProfile(tx);
    if (!values.issueDate) values.issueDate = (await workspaceDates(tx, 0)).today;
    if (input.validUntil === undefined) {
      values.validUntil = await addDays(tx, values.issueDate, profile.quoteValidityDays);
    }
  }
  if (values.validUntil && values.issueDate && values.validUntil < values.issueDate) {
    errors.add('validUntil', messages.validBeforeIssue, 'before_issue');
  }
  if (!before && errors.empty) {
    // Taken in the transaction that writes the quote: a refused write burns no number.
    values.number = await nextNumber(tx, OBJECT, values.issueDate);
    Object.assign(values, documentSearchKeys(values.number, values.subject));
  }
}

function num(v: number | string | null): number {
  return v === null ? 0 : Number(v);
}

function presentQuote(r: repo.QuoteRecordRow): QuoteResponse {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    ...presentCustomer(r),
    issueDate: r.issueDate,
    validUntil: r.validUntil,
    terms: r.terms,
    subtotal: num(r.subtotal),
    discountTotal: num(r.discountTotal),
    vatTotal: num(r.vatTotal),
    total: num(r.total),
    vatLines: r.vatLines,
    discountPercent: num(r.discountPercent),
    approvalStatus: r.approvalStatus,
    approvedDiscountPercent:
      r.approvedDiscountPercent === null ? null : Number(r.approvedDiscountPercent),
    approvalComment: r.approvalComment,
    approvedBy: r.approvedById ? { id: r.approvedById, name: r.approvedByName ?? '' } : null,
    approvedAt: r.approvedAt,
    revision: r.revision,
    sentAt: r.sentAt,
    acceptedAt: r.acceptedAt,
    rejectedAt: r.rejectedAt,
    rejectReason: r.rejectReason,
    expired: r.expired,
    ...presentRecordTail(r),
  };
}

export const quoteKind: RecordKind<QuoteResponse, QuoteInput, repo.QuoteRecordRow> = {
  ...recordWriter<QuoteInput, QuoteRow, Values>({
    objectKey: OBJECT,
    load: repo.getQuoteRow,
    normalize: quoteValues,
    check: checkQuote,
    insert: repo.insertQuote,
    update: repo.updateQuote,
  }),
  columns: (actor) => repo.quoteColumns(actor),
  present: presentQuote,
  patchSchema: quoteCreateBody,
};

// ---------------------------------------------------------------------------------------------
// Status and approval (POST /quotes/:id/<action>)

/** The discount limit of the actor's role (percent), or null: no limit. */
export async function discountLimit(tx: Tx, actor: Actor): Promise<number | null> {
  if (can(actor, OBJECT, 'approve')) return null;
  const [row] = await queryRows<{ max: string | number }>(
    tx,
    sql`SELECT dl.max_percent AS max FROM discount_limits dl
          JOIN workspace_members m ON m.role_id = dl.role_id
         WHERE m.user_id = ${actor.userId}`,
  );
  return row ? Number(row.max) : null;
}

function needsApproval(q: QuoteRow, limit: number | null): boolean {
  const percent = Number(q.discountPercent);
  if (limit === null || percent <= limit) return false;
  return !(q.approvalStatus === 'approved' && Number(q.approvedDiscountPercent ?? -1) >= percent);
}

/** Why a quote's lines cannot change (not a draft), for the line items' editor. */
/** A quote's lines change only while it is a draft. */
export const quoteLockedReason = lockedUnlessDraft('quotes', messages.notDraft);

/** After lines changed: an approval given for a smaller discount no longer holds. */
export async function linesChanged(tx: Tx, _actor: Actor, id: string): Promise<void> {
  await tx.execute(sql`
    UPDATE quotes SET approval_status = 'none', approved_discount_percent = NULL,
                      approved_by = NULL, approved_at = NULL
     WHERE id = ${id} AND approval_status IN ('approved', 'rejected')
       AND discount_percent > coalesce(approved_discount_percent, -1)`);
}

export const quoteActions = [
  'send',
  'accept',
  'reject',
  'revise',
  'request-approval',
  'approve',
  'reject-approval',
] as const;
export type QuoteAction = (typeof quoteActions)[number];

/** Users who may approve quotes: active members whose role grants `approve` on quotes. */
async function approvers(tx: Tx): Promise<string[]> {
  const rows = await queryRows<{
    userId: string;
    key: string | null;
    isAdmin: boolean;
    permissions: RolePermissions;
  }>(
    tx,
    sql`SELECT m.user_id AS "userId", ro.key, ro.is_admin AS "isAdmin", ro.permissions
          FROM workspace_members m JOIN roles ro ON ro.id = m.role_id
         WHERE m.status = 'active'`,
  );
  return rows.filter((r) => effectivePermissions(r)[OBJECT]?.approve === true).map((r) => r.userId);
}

export async function runQuoteAction(
  ctx: AppContext,
  actor: Actor,
  id: string,
  action: QuoteAction,
  comment: string | null,
): Promise<QuoteResponse> {
  const needsApprove = action === 'approve' || action === 'reject-approval';
  authorize(actor, OBJECT, needsApprove ? 'approve' : 'update');
  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, OBJECT, id, needsApprove ? 'read' : 'update');
    const before = await repo.getQuoteRow(tx, id, { forUpdate: true });
    if (!before) throw new AppError('NOT_FOUND');
    const refuse = (): never => {
      throw new AppError('INVALID_STATUS', {
        text: messages.transition(
          before.status,
          action === 'request-approval' ? 'requestApproval' : action,
        ),
        details: { status: before.status, action },
      });
    };
    const changes: Partial<repo.QuoteValues> = { updatedBy: actor.userId };
    const notes: Parameters<typeof notifyMany>[2] = [];
    const record = { object: OBJECT, id };
    switch (action) {
      case 'send': {
        if (before.status !== 'draft') refuse();
        const lines = await linesOf(tx, OBJECT, id);
        if (lines.length === 0)
          throw new AppError('VALIDATION_FAILED', {
            text: messages.noLines,
            details: {
              fields: [{ path: 'lineItems', message: messages.noLines.en, text: messages.noLines }],
            },
          });
        const trashed = lines.find((l) => l.productDeleted);
        if (trashed)
          throw new AppError('RECORD_LOCKED', { text: messages.trashedProduct(trashed.name) });
        const limit = await discountLimit(tx, actor);
        if (needsApproval(before, limit)) {
          if (before.approvalStatus === 'pending') {
            throw new AppError('APPROVAL_REQUIRED', { text: messages.approvalPending });
          }
          throw new AppError('APPROVAL_REQUIRED', {
            text: messages.approvalRequired(Number(before.discountPercent), limit ?? 0),
            details: { discountPercent: Number(before.discountPercent), limit },
          });
        }
        Object.assign(changes, { status: 'sent', sentAt: new Date() });
        break;
      }
      case 'accept':
        if (before.status !== 'sent') refuse();
        Object.assign(changes, { status: 'accepted', acceptedAt: new Date() });
        break;
      case 'reject':
        if (before.status !== 'sent') refuse();
        Object.assign(changes, {
          status: 'rejected',
          rejectedAt: new Date(),
          rejectReason: comment,
        });
        break;
      case 'revise': {
        if (!['sent', 'rejected', 'expired'].includes(before.status)) refuse();
        const [current] = await loadRecords(tx, actor, quoteKind, [id]);
        await tx.execute(sql`
          INSERT INTO quote_revisions (workspace_id, quote_id, revision, snapshot, created_by)
          VALUES (${actor.workspaceId}, ${id}, ${before.revision},
                  ${JSON.stringify({ quote: current ?? null, lines: await linesOf(tx, OBJECT, id) })}::jsonb,
                  ${actor.userId})`);
        Object.assign(changes, {
          status: 'draft',
          revision: before.revision + 1,
          sentAt: null,
          rejectedAt: null,
          rejectReason: null,
        });
        break;
      }
      case 'request-approval': {
        if (before.status !== 'draft' || before.approvalStatus === 'pending') refuse();
        const limit = await discountLimit(tx, actor);
        if (!needsApproval(before, limit)) {
          throw new AppError('CONFLICT', { text: messages.approvalNotNeeded });
        }
        Object.assign(changes, { approvalStatus: 'pending', approvalComment: comment });
        notes.push({
          userIds: (await approvers(tx)).filter((u) => u !== actor.userId),
          kind: 'quote_approval_requested',
          params: { discountPercent: Number(before.discountPercent), comment },
          record,
        });
        break;
      }
      case 'approve':
      case 'reject-approval': {
        if (before.approvalStatus !== 'pending') {
          throw new AppError('INVALID_STATUS', { text: messages.notPending });
        }
        const approved = action === 'approve';
        Object.assign(changes, {
          approvalStatus: approved ? 'approved' : 'rejected',
          approvedDiscountPercent: approved ? Number(before.discountPercent) : null,
          approvalComment: comment,
          approvedBy: actor.userId,
          approvedAt: new Date(),
        });
        const whom = [before.ownerId, before.updatedBy].filter(
          (u): u is string => !!u && u !== actor.userId,
        );
        notes.push({
          userIds: [...new Set(whom)],
          kind: approved ? 'quote_approved' : 'quote_approval_rejected',
          params: { discountPercent: Number(before.discountPercent), comment },
          record,
        });
        break;
      }
    }
    const after = await repo.updateQuote(tx, id, changes);
    const keys = Object.keys(changes).filter((k) => k !== 'updatedBy') as (keyof QuoteRow)[];
    await auditChange(
      tx,
      actor,
      OBJECT,
      id,
      Object.fromEntries(keys.map((k) => [k, before[k]])),
      Object.fromEntries(keys.map((k) => [k, after[k]])),
    );
    if (notes.some((n) => n.userIds.length > 0)) {
      await notifyMany(
        tx,
        actor,
        notes.filter((n) => n.userIds.length > 0),
      );
    }
    const [presented] = await loadRecords(tx, actor, quoteKind, [id]);
    if (!presented) throw new AppError('NOT_FOUND');
    return presented;
  });
}

/** The daily job: sent quotes past their validity date (in the workspace's time zone) expire. */
export async function expireQuotes(tx: Tx): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE quotes q SET status = 'expired', updated_at = now()
          FROM workspaces w
         WHERE w.id = q.workspace_id AND q.status = 'sent' AND q.deleted_at IS NULL
           AND q.valid_until < (now() AT TIME ZONE w.timezone)::date
        RETURNING q.id`,
  );
  return rows.length;
}
