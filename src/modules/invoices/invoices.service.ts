import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { normalizeText } from '../../lib/vn/names.js';
import { getCompanyProfile } from '../company-profile/company-profile.service.js';
import { linesOf, writeLineItems } from '../line-items/line-items.service.js';
import { nextNumber } from '../numbering/numbering.service.js';
import { loadAccessibleRecord } from '../records/access.js';
import type { RecordKind } from '../records/kinds.js';
import { FieldErrors, normalizeTags } from '../records/normalize.js';
import { recordWriter } from '../records/writer.js';
import {
  changeDocument,
  lockedUnlessDraft,
  presentedOne,
  presentRecordTail,
  quantityMilli,
  documentSearchKeys,
} from '../selling/documents.js';
import { addDays, checkCustomer, presentCustomer, workspaceDates } from '../selling/customer.js';
import { milliText } from '../stock/stock.service.js';
import * as repo from './invoices.repository.js';
import { invoiceCreateBody, type InvoiceInput, type InvoiceResponse } from './invoices.schemas.js';
import type { InvoiceRow, InvoiceStatus } from './invoices.table.js';

const OBJECT = 'invoices';

export const messages = {
  notDraft: {
    vi: 'Hoá đơn đã phát hành không sửa được: hãy huỷ hoá đơn (giữ số) và lập hoá đơn mới.',
    en: 'An issued invoice cannot be changed: void it (it keeps its number) and make a new one.',
  },
  noLines: { vi: 'Hoá đơn chưa có dòng hàng nào.', en: 'The invoice has no lines.' },
  dueBeforeIssue: {
    vi: 'Hạn thanh toán phải từ ngày hoá đơn trở đi.',
    en: 'The due date cannot be before the invoice date.',
  },
  paidCannotVoid: {
    vi: 'Hoá đơn đã có tiền thanh toán: hãy đảo các phiếu thu trước khi huỷ.',
    en: 'Payments are allocated to this invoice: reverse them before voiding it.',
  },
  transition: (from: InvoiceStatus, what: LocalisedText): LocalisedText => ({
    vi: `Không thể ${what.vi} một hoá đơn ở trạng thái "${statusWords[from].vi}".`,
    en: `A ${statusWords[from].en.toLowerCase()} invoice cannot be ${what.en}.`,
  }),
  orderNotConfirmed: {
    vi: 'Chỉ lập hoá đơn cho đơn hàng đã xác nhận.',
    en: 'Only a confirmed order is invoiced.',
  },
  nothingToInvoice: {
    vi: 'Không còn hàng đã giao nào chưa lập hoá đơn.',
    en: 'Nothing delivered is left to invoice.',
  },
  lineNotFound: { vi: 'Dòng này không thuộc đơn hàng.', en: 'This line is not on the order.' },
  overInvoice: (left: string): LocalisedText => ({
    vi: `Nhiều hơn số đã giao mà chưa lập hoá đơn (${left}).`,
    en: `More than was delivered and not invoiced (${left}).`,
  }),
  badQuantity: {
    vi: 'Số lượng phải lớn hơn 0, tối đa 3 chữ số thập phân.',
    en: 'The quantity must be above 0, with at most 3 decimals.',
  },
};

const statusWords: Record<InvoiceStatus, LocalisedText> = {
  draft: { vi: 'Nháp', en: 'Draft' },
  issued: { vi: 'Đã phát hành', en: 'Issued' },
  partly_paid: { vi: 'Thanh toán một phần', en: 'Partly paid' },
  paid: { vi: 'Đã thanh toán', en: 'Paid' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  void: { vi: 'Đã huỷ', en: 'Void' },
};

const documentFields = [
  'companyId',
  'contactId',
  'dealId',
  'issueDate',
  'dueDate',
  'paymentTermsDays',
] as const;

export function invoiceValues(before: InvoiceRow | null, input: InvoiceInput, errors: FieldErrors) {
  void errors;
  const keep = <T>(v: T | undefined, b: T | null | undefined): T | null =>
    v !== undefined ? v : (b ?? null);
  const subject =
    input.subject !== undefined
      ? normalizeText(input.subject ?? '') || null
      : (before?.subject ?? null);
  const number = before?.number ?? '';
  return {
    number,
    subject,
    companyId: keep(input.companyId, before?.companyId),
    contactId: keep(input.contactId, before?.contactId),
    dealId: keep(input.dealId, before?.dealId),
    issueDate: input.issueDate ?? before?.issueDate ?? '',
    paymentTermsDays: input.paymentTermsDays ?? before?.paymentTermsDays ?? -1,
    dueDate: input.dueDate ?? '',
    terms: input.terms !== undefined ? input.terms?.trim() || null : (before?.terms ?? null),
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    ...documentSearchKeys(number, subject),
  };
}

type Values = ReturnType<typeof invoiceValues>;

async function checkInvoice(
  tx: Tx,
  write: {
    id: string | null;
    before: InvoiceRow | null;
    values: Values;
    errors: FieldErrors;
    input: InvoiceInput;
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
  if (!values.issueDate) values.issueDate = (await workspaceDates(tx, 0)).today;
  if (values.paymentTermsDays < 0) {
    // The customer's terms (its company's, else its contact's), else the business profile's.
    const [own] = await queryRows<{ days: number | null }>(
      tx,
      sql`SELECT coalesce(
            (SELECT payment_terms_days FROM companies WHERE id = ${values.companyId}::uuid),
            (SELECT payment_terms_days FROM contacts WHERE id = ${values.contactId}::uuid)) AS days`,
    );
    values.paymentTermsDays = own?.days ?? (await getCompanyProfile(tx)).paymentTermsDays;
  }
  if (!values.dueDate) {
    values.dueDate =
      input.issueDate === undefined && input.paymentTermsDays === undefined && before
        ? before.dueDate
        : await addDays(tx, values.issueDate, values.paymentTermsDays);
  }
  if (values.dueDate < values.issueDate)
    errors.add('dueDate', messages.dueBeforeIssue, 'before_issue');
  if (!before && errors.empty) {
    // Taken in the transaction that writes the invoice: gap-free, and never given back (an
    // invoice is voided, not deleted).
    values.number = await nextNumber(tx, OBJECT, values.issueDate);
    Object.assign(values, documentSearchKeys(values.number, values.subject));
  }
}

const num = (v: number | string) => Number(v);

function presentInvoice(r: repo.InvoiceRecordRow): InvoiceResponse {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status,
    ...presentCustomer(r),
    orderId: r.orderId,
    order: r.orderId && r.orderNumber !== null ? { id: r.orderId, name: r.orderNumber } : null,
    issueDate: r.issueDate,
    dueDate: r.dueDate,
    paymentTermsDays: r.paymentTermsDays,
    terms: r.terms,
    subtotal: num(r.subtotal),
    discountTotal: num(r.discountTotal),
    vatTotal: num(r.vatTotal),
    total: num(r.total),
    vatLines: r.vatLines,
    paidAmount: num(r.paidAmount),
    balance: num(r.balance),
    issuedAt: r.issuedAt,
    voidedAt: r.voidedAt,
    voidReason: r.voidReason,
    ...presentRecordTail(r),
  };
}

export const invoiceKind: RecordKind<InvoiceResponse, InvoiceInput, repo.InvoiceRecordRow> = {
  ...recordWriter<InvoiceInput, InvoiceRow, Values>({
    objectKey: OBJECT,
    load: repo.getInvoiceRow,
    normalize: invoiceValues,
    check: checkInvoice,
    insert: repo.insertInvoice,
    update: repo.updateInvoice,
  }),
  columns: (actor) =>
    repo.invoiceColumns(
      can(actor, 'orders', 'read')
        ? (scopeCondition(actor, 'orders', sql`x.owner_id`) ?? undefined)
        : null,
      actor,
    ),
  present: presentInvoice,
  patchSchema: invoiceCreateBody,
};

/** An invoice's lines change only while it is a draft. */
export const invoiceLockedReason = lockedUnlessDraft('invoices', messages.notDraft);

async function lockedInvoice(tx: Tx, actor: Actor, id: string): Promise<InvoiceRow> {
  await loadAccessibleRecord(tx, actor, OBJECT, id, 'read');
  const invoice = await repo.getInvoiceRow(tx, id, { forUpdate: true });
  if (!invoice) throw new AppError('NOT_FOUND');
  return invoice;
}

/** Issue a draft (needs `approve` on invoices): its lines are fixed; it may be paid. */
export async function issueInvoice(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<InvoiceResponse> {
  authorize(actor, OBJECT, 'approve');
  return ctx.db.tenant(actor, async (tx) => {
    const invoice = await lockedInvoice(tx, actor, id);
    if (invoice.status !== 'draft') {
      throw new AppError('INVALID_STATUS', {
        text: messages.transition(invoice.status, { vi: 'phát hành', en: 'issued' }),
      });
    }
    const lines = await linesOf(tx, OBJECT, id);
    if (lines.length === 0 || Number(invoice.total) <= 0) {
      throw new AppError('VALIDATION_FAILED', {
        text: messages.noLines,
        details: {
          fields: [{ path: 'lineItems', message: messages.noLines.en, text: messages.noLines }],
        },
      });
    }
    const [today] = await queryRows<{ overdue: boolean }>(
      tx,
      sql`SELECT ${invoice.dueDate}::date < (now() AT TIME ZONE w.timezone)::date AS overdue
            FROM workspaces w WHERE w.id = sen_workspace_id()`,
    );
    await changeDocument(tx, actor, OBJECT, repo.updateInvoice, invoice, {
      status: today?.overdue ? 'overdue' : 'issued',
      issuedAt: new Date(),
    });
    return presentedOne(tx, actor, invoiceKind, id);
  });
}

/** Void with a reason (needs `approve`): keeps its number; refused while payments are on it. */
export async function voidInvoice(ctx: AppContext, actor: Actor, id: string, reason: string) {
  authorize(actor, OBJECT, 'approve');
  return ctx.db.tenant(actor, async (tx) => {
    const invoice = await lockedInvoice(tx, actor, id);
    if (invoice.status === 'void') {
      throw new AppError('INVALID_STATUS', {
        text: messages.transition(invoice.status, { vi: 'huỷ', en: 'voided' }),
      });
    }
    if (Number(invoice.paidAmount) > 0)
      throw new AppError('INVALID_STATUS', { text: messages.paidCannotVoid });
    await changeDocument(tx, actor, OBJECT, repo.updateInvoice, invoice, {
      status: 'void',
      voidedAt: new Date(),
      voidReason: reason.trim(),
    });
    return presentedOne(tx, actor, invoiceKind, id);
  });
}

/**
 * A draft invoice for what an order delivered and did not invoice yet (or the given
 * quantities of it): its customer, deal and lines at the order's prices.
 */
export async function invoiceFromOrder(
  ctx: AppContext,
  actor: Actor,
  orderId: string,
  wanted?: { lineId: string; quantity: number | string }[],
): Promise<InvoiceResponse> {
  authorize(actor, OBJECT, 'create');
  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'orders', orderId, 'read');
    const [order] = await queryRows<{
      status: string;
      companyId: string | null;
      contactId: string | null;
      dealId: string | null;
      subject: string | null;
    }>(
      tx,
      sql`SELECT status, company_id AS "companyId", contact_id AS "contactId", deal_id AS "dealId",
                 subject FROM orders WHERE id = ${orderId} FOR UPDATE`,
    );
    if (!order) throw new AppError('NOT_FOUND');
    if (order.status !== 'confirmed' && order.status !== 'completed') {
      throw new AppError('INVALID_STATUS', { text: messages.orderNotConfirmed });
    }
    const open = await queryRows<{ lineId: string; left: string }>(
      tx,
      sql`SELECT l.id AS "lineId",
                 ((coalesce((SELECT sum(dl.quantity) FROM order_delivery_lines dl WHERE dl.order_line_id = l.id), 0)
                  - coalesce((SELECT sum(il.quantity) FROM invoice_lines il JOIN invoices i ON i.id = il.parent_id
                               WHERE il.source_line_id = l.id AND i.status <> 'void'), 0)) * 1000)::bigint::text AS left
            FROM order_lines l WHERE l.parent_id = ${orderId} ORDER BY l.position`,
    );
    const left = new Map(open.map((o) => [o.lineId, Number(o.left)]));
    const take = new Map<string, number>();
    const errors = new FieldErrors();
    if (wanted) {
      wanted.forEach((w, n) => {
        const l = left.get(w.lineId);
        if (l === undefined)
          return errors.add(`lines.${n}.lineId`, messages.lineNotFound, 'not_found');
        const milli = quantityMilli(w.quantity);
        if (milli === null) {
          return errors.add(`lines.${n}.quantity`, messages.badQuantity, 'invalid');
        }
        const q = milli + (take.get(w.lineId) ?? 0);
        if (q > l)
          return errors.add(
            `lines.${n}.quantity`,
            messages.overInvoice(String(Number(milliText(l)))),
            'over_invoice',
          );
        take.set(w.lineId, q);
      });
    } else {
      for (const [lineId, l] of left) if (l > 0) take.set(lineId, l);
    }
    errors.throwIfAny();
    if (take.size === 0) throw new AppError('CONFLICT', { text: messages.nothingToInvoice });
    const id = await invoiceKind.create(tx, actor, {
      companyId: order.companyId,
      contactId: order.contactId,
      dealId: order.dealId,
      subject: order.subject,
    });
    await tx.execute(sql`UPDATE invoices SET order_id = ${orderId} WHERE id = ${id}`);
    const lines = (await linesOf(tx, 'orders', orderId)).filter((l) => take.has(l.id));
    await writeLineItems(
      tx,
      actor,
      OBJECT,
      id,
      lines.map((l) => ({
        sourceLineId: l.id,
        productId: l.productId,
        name: l.name,
        sku: l.sku,
        description: l.description,
        unit: l.unit,
        quantity: milliText(take.get(l.id) ?? 0),
        unitPrice: l.unitPrice,
        // An amount discount is the order line's: prorated, it becomes a percent of the part.
        discount:
          l.discount?.kind === 'amount' && l.grossAmount > 0
            ? {
                kind: 'percent' as const,
                value: Math.round((l.discountAmount * 10_000) / l.grossAmount) / 100,
              }
            : l.discount,
        vatRate: l.vatRate,
      })),
    );
    return presentedOne(tx, actor, invoiceKind, id);
  });
}

/** The daily job: issued or partly paid invoices past their due date become overdue. */
export async function markOverdue(tx: Tx): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE invoices i SET status = 'overdue'
          FROM workspaces w
         WHERE w.id = i.workspace_id AND i.status IN ('issued', 'partly_paid')
           AND i.deleted_at IS NULL AND i.due_date < (now() AT TIME ZONE w.timezone)::date
        RETURNING i.id`,
  );
  return rows.length;
}
