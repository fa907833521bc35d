import { getTableColumns, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { companyProfiles, type CompanyProfileRow } from './company-profile.table.js';

/** Every column but the logo's bytes (the settings page and the API do not need them). */
const { logo: _logo, ...withoutLogo } = getTableColumns(companyProfiles);
export type CompanyProfileFields = Omit<CompanyProfileRow, 'logo'> & {
  logoBytes: number | null;
};

export async function getFields(tx: Tx): Promise<CompanyProfileFields | undefined> {
  const [row] = await tx
    .select({ ...withoutLogo, logoBytes: sql<number | null>`octet_length(logo)` })
    .from(companyProfiles);
  return row ? { ...row, logoBytes: row.logoBytes === null ? null : Number(row.logoBytes) } : row;
}

/** The whole row, logo bytes included (for PDFs). */
export async function getRow(tx: Tx): Promise<CompanyProfileRow | undefined> {
  const [row] = await tx.select().from(companyProfiles);
  return row;
}

export async function getLogo(
  tx: Tx,
): Promise<{ logo: Buffer; logoType: string; logoSha256: string | null } | undefined> {
  const [row] = await tx
    .select({
      logo: companyProfiles.logo,
      logoType: companyProfiles.logoType,
      logoSha256: companyProfiles.logoSha256,
    })
    .from(companyProfiles);
  return row?.logo && row.logoType
    ? { logo: row.logo, logoType: row.logoType, logoSha256: row.logoSha256 }
    : undefined;
}

export type ProfileValues = Partial<
  Omit<typeof companyProfiles.$inferInsert, 'workspaceId' | 'updatedAt'>
>;

/** Insert the workspace's row or change the given columns of it. */
export async function upsert(tx: Tx, workspaceId: string, values: ProfileValues): Promise<void> {
  await tx
    .insert(companyProfiles)
    .values({ ...values, workspaceId })
    .onConflictDoUpdate({
      target: companyProfiles.workspaceId,
      set: { ...values, updatedAt: sql`now()` },
    });
}
