import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import {
  einvoiceSettings,
  einvoiceSubmissions,
  type EInvoiceSettingsRow,
  type EInvoiceSubmissionRow,
} from './einvoice.table.js';

export type NewSettings = typeof einvoiceSettings.$inferInsert;
export type SubmissionPatch = Partial<typeof einvoiceSubmissions.$inferInsert>;

export async function getSettings(tx: Tx): Promise<EInvoiceSettingsRow | undefined> {
  const [row] = await tx.select().from(einvoiceSettings).limit(1);
  return row;
}

export async function upsertSettings(tx: Tx, values: NewSettings): Promise<EInvoiceSettingsRow> {
  const { workspaceId: _ws, createdAt: _c, ...update } = values;
  const [row] = await tx
    .insert(einvoiceSettings)
    .values(values)
    .onConflictDoUpdate({
      target: einvoiceSettings.workspaceId,
      set: { ...update, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function getSubmission(
  tx: Tx,
  recordId: string,
  forUpdate = false,
): Promise<EInvoiceSubmissionRow | undefined> {
  const q = tx
    .select()
    .from(einvoiceSubmissions)
    .where(
      and(eq(einvoiceSubmissions.object, 'invoices'), eq(einvoiceSubmissions.recordId, recordId)),
    );
  const [row] = await (forUpdate ? q.for('update') : q);
  return row;
}

/** A new submission for the invoice, or undefined when it already has one. */
export async function insertSubmission(
  tx: Tx,
  values: typeof einvoiceSubmissions.$inferInsert,
): Promise<EInvoiceSubmissionRow | undefined> {
  const [row] = await tx
    .insert(einvoiceSubmissions)
    .values(values)
    .onConflictDoNothing({
      target: [
        einvoiceSubmissions.workspaceId,
        einvoiceSubmissions.object,
        einvoiceSubmissions.recordId,
      ],
    })
    .returning();
  return row;
}

export async function updateSubmission(
  tx: Tx,
  id: string,
  patch: SubmissionPatch,
): Promise<EInvoiceSubmissionRow> {
  const [row] = await tx
    .update(einvoiceSubmissions)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(einvoiceSubmissions.id, id))
    .returning();
  return row!;
}
