import { z } from 'zod';
import { vatRates } from '../products/products.table.js';

/** A VAT rate of the products' list: '0', '5', '8', '10' (percent) or 'none' (không chịu thuế). */
const vatRate = z.enum(vatRates);

const optionalText = (max: number) => z.string().max(max).nullable().optional();

/**
 * PUT /settings/company-profile: the fields it names are set (null or '' clears a text field);
 * the fields it leaves out keep their value. The logo has its own routes (an upload).
 */
export const companyProfileBody = z.strictObject({
  legalName: optionalText(300),
  shortName: optionalText(100),
  address: optionalText(500),
  taxCode: optionalText(20),
  phone: optionalText(30),
  email: optionalText(254),
  website: optionalText(200),
  /** The bank's NAPAS BIN (GET /settings/banks). */
  bankBin: optionalText(6),
  bankAccountNumber: optionalText(30),
  /** Stored upper case without diacritics, as banks print it. */
  bankAccountName: optionalText(100),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  quoteValidityDays: z.number().int().min(1).max(365).optional(),
  defaultVatRate: vatRate.optional(),
});
export type CompanyProfileInput = z.infer<typeof companyProfileBody>;

export const bankView = z.object({
  bin: z.string(),
  shortName: z.string(),
  name: z.string(),
  code: z.string(),
});

export const companyProfileView = z.object({
  legalName: z.string().nullable(),
  shortName: z.string().nullable(),
  address: z.string().nullable(),
  taxCode: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  bankBin: z.string().nullable(),
  /** The bank of `bankBin`, from the list. */
  bank: bankView.nullable(),
  bankAccountNumber: z.string().nullable(),
  bankAccountName: z.string().nullable(),
  paymentTermsDays: z.number().int(),
  quoteValidityDays: z.number().int(),
  defaultVatRate: vatRate,
  logo: z
    .object({
      contentType: z.string(),
      bytes: z.number().int(),
      sha256: z.string(),
      /** GET it for the image (a versioned URL: it changes with the logo). */
      url: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
  updatedAt: z.string().nullable(),
});
export type CompanyProfileView = z.infer<typeof companyProfileView>;

export const banksView = z.object({ items: z.array(bankView) });
export const logoQuery = z.strictObject({ v: z.string().max(64).optional() });
