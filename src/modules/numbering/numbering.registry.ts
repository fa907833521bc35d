import type { LocalisedText } from '../../core/errors.js';
import { formatProblem } from './numbering.format.js';

/**
 * The document types that are numbered (quotes, orders, invoices, payments…). A module that
 * numbers its documents registers its type once, at load (`registerDocumentType`), and calls
 * `nextNumber(tx, key, date)` (numbering.service.ts) in the transaction that writes the document.
 * Settings → Đánh số chứng từ lists every registered type with its workspace format.
 */
export interface DocumentType {
  /** Stable key, stored with the counters and formats: 'quotes', 'invoices'. */
  key: string;
  label: LocalisedText;
  /** The format of a workspace that has not chosen one. */
  defaultFormat: string;
}

/**
 * The four types issue #20 numbers, registered here so Settings shows them before their modules
 * exist; those modules import these constants (and may register them again: same key, same
 * entry).
 */
export const QUOTE_NUMBERING: DocumentType = {
  key: 'quotes',
  label: { vi: 'Báo giá', en: 'Quotes' },
  defaultFormat: 'BG-{YYYY}-{0000}',
};
export const ORDER_NUMBERING: DocumentType = {
  key: 'orders',
  label: { vi: 'Đơn hàng / hợp đồng', en: 'Orders / contracts' },
  defaultFormat: 'DH-{YYYY}-{0000}',
};
export const INVOICE_NUMBERING: DocumentType = {
  key: 'invoices',
  label: { vi: 'Hoá đơn', en: 'Invoices' },
  defaultFormat: 'HD-{YYYY}-{0000}',
};
export const PAYMENT_NUMBERING: DocumentType = {
  key: 'payments',
  label: { vi: 'Phiếu thu', en: 'Payments' },
  defaultFormat: 'PT-{YYYY}-{0000}',
};
export const DEFAULT_DOCUMENT_TYPES = [
  QUOTE_NUMBERING,
  ORDER_NUMBERING,
  INVOICE_NUMBERING,
  PAYMENT_NUMBERING,
] as const;

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const registry = new Map<string, DocumentType>();

/** Register a numbered document type; registering a key again replaces its entry. */
export function registerDocumentType(type: DocumentType): void {
  if (!KEY.test(type.key)) throw new Error(`bad document type key ${JSON.stringify(type.key)}`);
  const problem = formatProblem(type.defaultFormat);
  if (problem) throw new Error(`document type ${type.key}: default format ${problem}`);
  registry.set(type.key, type);
}

export function documentType(key: string): DocumentType | undefined {
  return registry.get(key);
}

/** Every registered type, in registration order. */
export function documentTypes(): DocumentType[] {
  return [...registry.values()];
}

for (const t of DEFAULT_DOCUMENT_TYPES) registerDocumentType(t);
