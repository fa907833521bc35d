import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { AppError, type Locale } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { queryRows } from '../../db/sql.js';
import {
  pdfLabels,
  renderStatement,
  statementLabels,
  type StatementEntry,
} from '../../lib/pdf/index.js';
import { getCompanyProfile } from '../company-profile/company-profile.service.js';
import { loadAccessibleRecord } from '../records/access.js';

/**
 * Receivables (công nợ): what customers owe on their issued invoices, by age past the due date,
 * and the statement of account of one customer. A customer is the invoice's company, or its
 * contact when it has none. Every figure is a sum of the caller's visible invoices and payments
 * (their visibility scope on invoices and payments), so it traces to documents.
 */
export const agingBuckets = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'over90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

const scoped = (actor: Actor, object: string, alias: string): SQL =>
  scopeCondition(actor, object, sql`${sql.raw(alias)}.owner_id`) ?? sql`true`;

const today = sql`(SELECT (now() AT TIME ZONE w.timezone)::date FROM workspaces w WHERE w.id = sen_workspace_id())`;

interface AgingRow {
  object: 'companies' | 'contacts';
  id: string;
  name: string | null;
  ownerId: string | null;
  ownerName: string | null;
  balance: string;
  notDue: string;
  d1_30: string;
  d31_60: string;
  d61_90: string;
  over90: string;
  overdueInvoices: number;
  oldestDueDate: string | null;
}

/**
 * The open invoices of the caller's scope, grouped by customer with their aging buckets: the
 * largest balances first. The customers are ranked and cut to `limit` on the invoices alone,
 * then only those are joined to their company or contact (name, owner): joining every open
 * invoice to its customer first made PostgreSQL hash the whole contacts table (1,000,000 rows:
 * over a second, bench/selling.ts).
 */
export async function agingRows(
  tx: Tx,
  actor: Actor,
  opts: { overdueOnly?: boolean; limit?: number } = {},
) {
  const rows = await queryRows<AgingRow>(
    tx,
    sql`WITH t AS (SELECT ${today} AS d),
         open AS (
           SELECT CASE WHEN i.company_id IS NOT NULL THEN 'companies' ELSE 'contacts' END AS object,
                  coalesce(i.company_id, i.contact_id) AS id,
                  i.total - i.paid_amount AS balance, t.d - i.due_date AS late, i.due_date
             FROM invoices i, t
            WHERE i.deleted_at IS NULL AND i.status IN ('issued', 'partly_paid', 'overdue')
              AND i.total > i.paid_amount AND coalesce(i.company_id, i.contact_id) IS NOT NULL
              AND ${scoped(actor, 'invoices', 'i')}),
         top AS (
           SELECT o.object, o.id,
                  sum(o.balance) AS balance,
                  coalesce(sum(o.balance) FILTER (WHERE o.late <= 0), 0) AS "notDue",
                  coalesce(sum(o.balance) FILTER (WHERE o.late BETWEEN 1 AND 30), 0) AS "d1_30",
                  coalesce(sum(o.balance) FILTER (WHERE o.late BETWEEN 31 AND 60), 0) AS "d31_60",
                  coalesce(sum(o.balance) FILTER (WHERE o.late BETWEEN 61 AND 90), 0) AS "d61_90",
                  coalesce(sum(o.balance) FILTER (WHERE o.late > 90), 0) AS "over90",
                  count(*) FILTER (WHERE o.late > 0)::int AS "overdueInvoices",
                  min(o.due_date) AS "oldestDueDate"
             FROM open o
            GROUP BY o.object, o.id
           ${opts.overdueOnly ? sql`HAVING count(*) FILTER (WHERE o.late > 0) > 0` : sql``}
            ORDER BY sum(o.balance) DESC, o.id
            LIMIT ${opts.limit ?? 500})
         SELECT top.object, top.id,
                coalesce(co.name, c.display_name) AS name,
                coalesce(co.owner_id, c.owner_id) AS "ownerId",
                (SELECT u.name FROM users u WHERE u.id = coalesce(co.owner_id, c.owner_id)) AS "ownerName",
                top.balance::text AS balance, top."notDue"::text AS "notDue",
                top."d1_30"::text AS "d1_30", top."d31_60"::text AS "d31_60",
                top."d61_90"::text AS "d61_90", top."over90"::text AS "over90",
                top."overdueInvoices", top."oldestDueDate"::text AS "oldestDueDate"
           FROM top
           LEFT JOIN companies co ON top.object = 'companies' AND co.id = top.id
           LEFT JOIN contacts c ON top.object = 'contacts' AND c.id = top.id
          ORDER BY top.balance DESC, top.id`,
  );
  return rows.map((r) => ({
    customer: { object: r.object, id: r.id, name: r.name ?? '' },
    owner: r.ownerId ? { id: r.ownerId, name: r.ownerName ?? '' } : null,
    balance: Number(r.balance),
    buckets: Object.fromEntries(agingBuckets.map((b) => [b, Number(r[b])])) as Record<
      AgingBucket,
      number
    >,
    overdueInvoices: r.overdueInvoices,
    oldestDueDate: r.oldestDueDate,
  }));
}

/** The receivables report: per customer balances and buckets, and their totals. */
export async function receivables(ctx: AppContext, actor: Actor, opts: { overdueOnly?: boolean }) {
  authorize(actor, 'invoices', 'read');
  return ctx.db.read(actor, async (tx) => {
    const [totals] = await queryRows<Record<AgingBucket | 'balance' | 'credit', string>>(
      tx,
      sql`WITH t AS (SELECT ${today} AS d)
          SELECT coalesce(sum(i.total - i.paid_amount), 0)::text AS balance,
                 coalesce(sum(i.total - i.paid_amount) FILTER (WHERE t.d - i.due_date <= 0), 0)::text AS "notDue",
                 coalesce(sum(i.total - i.paid_amount) FILTER (WHERE t.d - i.due_date BETWEEN 1 AND 30), 0)::text AS "d1_30",
                 coalesce(sum(i.total - i.paid_amount) FILTER (WHERE t.d - i.due_date BETWEEN 31 AND 60), 0)::text AS "d31_60",
                 coalesce(sum(i.total - i.paid_amount) FILTER (WHERE t.d - i.due_date BETWEEN 61 AND 90), 0)::text AS "d61_90",
                 coalesce(sum(i.total - i.paid_amount) FILTER (WHERE t.d - i.due_date > 90), 0)::text AS "over90",
                 (SELECT coalesce(sum(p.amount - p.allocated_amount), 0) FROM payments p
                   WHERE p.status = 'posted' AND p.deleted_at IS NULL AND ${scoped(actor, 'payments', 'p')})::text AS credit
            FROM invoices i, t
           WHERE i.deleted_at IS NULL AND i.status IN ('issued', 'partly_paid', 'overdue')
             AND ${scoped(actor, 'invoices', 'i')}`,
    );
    return {
      totals: {
        balance: Number(totals?.balance ?? 0),
        credit: Number(totals?.credit ?? 0),
        buckets: Object.fromEntries(
          agingBuckets.map((b) => [b, Number(totals?.[b] ?? 0)]),
        ) as Record<AgingBucket, number>,
      },
      customers: await agingRows(tx, actor, opts),
    };
  });
}

const dmy = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};

/**
 * A customer's statement of account as a PDF: its issued invoices (debit), its payments
 * (credit) and their reversals (debit again), in date order with the running balance.
 */
export async function statementPdf(
  ctx: AppContext,
  actor: Actor,
  customer: { object: 'companies' | 'contacts'; id: string },
  locale: Locale,
): Promise<{ pdf: Buffer; filename: string }> {
  authorize(actor, 'invoices', 'read');
  const data = await ctx.db.read(actor, async (tx) => {
    const record = await loadAccessibleRecord(tx, actor, customer.object, customer.id, 'read');
    const column = sql.raw(customer.object === 'companies' ? 'company_id' : 'contact_id');
    const entries = await queryRows<{
      date: string;
      reference: string;
      kind: string;
      debit: string;
      credit: string;
    }>(
      tx,
      sql`SELECT i.issue_date::text AS date, i.number AS reference, 'invoice' AS kind,
                 i.total::text AS debit, '0' AS credit, i.created_at AS at
            FROM invoices i
           WHERE i.${column} = ${customer.id} AND i.deleted_at IS NULL
             AND i.status IN ('issued', 'partly_paid', 'paid', 'overdue') AND ${scoped(actor, 'invoices', 'i')}
          UNION ALL
          SELECT p.payment_date::text, p.number, 'payment', '0', p.amount::text, p.created_at
            FROM payments p
           WHERE p.${column} = ${customer.id} AND p.deleted_at IS NULL AND ${scoped(actor, 'payments', 'p')}
          UNION ALL
          SELECT (p.reversed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text, p.number, 'reversal',
                 p.amount::text, '0', p.reversed_at
            FROM payments p
           WHERE p.${column} = ${customer.id} AND p.deleted_at IS NULL AND p.status = 'reversed'
             AND ${scoped(actor, 'payments', 'p')}
          ORDER BY 1, 6`,
    );
    return { record, entries, profile: await getCompanyProfile(tx) };
  });
  const words = {
    vi: {
      invoice: 'Hoá đơn bán hàng',
      payment: 'Thanh toán',
      reversal: 'Đảo phiếu thu',
      customer: 'Khách hàng',
      title: 'BẢNG ĐỐI CHIẾU CÔNG NỢ',
      name: 'Tên',
      seller: 'Đại diện bên bán',
      buyer: 'Đại diện khách hàng',
    },
    en: {
      invoice: 'Sales invoice',
      payment: 'Payment',
      reversal: 'Payment reversed',
      customer: 'Customer',
      title: 'STATEMENT OF ACCOUNT',
      name: 'Name',
      seller: 'For the seller',
      buyer: 'For the customer',
    },
  }[locale];
  const entries: StatementEntry[] = data.entries.map((e) => ({
    date: dmy(e.date),
    reference: e.reference,
    description: words[e.kind as 'invoice' | 'payment' | 'reversal'],
    debit: Number(e.debit),
    credit: Number(e.credit),
  }));
  const p = data.profile;
  const pdf = await renderStatement({
    seller: {
      name: p.legalName ?? p.shortName ?? '',
      ...(p.address ? { address: p.address } : {}),
      ...(p.taxCode ? { taxCode: p.taxCode } : {}),
      ...(p.bank ? { bankName: p.bank.shortName } : {}),
      ...(p.bankAccountNumber ? { bankAccount: p.bankAccountNumber } : {}),
      ...(p.bankAccountName ? { accountName: p.bankAccountName } : {}),
      ...(p.logo ? { logo: p.logo.data } : {}),
    },
    title: words.title,
    customer: { heading: words.customer, fields: [{ label: words.name, value: data.record.name }] },
    openingBalance: 0,
    entries,
    labels: { ...pdfLabels[locale], ...statementLabels[locale] },
    locale: locale === 'vi' ? 'vi-VN' : 'en-US',
    signatures: [{ title: words.buyer }, { title: words.seller }],
  });
  if (!pdf) throw new AppError('INTERNAL');
  return { pdf, filename: `cong-no-${customer.id.slice(0, 8)}.pdf` };
}
