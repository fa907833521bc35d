import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../core/permissions.js';
import { isoText } from '../../db/sql.js';
import { documentRows } from '../selling/repository.js';
import { recordTailColumns, type RecordTailRow } from '../selling/documents.js';
import { customerColumns, type CustomerRow } from '../selling/customer.js';
import { quotes, type QuoteStatus, type ApprovalStatus } from './quotes.table.js';

export type QuoteValues = Omit<
  typeof quotes.$inferInsert,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'deletedBy'
>;

/** A quote as it is presented: timestamps as ISO text, names of what it links to. */
export interface QuoteRecordRow extends CustomerRow, RecordTailRow {
  id: string;
  number: string;
  subject: string | null;
  status: QuoteStatus;
  issueDate: string;
  validUntil: string | null;
  terms: string | null;
  subtotal: number | string;
  discountTotal: number | string;
  vatTotal: number | string;
  total: number | string;
  vatLines: { rate: string; net: number; vat: number }[];
  discountPercent: number | string;
  approvalStatus: ApprovalStatus;
  approvedDiscountPercent: number | string | null;
  approvalComment: string | null;
  approvedById: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  revision: number;
  sentAt: string | null;
  acceptedAt: string | null;
  rejectedAt: string | null;
  rejectReason: string | null;
  expired: boolean;
}

/** The presented columns of quotes `r` (a QuoteRecordRow) for this caller. */
export function quoteColumns(actor: Actor): SQL {
  return sql`r.id, r.number, r.subject, r.status, ${customerColumns(actor)},
    r.issue_date::text AS "issueDate", r.valid_until::text AS "validUntil", r.terms,
    r.subtotal, r.discount_total AS "discountTotal", r.vat_total AS "vatTotal", r.total,
    r.vat_lines AS "vatLines", r.discount_percent AS "discountPercent",
    r.approval_status AS "approvalStatus",
    r.approved_discount_percent AS "approvedDiscountPercent",
    r.approval_comment AS "approvalComment", r.approved_by AS "approvedById",
    (SELECT u.name FROM users u WHERE u.id = r.approved_by) AS "approvedByName",
    ${isoText(sql`r.approved_at`)} AS "approvedAt", r.revision,
    ${isoText(sql`r.sent_at`)} AS "sentAt", ${isoText(sql`r.accepted_at`)} AS "acceptedAt",
    ${isoText(sql`r.rejected_at`)} AS "rejectedAt", r.reject_reason AS "rejectReason",
    (r.status = 'sent' AND r.valid_until < CURRENT_DATE) AS expired,
    ${recordTailColumns}`;
}

const rows = documentRows(quotes, 'quote');
export const getQuoteRow = rows.get;
export const insertQuote = rows.insert;
export const updateQuote = rows.update;
