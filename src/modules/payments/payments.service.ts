import { sql } from 'drizzle-orm';
import { auditChange } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import { isoText, queryRows, uuidArray } from '../../db/sql.js';
import { nextNumber } from '../numbering/numbering.service.js';
import { loadAccessibleRecord } from '../records/access.js';
import { loadRecords, type RecordKind } from '../records/kinds.js';
import { FieldErrors, normalizeTags } from '../records/normalize.js';
import { recordWriter } from '../records/writer.js';
import {
  customerColumns,
  customerMessages,
  presentCustomer,
  workspaceDates,
  type CustomerRow,
} from '../selling/customer.js';
import { documentRows } from '../selling/repository.js';
import {
  presentRecordTail,
  recordTailColumns,
  type RecordTailRow,
  documentSearchKeys,
} from '../selling/documents.js';
import { paymentCreateBody, type PaymentInput, type PaymentResponse } from './payments.schemas.js';
import {
  payments,
  type PaymentMethod,
  type PaymentRow,
  type PaymentStatus,
} from './payments.table.js';

const OBJECT = 'payments';

export const messages = {
  customerRequired: {
    vi: 'Cần chọn khách hàng trả tiền: một công ty hoặc một người liên hệ.',
    en: 'Choose the paying customer: a company or a contact.',
  },
  invoiceNotFound: { vi: 'Không tìm thấy hoá đơn này.', en: 'No such invoice.' },
  otherCustomer: {
    vi: 'Hoá đơn này của khách hàng khác: không trừ tiền của khách này vào được.',
    en: 'This invoice is another customer’s: this payment cannot go to it.',
  },
  notPayable: {
    vi: 'Hoá đơn chưa phát hành, đã thanh toán đủ hoặc đã huỷ.',
    en: 'The invoice is a draft, fully paid or void.',
  },
  overBalance: (balance: number): LocalisedText => ({
    vi: `Nhiều hơn số còn phải thu của hoá đơn (${balance.toLocaleString('vi-VN')} đ).`,
    en: `More than the invoice's balance (${balance.toLocaleString('en-US')} ₫).`,
  }),
  overPayment: (left: number): LocalisedText => ({
    vi: `Tổng phân bổ vượt số tiền còn lại của phiếu thu (${left.toLocaleString('vi-VN')} đ).`,
    en: `The allocations exceed what is left of the payment (${left.toLocaleString('en-US')} ₫).`,
  }),
  reversed: { vi: 'Phiếu thu đã bị đảo.', en: 'The payment was reversed.' },
};

export interface PaymentRecordRow extends Omit<CustomerRow, 'dealId' | 'dealName'>, RecordTailRow {
  id: string;
  number: string;
  status: PaymentStatus;
  paymentDate: string;
  method: PaymentMethod;
  amount: number | string;
  allocatedAmount: number | string;
  creditAmount: number | string;
  reference: string | null;
  note: string | null;
  reversedAt: string | null;
  reverseReason: string | null;
}

const rows = documentRows(payments, 'payment');

function paymentValues(before: PaymentRow | null, input: PaymentInput, errors: FieldErrors) {
  void errors;
  const number = before?.number ?? '';
  const reference =
    input.reference !== undefined ? input.reference?.trim() || null : (before?.reference ?? null);
  return {
    number,
    paymentDate: before?.paymentDate ?? input.paymentDate ?? '',
    method: before?.method ?? input.method,
    amount: before?.amount ?? input.amount,
    companyId: before ? before.companyId : (input.companyId ?? null),
    contactId: before ? before.contactId : (input.contactId ?? null),
    reference,
    note: input.note !== undefined ? input.note?.trim() || null : (before?.note ?? null),
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    ...documentSearchKeys(number, reference),
  };
}

type Values = ReturnType<typeof paymentValues>;

async function checkPayment(
  tx: Tx,
  write: {
    id: string | null;
    before: PaymentRow | null;
    values: Values;
    errors: FieldErrors;
    input: PaymentInput;
  },
): Promise<void> {
  const { before, values, errors } = write;
  if (before) return;
  if (!values.companyId && !values.contactId)
    errors.add('companyId', messages.customerRequired, 'required');
  for (const [key, table, text] of [
    ['companyId', 'companies', customerMessages.companyNotFound],
    ['contactId', 'contacts', customerMessages.contactNotFound],
  ] as const) {
    const id = values[key];
    if (!id) continue;
    const found = await queryRows(
      tx,
      sql`SELECT 1 FROM ${sql.identifier(table)} WHERE id = ${id} AND deleted_at IS NULL`,
    );
    if (found.length === 0) errors.add(key, text, 'not_found');
  }
  if (!values.paymentDate) values.paymentDate = (await workspaceDates(tx, 0)).today;
  if (errors.empty) {
    values.number = await nextNumber(tx, OBJECT, values.paymentDate);
    Object.assign(values, documentSearchKeys(values.number, values.reference));
  }
}

/**
 * Apply a payment to invoices of its customer, in the caller's transaction (the payment and the
 * invoices locked): each amount at most the invoice's balance, all of them at most what is left
 * of the payment. Triggers keep the invoices' paid amounts and statuses, the payment's allocated
 * amount and the customer's figures.
 */
export async function allocate(
  tx: Tx,
  actor: Actor,
  paymentId: string,
  allocations: { invoiceId: string; amount: number }[],
  path = 'allocations',
): Promise<void> {
  const payment = await rows.get(tx, paymentId, { forUpdate: true });
  if (!payment) throw new AppError('NOT_FOUND');
  if (payment.status !== 'posted')
    throw new AppError('INVALID_STATUS', { text: messages.reversed });
  const ids = [...new Set(allocations.map((a) => a.invoiceId))];
  const invoices = await queryRows<{
    id: string;
    status: string;
    companyId: string | null;
    contactId: string | null;
    balance: string;
  }>(
    tx,
    sql`SELECT id, status, company_id AS "companyId", contact_id AS "contactId",
               (total - paid_amount)::text AS balance
          FROM invoices WHERE id = ANY(${uuidArray(ids)}) AND deleted_at IS NULL
         ORDER BY id FOR UPDATE`,
  );
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const errors = new FieldErrors();
  const taken = new Map<string, number>();
  let sum = 0;
  allocations.forEach((a, n) => {
    const at = `${path}.${n}`;
    const inv = byId.get(a.invoiceId);
    if (!inv) return errors.add(`${at}.invoiceId`, messages.invoiceNotFound, 'not_found');
    const same = payment.companyId
      ? inv.companyId === payment.companyId
      : inv.contactId === payment.contactId;
    if (!same) return errors.add(`${at}.invoiceId`, messages.otherCustomer, 'other_customer');
    if (!['issued', 'partly_paid', 'overdue'].includes(inv.status)) {
      return errors.add(`${at}.invoiceId`, messages.notPayable, 'not_payable');
    }
    const left = Number(inv.balance) - (taken.get(inv.id) ?? 0);
    if (a.amount > left)
      return errors.add(`${at}.amount`, messages.overBalance(left), 'over_balance');
    taken.set(inv.id, (taken.get(inv.id) ?? 0) + a.amount);
    sum += a.amount;
  });
  const free = Number(payment.amount) - Number(payment.allocatedAmount);
  if (errors.empty && sum > free) errors.add(path, messages.overPayment(free), 'over_payment');
  errors.throwIfAny();
  for (const a of allocations) {
    await tx.execute(sql`
      INSERT INTO payment_allocations (workspace_id, payment_id, invoice_id, amount, created_by)
      VALUES (${actor.workspaceId}, ${paymentId}, ${a.invoiceId}, ${a.amount}, ${actor.userId})`);
  }
  await auditChange(
    tx,
    actor,
    OBJECT,
    paymentId,
    { allocatedAmount: Number(payment.allocatedAmount) },
    {
      allocatedAmount: Number(payment.allocatedAmount) + sum,
      allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount })),
    },
  );
}

export const paymentKind: RecordKind<PaymentResponse, PaymentInput, PaymentRecordRow> = {
  ...recordWriter<PaymentInput, PaymentRow, Values>({
    objectKey: OBJECT,
    load: rows.get,
    normalize: paymentValues,
    check: checkPayment,
    insert: rows.insert,
    update: rows.update,
    async afterWrite(tx, actor, writes) {
      for (const w of writes) {
        if (!w.before && w.input.allocations?.length)
          await allocate(tx, actor, w.id, w.input.allocations);
      }
    },
  }),
  columns: (actor) => sql`r.id, r.number, r.status, r.payment_date::text AS "paymentDate", r.method,
    r.amount, r.allocated_amount AS "allocatedAmount",
    (CASE WHEN r.status = 'posted' THEN r.amount - r.allocated_amount ELSE 0 END) AS "creditAmount",
    ${customerColumns(actor, { deal: false })}, r.reference, r.note,
    ${isoText(sql`r.reversed_at`)} AS "reversedAt", r.reverse_reason AS "reverseReason",
    ${recordTailColumns}`,
  present: (r) => {
    const customer = presentCustomer({ ...r, dealId: null, dealName: null });
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      paymentDate: r.paymentDate,
      method: r.method,
      amount: Number(r.amount),
      allocatedAmount: Number(r.allocatedAmount),
      creditAmount: Number(r.creditAmount),
      companyId: customer.companyId,
      company: customer.company,
      contactId: customer.contactId,
      contact: customer.contact,
      reference: r.reference,
      note: r.note,
      reversedAt: r.reversedAt,
      reverseReason: r.reverseReason,
      ...presentRecordTail(r),
    };
  },
  patchSchema: paymentCreateBody,
};

async function presented(tx: Tx, actor: Actor, id: string) {
  const [p] = await loadRecords(tx, actor, paymentKind, [id]);
  if (!p) throw new AppError('NOT_FOUND');
  return p;
}

/** Apply what is left of a payment (the customer's credit) to invoices. */
export async function allocatePayment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  allocations: { invoiceId: string; amount: number }[],
) {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, OBJECT, id, 'update');
    await allocate(tx, actor, id, allocations);
    return presented(tx, actor, id);
  });
}

/**
 * Reverse a payment (needs `approve` on payments): it and its allocations stay, marked reversed
 * with the reason; the invoices it paid are open again. Never an edit.
 */
export async function reversePayment(ctx: AppContext, actor: Actor, id: string, reason: string) {
  authorize(actor, OBJECT, 'approve');
  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, OBJECT, id, 'read');
    const before = await rows.get(tx, id, { forUpdate: true });
    if (!before) throw new AppError('NOT_FOUND');
    if (before.status !== 'posted')
      throw new AppError('INVALID_STATUS', { text: messages.reversed });
    await tx.execute(sql`UPDATE payment_allocations SET reversed_at = now()
                          WHERE payment_id = ${id} AND reversed_at IS NULL`);
    const after = await rows.update(tx, id, {
      status: 'reversed',
      reversedAt: new Date(),
      reversedBy: actor.userId,
      reverseReason: reason.trim(),
      updatedBy: actor.userId,
    });
    await auditChange(
      tx,
      actor,
      OBJECT,
      id,
      { status: before.status, reverseReason: null },
      { status: after.status, reverseReason: after.reverseReason },
    );
    return presented(tx, actor, id);
  });
}

export async function allocationsOf(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, OBJECT, 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, OBJECT, id, 'read');
    const items = await queryRows<{
      id: string;
      invoiceId: string;
      invoiceNumber: string | null;
      amount: string;
      createdAt: string;
      reversedAt: string | null;
    }>(
      tx,
      sql`SELECT a.id, a.invoice_id AS "invoiceId", i.number AS "invoiceNumber", a.amount::text AS amount,
                 ${isoText(sql`a.created_at`)} AS "createdAt", ${isoText(sql`a.reversed_at`)} AS "reversedAt"
            FROM payment_allocations a LEFT JOIN invoices i ON i.id = a.invoice_id
           WHERE a.payment_id = ${id} ORDER BY a.created_at, a.id`,
    );
    return {
      items: items.map((a) => ({
        id: a.id,
        invoiceId: a.invoiceId,
        invoice: a.invoiceNumber ? { id: a.invoiceId, name: a.invoiceNumber } : null,
        amount: Number(a.amount),
        createdAt: a.createdAt,
        reversedAt: a.reversedAt,
      })),
    };
  });
}
