import { and, desc, eq, lt, sql } from 'drizzle-orm';
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

/**
 * Count one submission in the current window: for its client IP, then, only if that is within
 * `ipLimit`, for the form (a flood from one address does not use up everyone's allowance).
 * Returns both counts (the form's 0 when not counted). As sen_system, in a transaction of its
 * own: the counts hold across app nodes and are never rolled back with a failed submission.
 * Every caller locks the IP's row before the form's, so two never wait on each other in a cycle.
 */
export async function countHits(
  tx: Tx,
  keys: { ip: string; form: string },
  ipLimit: number,
  windowStart: Date,
): Promise<{ ip: number; form: number }> {
  const start = windowStart.toISOString();
  const row = await queryOne<{ ip: number; form: number | null }>(
    tx,
    sql`WITH ip AS (
          INSERT INTO form_rate_windows AS w (key, window_start, hits)
          VALUES (${keys.ip}, ${start}::timestamptz, 1)
          ON CONFLICT (key, window_start) DO UPDATE SET hits = w.hits + 1
          RETURNING hits),
        f AS (
          INSERT INTO form_rate_windows AS w (key, window_start, hits)
          SELECT ${keys.form}, ${start}::timestamptz, 1 FROM ip WHERE ip.hits <= ${ipLimit}
          ON CONFLICT (key, window_start) DO UPDATE SET hits = w.hits + 1
          RETURNING hits)
        SELECT (SELECT hits FROM ip) AS ip, (SELECT hits FROM f) AS form,
               -- Counters are not worth a disk flush each: a crash loses the last instant's.
               set_config('synchronous_commit', 'off', true) AS async`,
  );
  return { ip: Number(row?.ip ?? 0), form: Number(row?.form ?? 0) };
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
 * The earliest live contact, then open lead (not converted nor disqualified) holding one of
 * these emails or phones (normalised), through the lists' GIN indexes under RLS
 * (sen_match_list_values).
 */
export async function matchingRecord(
  tx: Tx,
  emails: string[],
  phones: string[],
): Promise<{ object: 'contacts' | 'leads'; id: string } | undefined> {
  if (emails.length === 0 && phones.length === 0) return undefined;
  const e = textArray(emails);
  const p = textArray(phones);
  return queryOne(
    tx,
    sql`SELECT object, id FROM (
          SELECT 'contacts' AS object, 0 AS rank, m.id FROM (
            SELECT id FROM sen_match_list_values('contacts', 'emails', ${e}, 5)
            UNION SELECT id FROM sen_match_list_values('contacts', 'phones', ${p}, 5)) m
          UNION ALL
          SELECT 'leads', 1, m.id FROM (
            SELECT id FROM sen_match_list_values('leads', 'emails', ${e}, 5)
            UNION SELECT id FROM sen_match_list_values('leads', 'phones', ${p}, 5)) m
            JOIN leads l ON l.id = m.id
           WHERE l.status NOT IN ('converted', 'disqualified')) c
        ORDER BY rank, id
        LIMIT 1`,
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
