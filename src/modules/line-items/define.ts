import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { LocalisedText } from '../../core/errors.js';
import type { Actor } from '../../core/permissions.js';
import type { Tx } from '../../db/database.js';
import type { LineItemsTable } from './line-items.columns.js';
import type { DocumentPdfDeclaration } from './line-items.pdf.js';

/**
 * A record object's line items (quotes, orders, invoices), declared on the object
 * (`lineItems:` in defineRecordObject). The generic service and routes of this module serve
 * every object that declares them:
 *
 *   GET /<object>/:id/line-items   the lines and the document's totals (read on the record)
 *   PUT /<object>/:id/line-items   replace the lines (update on the record; If-Match: the
 *                                  record's version): amounts computed by the server, the
 *                                  totals written on the record, one audit entry
 *
 * The web app's `lineItems` panel edits them on the record page.
 */
export interface LineItemsDeclaration {
  /** The child table, built by lineItemsTable() (line-items.columns.ts). */
  table: LineItemsTable;
  /** The record's columns that receive the document's totals (written with the lines). */
  totals: {
    subtotal: AnyPgColumn;
    discountTotal: AnyPgColumn;
    vatTotal: AnyPgColumn;
    total: AnyPgColumn;
    /** jsonb: [{ rate, net, vat }] */
    vatLines: AnyPgColumn;
    /** The largest line discount, in percent (what a quote's approval is about). */
    discountPercent?: AnyPgColumn;
  };
  /**
   * Why the lines cannot change now (a sent quote: revise it first), or null. Checked with the
   * record locked, before any write; GET shows it so the editor is read-only.
   */
  lockedReason?(tx: Tx, id: string): Promise<LocalisedText | null>;
  /**
   * The unit price of products for this record when a line names none (the customer's price
   * list); products missing from the map take their own price.
   */
  prices?(tx: Tx, id: string, productIds: string[]): Promise<Map<string, number>>;
  /** After the lines and totals were written, in the same transaction (a quote's approval). */
  afterChange?(tx: Tx, actor: Actor, id: string): Promise<void>;
  /**
   * Who sees the lines' cost price and margin (lãi gộp): a role that may see this field of that
   * object (a selling document's: `{ object: 'products', field: 'costPrice' }`). A role denied it (Settings → Vai trò → field
   * access) gets no cost or margin in the lines' GET/PUT, and its writes of a line's costPrice
   * are refused. Without `cost`, cost and margin are never presented. Record responses,
   * exports, PDFs and the audit log never carry them.
   */
  cost?: { object: string; field: string };
  /** At most this many lines (default 500). */
  maxLines?: number;
  /** The record's PDF (GET /<object>/:id/pdf): line-items.pdf.ts. */
  pdf?: DocumentPdfDeclaration;
}
