/** PDF rendering of selling documents: quotes, orders, invoices and statements of account. */
export { renderBusinessDocument, type BusinessDocumentInput } from './business-document.js';
export {
  renderStatement,
  statementLabels,
  statementTotals,
  type StatementEntry,
  type StatementInput,
  type StatementLabels,
  type StatementTotals,
} from './statement.js';
export {
  pdfFonts,
  pdfLabels,
  type PdfAlign,
  type PdfColumn,
  type PdfField,
  type PdfLabels,
  type PdfRow,
  type PdfSeller,
  type PdfSignature,
  type PdfTotalRow,
} from './layout.js';
