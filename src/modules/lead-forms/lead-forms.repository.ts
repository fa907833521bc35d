import { and, desc, eq, getTableColumns, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { Tx } from '../../db/database.js';
import { workspaces } from '../../db/schema/index.js';
import { queryOne, textArray } from '../../db/sql.js';
import {
  formRateWindows,
  formSubmissions,
  leadForms,
  type FormSubmissionRow,
  type LeadFormRow,
} from './lead-forms.table.js';

export type NewForm = typeof leadForms.$inferInsert;
export type NewSubmission = typeof formSubmissions.$inferInsert;

export interface FormStats {
  submissions: number;
  lastSubmittedAt: string | Date | null;
}

export async function listForms(tx: Tx): Promise<(LeadFormRow & FormStats)[]> {
  const rows = await tx
    .select({
      form: leadForms,
      submissions: sql<number>`(SELECT count(*)::int FROM form_submissions s
                                 WHERE s.form_id = lead_forms.id)`,
      lastSubmittedAt: sql<string | null>`(SELECT max(s.submitted_at) FROM form_submissions s
                                            WHERE s.form_id = lead_forms.id)`,
    })
    .from(leadForms)
    .orderBy(leadForms.name, leadForms.id);
  return rows.map((r) => ({
    ...r.form,
    submissions: Number(r.submissions),
    lastSubmittedAt: r.lastSubmittedAt,
  }));
}

export async function getForm(tx: Tx, id: string, forUpdate = false) {
  const q = tx.select().from(leadForms).where(eq(leadForms.id, id));
  const [row] = await (forUpdate ? q.for('update') : q);
  return row;
}

export async function formStats(tx: Tx, id: string): Promise<FormStats> {
  const row = await queryOne<{ n: number; last: string | Date | null }>(
    tx,
    sql`SELECT count(*)::int AS n, max(submitted_at) AS last FROM form_submissions WHERE form_id = ${id}`,
  );
  return { submissions: Number(row?.n ?? 0), lastSubmittedAt: row?.last ?? null };
}

export async function insertForm(tx: Tx, values: NewForm): Promise<LeadFormRow> {
  const [row] = await tx.insert(leadForms).values(values).returning();
  return row!;
}

export async function updateForm(
  tx: Tx,
  id: string,
  values: Partial<NewForm>,
): Promise<LeadFormRow> {
  const [row] = await tx
    .update(leadForms)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(leadForms.id, id))
    .returning();
  return row!;
}

export async function deleteForm(tx: Tx, id: string): Promise<void> {
  await tx.delete(leadForms).where(eq(leadForms.id, id));
}

export type PublicForm = LeadFormRow & { workspaceLocale: string; workspaceName: string };

/** The form a public key names, any workspace (as sen_system: the caller has no workspace yet). */
export async function formByKey(tx: Tx, key: string): Promise<PublicForm | undefined> {
  const [row] = await tx
    .select({ form: leadForms, locale: workspaces.locale, workspaceName: workspaces.name })
    .from(leadForms)
    .innerJoin(workspaces, eq(workspaces.id, leadForms.workspaceId))
    .where(eq(leadForms.publicKey, key));
  return row
    ? { ...row.form, workspaceLocale: row.locale, workspaceName: row.workspaceName }
    : undefined;
}

/** A lead_forms row as jsonb (column names as keys) in Drizzle's shape (property names, Dates). */
function formFromJson(json: Record<string, unknown>): LeadFormRow {
  const out: Record<string, unknown> = {};
  for (const [property, column] of Object.entries(getTableColumns(leadForms))) {
    const value = json[column.name];
    out[property] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as LeadFormRow;
}

/**
 * The form of a public key with this submission counted in the current window, in ONE call
 * (sen_form_hit, migration 0044: as sen_system, committed on its own and without waiting for a
 * flush, so the counts hold across app nodes and are never rolled back with a failed
 * submission): for the client IP, then, only if that is within the form's per-IP limit, for
 * the form. An unknown key: undefined; a form turned off: the form, counted nowhere (0, 0).
 */
export async function countedFormByKey(
  db: Database,
  key: string,
  ip: string,
  windowStart: Date,
): Promise<{ form: PublicForm; hits: { ip: number; form: number } } | undefined> {
  const [row] = await db.appQuery<{
    form: Record<string, unknown>;
    workspace_locale: string;
    workspace_name: string;
    ip_hits: number;
    form_hits: number;
  }>(
    'sen_form_hit',
    'SELECT form, workspace_locale, workspace_name, ip_hits, form_hits FROM sen_form_hit($1, $2, $3)',
    [key, ip, windowStart.toISOString()],
  );
  if (!row) return undefined;
  const form =
    typeof row.form === 'string' ? (JSON.parse(row.form) as Record<string, unknown>) : row.form;
  return {
    form: {
      ...formFromJson(form),
      workspaceLocale: row.workspace_locale,
      workspaceName: row.workspace_name,
    },
    hits: { ip: Number(row.ip_hits), form: Number(row.form_hits) },
  };
}

export async function deleteWindowsBefore(tx: Tx, before: Date): Promise<number> {
  const rows = await tx
    .delete(formRateWindows)
    .where(lt(formRateWindows.windowStart, before))
    .returning({ key: formRateWindows.key });
  return rows.length;
}

export async function insertSubmission(tx: Tx, values: NewSubmission): Promise<void> {
  await tx.insert(formSubmissions).values(values);
}

/**
 * The live contact, else the open lead (not converted nor disqualified), with the smallest id
 * holding one of these emails or phones (normalised), through the lists' GIN indexes
 * (sen_form_match, migration 0044: static statements, planned once per connection).
 */
export async function matchingRecord(
  tx: Tx,
  emails: string[],
  phones: string[],
): Promise<{ object: 'contacts' | 'leads'; id: string } | undefined> {
  if (emails.length === 0 && phones.length === 0) return undefined;
  return queryOne(
    tx,
    sql`SELECT object, id FROM sen_form_match(${textArray(emails)}, ${textArray(phones)})`,
  );
}

export interface SubmissionListRow extends FormSubmissionRow {
  recordName: string | null;
}

/** A form's submissions, newest first, with the name of the record each became or joined. */
export async function listSubmissions(
  tx: Tx,
  formId: string,
  limit: number,
  cursor?: string,
): Promise<SubmissionListRow[]> {
  const rows = await tx
    .select({
      s: formSubmissions,
      // Columns named in full: Drizzle writes a column unqualified inside a subquery.
      recordName: sql<string | null>`CASE form_submissions.record_type
          WHEN 'leads' THEN (SELECT l.display_name FROM leads l
                              WHERE l.id = form_submissions.record_id)
          WHEN 'contacts' THEN (SELECT c.display_name FROM contacts c
                                 WHERE c.id = form_submissions.record_id)
        END`,
    })
    .from(formSubmissions)
    .where(
      and(eq(formSubmissions.formId, formId), cursor ? lt(formSubmissions.id, cursor) : undefined),
    )
    .orderBy(desc(formSubmissions.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.s, recordName: r.recordName }));
}
