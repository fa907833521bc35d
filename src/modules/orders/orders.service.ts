import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import { normalizeText } from '../../lib/vn/names.js';
import { linesOf, writeLineItems } from '../line-items/line-items.service.js';
import { notifyMany } from '../notifications/notify.js';
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
import { checkCustomer, presentCustomer, workspaceDates } from '../selling/customer.js';
import * as stock from '../stock/stock.service.js';
import { milliText } from '../stock/stock.service.js';
import * as repo from './orders.repository.js';
import { orderCreateBody, type OrderInput, type OrderResponse } from './orders.schemas.js';
import type { OrderRow, OrderStatus } from './orders.table.js';
import './orders.notifications.js';

const OBJECT = 'orders';

export const messages = {
  notDraft: {
    vi: 'Đơn hàng đã xác nhận: không sửa được hàng hoá và khách hàng của nó nữa (hãy huỷ và lập đơn mới).',
    en: 'A confirmed order’s goods and customer cannot change (cancel it and make a new one).',
  },
  noLines: { vi: 'Đơn hàng chưa có dòng hàng nào.', en: 'The order has no lines.' },
  warehouseNotFound: { vi: 'Không tìm thấy kho này.', en: 'No such warehouse.' },
  endBeforeStart: {
    vi: 'Ngày hết hạn phải sau ngày đặt hàng.',
    en: 'The end date must be after the order date.',
  },
  transition: (from: OrderStatus, what: LocalisedText): LocalisedText => ({
    vi: `Không thể ${what.vi} một đơn hàng ở trạng thái "${statusWords[from].vi}".`,
    en: `A ${statusWords[from].en.toLowerCase()} order cannot be ${what.en}.`,
  }),
  quoteNotAccepted: {
    vi: 'Chỉ lập đơn hàng từ báo giá khách đã đồng ý.',
    en: 'Only an accepted quote becomes an order.',
  },
  quoteHasOrder: (number: string): LocalisedText => ({
    vi: `Báo giá này đã có đơn hàng ${number}.`,
    en: `This quote already has the order ${number}.`,
  }),
  nothingToDeliver: { vi: 'Không còn gì để giao.', en: 'Nothing is left to deliver.' },
  lineNotFound: { vi: 'Dòng này không thuộc đơn hàng.', en: 'This line is not on the order.' },
  overDelivery: (remaining: string): LocalisedText => ({
    vi: `Giao nhiều hơn số còn lại (${remaining}).`,
    en: `More than is left to deliver (${remaining}).`,
  }),
  badQuantity: {
    vi: 'Số lượng phải lớn hơn 0, tối đa 3 chữ số thập phân.',
    en: 'The quantity must be above 0, with at most 3 decimals.',
  },
};

const statusWords: Record<OrderStatus, LocalisedText> = {
  draft: { vi: 'Nháp', en: 'Draft' },
  confirmed: { vi: 'Đã xác nhận', en: 'Confirmed' },
  completed: { vi: 'Hoàn tất', en: 'Completed' },
  cancelled: { vi: 'Đã huỷ', en: 'Cancelled' },
};
const confirmWords = { vi: 'xác nhận', en: 'confirmed' };
const deliverWords = { vi: 'giao hàng cho', en: 'delivered' };
const cancelWords = { vi: 'huỷ', en: 'cancelled' };

/** What a confirmed order keeps (its goods are reserved for this customer). */
const lockedFields = ['companyId', 'contactId', 'dealId', 'warehouseId'] as const;

export function orderValues(before: OrderRow | null, input: OrderInput, errors: FieldErrors) {
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
    kind: input.kind ?? before?.kind ?? 'order',
    subject,
    companyId: keep(input.companyId, before?.companyId),
    contactId: keep(input.contactId, before?.contactId),
    dealId: keep(input.dealId, before?.dealId),
    warehouseId: keep(input.warehouseId, before?.warehouseId),
    orderDate: input.orderDate ?? before?.orderDate ?? '',
    signedOn: keep(input.signedOn, before?.signedOn),
    endDate: keep(input.endDate, before?.endDate),
    renewalDate: keep(input.renewalDate, before?.renewalDate),
    renewalReminderDays: keep(input.renewalReminderDays, before?.renewalReminderDays),
    terms: input.terms !== undefined ? input.terms?.trim() || null : (before?.terms ?? null),
    tags: input.tags ? normalizeTags(input.tags) : (before?.tags ?? []),
    ...documentSearchKeys(number, subject),
  };
}

type Values = ReturnType<typeof orderValues>;

async function checkOrder(
  tx: Tx,
  write: {
    id: string | null;
    before: OrderRow | null;
    values: Values;
    errors: FieldErrors;
    input: OrderInput;
  },
): Promise<void> {
  const { before, values, errors, input } = write;
  if (before && before.status !== 'draft') {
    const touched = lockedFields.some(
      (k) => input[k] !== undefined && String(input[k] ?? '') !== String(before[k] ?? ''),
    );
    if (touched) throw new AppError('RECORD_LOCKED', { text: messages.notDraft });
  }
  await checkCustomer(tx, values, before, input, errors);
  if (!values.warehouseId) values.warehouseId = (await stock.defaultWarehouseId(tx)) ?? null;
  else if (values.warehouseId !== before?.warehouseId) {
    const found = await queryRows(
      tx,
      sql`SELECT 1 FROM warehouses WHERE id = ${values.warehouseId} AND archived_at IS NULL`,
    );
    if (found.length === 0) errors.add('warehouseId', messages.warehouseNotFound, 'not_found');
  }
  if (!values.orderDate) values.orderDate = (await workspaceDates(tx, 0)).today;
  if (values.endDate && values.endDate < values.orderDate) {
    errors.add('endDate', messages.endBeforeStart, 'before_start');
  }
  if (!before && errors.empty) {
    values.number = await nextNumber(tx, OBJECT, values.orderDate);
    Object.assign(values, documentSearchKeys(values.number, values.subject));
  }
}

const num = (v: number | string) => Number(v);

function presentOrder(r: repo.OrderRecordRow): OrderResponse {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    subject: r.subject,
    status: r.status,
    deliveryStatus: r.deliveryStatus,
    ...presentCustomer(r),
    quoteId: r.quoteId,
    quote: r.quoteId && r.quoteNumber !== null ? { id: r.quoteId, name: r.quoteNumber } : null,
    warehouseId: r.warehouseId,
    warehouse:
      r.warehouseId && r.warehouseName ? { id: r.warehouseId, name: r.warehouseName } : null,
    orderDate: r.orderDate,
    signedOn: r.signedOn,
    endDate: r.endDate,
    renewalDate: r.renewalDate,
    renewalReminderDays: r.renewalReminderDays,
    terms: r.terms,
    subtotal: num(r.subtotal),
    discountTotal: num(r.discountTotal),
    vatTotal: num(r.vatTotal),
    total: num(r.total),
    vatLines: r.vatLines,
    confirmedAt: r.confirmedAt,
    cancelledAt: r.cancelledAt,
    cancelReason: r.cancelReason,
    ...presentRecordTail(r),
  };
}

export const orderKind: RecordKind<OrderResponse, OrderInput, repo.OrderRecordRow> = {
  ...recordWriter<OrderInput, OrderRow, Values>({
    objectKey: OBJECT,
    load: repo.getOrderRow,
    normalize: orderValues,
    check: checkOrder,
    insert: repo.insertOrder,
    update: repo.updateOrder,
  }),
  columns: (actor) =>
    repo.orderColumns(
      can(actor, 'quotes', 'read')
        ? (scopeCondition(actor, 'quotes', sql`x.owner_id`) ?? undefined)
        : null,
      actor,
    ),
  present: presentOrder,
  patchSchema: orderCreateBody,
};

/** An order's lines change only while it is a draft. */
export const orderLockedReason = lockedUnlessDraft('orders', messages.notDraft);

const stockLines = (lines: { productId: string | null; quantityMilli: number }[]) =>
  lines.flatMap((l) =>
    l.productId && l.quantityMilli > 0
      ? [{ productId: l.productId, quantity: Number(milliText(l.quantityMilli)) }]
      : [],
  );

async function lockedOrder(tx: Tx, actor: Actor, id: string): Promise<OrderRow> {
  await loadAccessibleRecord(tx, actor, OBJECT, id, 'update');
  const order = await repo.getOrderRow(tx, id, { forUpdate: true });
  if (!order) throw new AppError('NOT_FOUND');
  return order;
}

/** Confirm a draft: its goods are reserved in its warehouse (INSUFFICIENT_STOCK otherwise). */
export async function confirmOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<OrderResponse> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const order = await lockedOrder(tx, actor, id);
    if (order.status !== 'draft') {
      throw new AppError('INVALID_STATUS', {
        text: messages.transition(order.status, confirmWords),
      });
    }
    const lines = await repo.lineProgress(tx, id);
    if (lines.length === 0)
      throw new AppError('VALIDATION_FAILED', {
        text: messages.noLines,
        details: {
          fields: [{ path: 'lineItems', message: messages.noLines.en, text: messages.noLines }],
        },
      });
    const reserve = stockLines(lines);
    if (reserve.length > 0 && order.warehouseId) {
      await stock.reserve(tx, actor, {
        warehouseId: order.warehouseId,
        ref: { object: OBJECT, id },
        lines: reserve,
      });
    }
    await changeDocument(tx, actor, OBJECT, repo.updateOrder, order, {
      status: 'confirmed',
      confirmedAt: new Date(),
    });
    return presentedOne(tx, actor, orderKind, id);
  });
}

/** Cancel with a reason: what was reserved and not delivered goes back to the warehouse. */
export async function cancelOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  reason: string,
): Promise<OrderResponse> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const order = await lockedOrder(tx, actor, id);
    if (order.status === 'cancelled' || order.status === 'completed') {
      throw new AppError('INVALID_STATUS', {
        text: messages.transition(order.status, cancelWords),
      });
    }
    if (order.status === 'confirmed' && order.warehouseId) {
      const held = await queryRows(
        tx,
        sql`SELECT 1 FROM order_lines WHERE parent_id = ${id} AND product_id IS NOT NULL LIMIT 1`,
      );
      if (held.length > 0) {
        await stock.release(tx, actor, {
          warehouseId: order.warehouseId,
          ref: { object: OBJECT, id },
        });
      }
    }
    await changeDocument(tx, actor, OBJECT, repo.updateOrder, order, {
      status: 'cancelled',
      cancelledAt: new Date(),
      cancelReason: reason.trim(),
    });
    return presentedOne(tx, actor, orderKind, id);
  });
}

/**
 * Deliver (all that is left, or the given quantities): a delivery note, the goods issued from
 * the warehouse, the order's delivery status (and completed once everything is delivered).
 */
export async function deliverOrder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: {
    deliveredOn?: string | undefined;
    note?: string | null | undefined;
    lines?: { lineId: string; quantity: number | string }[] | undefined;
  },
): Promise<OrderResponse> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const order = await lockedOrder(tx, actor, id);
    if (order.status !== 'confirmed') {
      throw new AppError('INVALID_STATUS', {
        text: messages.transition(order.status, deliverWords),
      });
    }
    const progress = await repo.lineProgress(tx, id);
    const byId = new Map(progress.map((l) => [l.lineId, l]));
    const errors = new FieldErrors();
    const wanted = new Map<string, number>();
    if (input.lines) {
      input.lines.forEach((l, n) => {
        const line = byId.get(l.lineId);
        if (!line) return errors.add(`lines.${n}.lineId`, messages.lineNotFound, 'not_found');
        const milli = quantityMilli(l.quantity);
        if (milli === null) {
          return errors.add(`lines.${n}.quantity`, messages.badQuantity, 'invalid');
        }
        const q = milli + (wanted.get(l.lineId) ?? 0);
        const remaining = line.quantityMilli - line.deliveredMilli;
        if (q > remaining) {
          return errors.add(
            `lines.${n}.quantity`,
            messages.overDelivery(String(Number(milliText(remaining)))),
            'over_delivery',
          );
        }
        wanted.set(l.lineId, q);
      });
    } else {
      for (const l of progress) {
        const remaining = l.quantityMilli - l.deliveredMilli;
        if (remaining > 0) wanted.set(l.lineId, remaining);
      }
    }
    errors.throwIfAny();
    if (wanted.size === 0) throw new AppError('CONFLICT', { text: messages.nothingToDeliver });
    const deliveredOn = input.deliveredOn ?? (await workspaceDates(tx, 0)).today;
    const [delivery] = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO order_deliveries (workspace_id, order_id, delivered_on, note, created_by)
          VALUES (${actor.workspaceId}, ${id}, ${deliveredOn}, ${input.note?.trim() || null}, ${actor.userId})
          RETURNING id`,
    );
    if (!delivery) throw new Error('delivery insert returned nothing');
    for (const [lineId, q] of wanted) {
      await tx.execute(sql`
        INSERT INTO order_delivery_lines (workspace_id, delivery_id, order_line_id, quantity)
        VALUES (${actor.workspaceId}, ${delivery.id}, ${lineId}, ${milliText(q)}::numeric)`);
    }
    const issue = stockLines(
      [...wanted].map(([lineId, q]) => ({
        productId: byId.get(lineId)?.productId ?? null,
        quantityMilli: q,
      })),
    );
    if (issue.length > 0 && order.warehouseId) {
      await stock.issue(tx, actor, {
        warehouseId: order.warehouseId,
        ref: { object: OBJECT, id },
        lines: issue,
      });
    }
    const after = await repo.lineProgress(tx, id);
    const all = after.every((l) => l.deliveredMilli >= l.quantityMilli);
    await changeDocument(tx, actor, OBJECT, repo.updateOrder, order, {
      deliveryStatus: all ? 'delivered' : 'partly_delivered',
      ...(all ? { status: 'completed' as const } : {}),
    });
    return presentedOne(tx, actor, orderKind, id);
  });
}

/** The order's lines with what was delivered, and its deliveries. */
export async function deliveries(ctx: AppContext, actor: Actor, id: string) {
  authorize(actor, OBJECT, 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, OBJECT, id, 'read');
    const lines = await repo.lineProgress(tx, id);
    const rows = await queryRows<{
      id: string;
      deliveredOn: string;
      note: string | null;
      byId: string | null;
      byName: string | null;
      lines: { lineId: string; name: string; quantity: string }[];
    }>(
      tx,
      sql`SELECT d.id, d.delivered_on::text AS "deliveredOn", d.note, d.created_by AS "byId",
                 u.name AS "byName",
                 (SELECT jsonb_agg(jsonb_build_object('lineId', dl.order_line_id, 'name', l.name,
                          'quantity', dl.quantity) ORDER BY l.position)
                    FROM order_delivery_lines dl JOIN order_lines l ON l.id = dl.order_line_id
                   WHERE dl.delivery_id = d.id) AS lines
            FROM order_deliveries d LEFT JOIN users u ON u.id = d.created_by
           WHERE d.order_id = ${id} ORDER BY d.created_at`,
    );
    const n = (m: number) => Number(milliText(m));
    return {
      lines: lines.map((l) => ({
        lineId: l.lineId,
        name: l.name,
        unit: l.unit,
        quantity: n(l.quantityMilli),
        delivered: n(l.deliveredMilli),
        remaining: n(l.quantityMilli - l.deliveredMilli),
      })),
      deliveries: rows.map((d) => ({
        id: d.id,
        deliveredOn: d.deliveredOn,
        note: d.note,
        createdBy: d.byId ? { id: d.byId, name: d.byName ?? '' } : null,
        lines: (d.lines ?? []).map((l) => ({
          lineId: l.lineId,
          name: l.name,
          quantity: Number(l.quantity),
        })),
      })),
    };
  });
}

/**
 * An accepted quote becomes a draft order: its customer, deal and lines (each line remembers the
 * quote line it came from). One live order per quote.
 */
export async function orderFromQuote(
  ctx: AppContext,
  actor: Actor,
  quoteId: string,
): Promise<OrderResponse> {
  authorize(actor, OBJECT, 'create');
  return ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, 'quotes', quoteId, 'read');
    const [quote] = await queryRows<{
      status: string;
      companyId: string | null;
      contactId: string | null;
      dealId: string | null;
      subject: string | null;
      terms: string | null;
    }>(
      tx,
      sql`SELECT status, company_id AS "companyId", contact_id AS "contactId", deal_id AS "dealId",
                 subject, terms FROM quotes WHERE id = ${quoteId} FOR UPDATE`,
    );
    if (!quote) throw new AppError('NOT_FOUND');
    if (quote.status !== 'accepted')
      throw new AppError('INVALID_STATUS', { text: messages.quoteNotAccepted });
    const [existing] = await queryRows<{ number: string }>(
      tx,
      sql`SELECT number FROM orders WHERE quote_id = ${quoteId} AND status <> 'cancelled' AND deleted_at IS NULL LIMIT 1`,
    );
    if (existing) throw new AppError('CONFLICT', { text: messages.quoteHasOrder(existing.number) });
    const id = await orderKind.create(tx, actor, {
      companyId: quote.companyId,
      contactId: quote.contactId,
      dealId: quote.dealId,
      subject: quote.subject,
      terms: quote.terms,
    });
    await tx.execute(sql`UPDATE orders SET quote_id = ${quoteId} WHERE id = ${id}`);
    const lines = await linesOf(tx, 'quotes', quoteId);
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
        quantity: String(l.quantity),
        unitPrice: l.unitPrice,
        discount: l.discount,
        vatRate: l.vatRate,
      })),
    );
    return presentedOne(tx, actor, orderKind, id);
  });
}

/** The daily job: owners of contracts renewing within their reminder days are told, once per date. */
export async function remindRenewals(tx: Tx, workspaceId: string): Promise<number> {
  // The notifications are from Sen itself (no person caused them): only these two are read.
  const actor = { workspaceId, name: null } as unknown as Actor;
  const due = await queryRows<{ id: string; ownerId: string | null; renewalDate: string }>(
    tx,
    sql`UPDATE orders o SET renewal_reminded_for = o.renewal_date
          FROM workspaces w
         WHERE w.id = o.workspace_id AND o.deleted_at IS NULL AND o.status <> 'cancelled'
           AND o.renewal_date IS NOT NULL
           AND o.renewal_date - coalesce(o.renewal_reminder_days, 30) <= (now() AT TIME ZONE w.timezone)::date
           AND o.renewal_reminded_for IS DISTINCT FROM o.renewal_date
        RETURNING o.id, o.owner_id AS "ownerId", o.renewal_date::text AS "renewalDate"`,
  );
  const notes = due
    .filter((d) => d.ownerId)
    .map((d) => ({
      userIds: [d.ownerId as string],
      kind: 'order_renewal_due',
      params: { renewalDate: d.renewalDate },
      record: { object: OBJECT, id: d.id },
    }));
  if (notes.length > 0) await notifyMany(tx, actor, notes);
  return due.length;
}
