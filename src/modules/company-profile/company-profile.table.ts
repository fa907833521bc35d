import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  foreignKey,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantPolicies, updatedAt, workspaceId } from '../../db/schema/common.js';
import { workspaces } from '../../db/schema/index.js';
import { vatRates } from '../products/products.table.js';

/** bytea as a Buffer (node-postgres gives a Buffer, PGlite a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value),
});

export const LOGO_MAX_BYTES = 1024 * 1024;

/**
 * The workspace's business profile, printed on quotes, orders, invoices and statements and
 * used for VietQR: one row per workspace (none until an admin saves it: the defaults apply).
 * The logo's bytes are stored here (≤ 1 MB, PNG or JPEG sniffed from its content), not in the
 * attachments folder: the PDF renderer reads them in its own transaction, every app node sees
 * them without a shared disk, and backups carry them as any column.
 */
export const companyProfiles = pgTable(
  'company_profiles',
  {
    workspaceId: workspaceId().primaryKey(),
    legalName: text('legal_name'),
    shortName: text('short_name'),
    address: text('address'),
    /** Canonical (src/lib/vn/tax-code.ts): "0100109106" or "0100109106-001". */
    taxCode: text('tax_code'),
    /** E.164. */
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    /** The bank's NAPAS BIN (VietQR), from the bank list. */
    bankBin: text('bank_bin'),
    bankAccountNumber: text('bank_account_number'),
    /** Upper case without diacritics, as banks print it ("CONG TY TNHH SEN"). */
    bankAccountName: text('bank_account_name'),
    paymentTermsDays: integer('payment_terms_days').notNull().default(30),
    quoteValidityDays: integer('quote_validity_days').notNull().default(15),
    /** A VAT rate of the products' list (products.table.ts `vatRates`): '10', '8', 'none'… */
    defaultVatRate: text('default_vat_rate', { enum: vatRates }).notNull().default('10'),
    logo: bytea('logo'),
    logoType: text('logo_type'),
    logoSha256: text('logo_sha256'),
    logoUpdatedAt: timestamp('logo_updated_at', { withTimezone: true }),
    updatedAt: updatedAt(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    foreignKey({
      name: 'company_profiles_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    check(
      'company_profiles_days_check',
      sql`payment_terms_days BETWEEN 0 AND 365 AND quote_validity_days BETWEEN 1 AND 365`,
    ),
    check(
      'company_profiles_vat_check',
      sql`default_vat_rate IN (${sql.raw(vatRates.map((r) => `'${r}'`).join(', '))})`,
    ),
    check(
      'company_profiles_logo_check',
      sql`(logo IS NULL AND logo_type IS NULL)
        OR (logo_type IN ('image/png', 'image/jpeg') AND octet_length(logo) <= ${sql.raw(String(LOGO_MAX_BYTES))})`,
    ),
    ...tenantPolicies(),
  ],
);

export type CompanyProfileRow = typeof companyProfiles.$inferSelect;
