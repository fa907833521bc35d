import { z } from 'zod';
import { paymentMethods, vatRates } from './einvoice.types.js';

const dong = z.number().int().min(0).max(1e15);
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

/** The e-invoice document (einvoice.types.ts: EInvoiceDocument) as the service accepts it. */
export const eInvoiceDocumentSchema = z.object({
  senInvoiceId: z.uuid(),
  senInvoiceNumber: text(50),
  currency: z.literal('VND'),
  paymentMethod: z.enum(paymentMethods),
  seller: z.object({
    legalName: text(400),
    taxCode: text(14),
    address: text(400),
    phone: optionalText(20),
    email: optionalText(320),
    bankAccount: optionalText(50),
    bankName: optionalText(400),
  }),
  buyer: z.object({
    name: text(400),
    contactName: optionalText(200),
    taxCode: optionalText(14),
    address: optionalText(400),
    email: optionalText(320),
    phone: optionalText(20),
    code: optionalText(50),
  }),
  lines: z
    .array(
      z.object({
        name: text(500),
        code: optionalText(50),
        unit: text(50),
        quantity: z.number().positive().max(1e12),
        unitPrice: z.number().min(0).max(1e15),
        vatRate: z.union(vatRates.map((r) => z.literal(r))),
        amountBeforeVat: dong,
        vatAmount: dong,
        discount: dong.optional(),
      }),
    )
    .min(1)
    .max(1000),
  totals: z.object({ amountBeforeVat: dong, vatAmount: dong, total: dong }),
  totalInWords: optionalText(500),
  note: optionalText(500),
});

export const settingsInputSchema = z.object({
  provider: text(50),
  baseUrl: z.string().trim().url().max(500),
  username: text(200),
  /** Absent: keep the stored password. */
  password: z.string().min(1).max(500).optional(),
  supplierTaxCode: text(14),
  templateCode: text(20),
  series: text(20),
  enabled: z.boolean().default(true),
});
export type SettingsInput = z.input<typeof settingsInputSchema>;
