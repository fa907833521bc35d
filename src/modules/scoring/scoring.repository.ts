import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { DEFAULT_SCORING_SETTINGS } from './scoring.registry.js';
import {
  scoreEvents,
  scoringRules,
  scoringSettings,
  type ScoringRuleRow,
} from './scoring.table.js';

export interface ScoringSettingsValues {
  gradeA: number;
  gradeB: number;
  gradeC: number;
  decayPerWeek: number;
}

/** The rules of an object in the workspace, in order (active or not). */
export function listRules(tx: Tx, object: string): Promise<ScoringRuleRow[]> {
  return tx
    .select()
    .from(scoringRules)
    .where(eq(scoringRules.object, object))
    .orderBy(asc(scoringRules.position), asc(scoringRules.id));
}

/** The rules that count, in order. */
export function activeRules(tx: Tx, object: string): Promise<ScoringRuleRow[]> {
  return tx
    .select()
    .from(scoringRules)
    .where(and(eq(scoringRules.object, object), eq(scoringRules.active, true)))
    .orderBy(asc(scoringRules.position), asc(scoringRules.id));
}

export async function getRule(
  tx: Tx,
  object: string,
  id: string,
): Promise<ScoringRuleRow | undefined> {
  const [row] = await tx
    .select()
    .from(scoringRules)
    .where(and(eq(scoringRules.object, object), eq(scoringRules.id, id)))
    .for('update');
  return row;
}

export async function insertRule(
  tx: Tx,
  values: Omit<typeof scoringRules.$inferInsert, 'position'>,
): Promise<ScoringRuleRow> {
  const [row] = await tx
    .insert(scoringRules)
    .values({
      ...values,
      // Last in the list.
      position: sql`(SELECT coalesce(max(position) + 1, 0) FROM scoring_rules
                      WHERE object = ${values.object})`,
    })
    .returning();
  if (!row) throw new Error('scoring rule insert returned nothing');
  return row;
}

export async function updateRule(
  tx: Tx,
  id: string,
  values: Partial<typeof scoringRules.$inferInsert>,
): Promise<ScoringRuleRow> {
  const [row] = await tx
    .update(scoringRules)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(scoringRules.id, id))
    .returning();
  if (!row) throw new Error('scoring rule update returned nothing');
  return row;
}

export async function deleteRule(tx: Tx, id: string): Promise<void> {
  await tx.delete(scoringRules).where(eq(scoringRules.id, id));
}

/**
 * The rules that count, in order, and the workspace's thresholds and decay of the object, in ONE
 * statement (what a rescore reads).
 */
export async function rulesAndSettings(
  tx: Tx,
  object: string,
): Promise<{ rules: ScoringRuleRow[]; settings: ScoringSettingsValues }> {
  const rows = await tx
    .select({
      rule: scoringRules,
      gradeA: scoringSettings.gradeA,
      gradeB: scoringSettings.gradeB,
      gradeC: scoringSettings.gradeC,
      decayPerWeek: scoringSettings.decayPerWeek,
    })
    .from(sql`(SELECT 1) AS one`)
    .leftJoin(scoringSettings, eq(scoringSettings.object, object))
    .leftJoin(scoringRules, and(eq(scoringRules.object, object), eq(scoringRules.active, true)))
    .orderBy(asc(scoringRules.position), asc(scoringRules.id));
  const first = rows[0];
  const settings =
    first && first.gradeA !== null
      ? {
          gradeA: first.gradeA,
          gradeB: first.gradeB!,
          gradeC: first.gradeC!,
          decayPerWeek: first.decayPerWeek!,
        }
      : { ...DEFAULT_SCORING_SETTINGS };
  return { rules: rows.flatMap((r) => (r.rule ? [r.rule] : [])), settings };
}

/** The workspace's thresholds and decay of an object (the defaults when it set none). */
export async function settingsOf(tx: Tx, object: string): Promise<ScoringSettingsValues> {
  const [row] = await tx.select().from(scoringSettings).where(eq(scoringSettings.object, object));
  if (!row) return { ...DEFAULT_SCORING_SETTINGS };
  return {
    gradeA: row.gradeA,
    gradeB: row.gradeB,
    gradeC: row.gradeC,
    decayPerWeek: row.decayPerWeek,
  };
}

export async function saveSettings(
  tx: Tx,
  workspaceId: string,
  object: string,
  values: ScoringSettingsValues,
): Promise<void> {
  await tx
    .insert(scoringSettings)
    .values({ workspaceId, object, ...values })
    .onConflictDoUpdate({
      target: [scoringSettings.workspaceId, scoringSettings.object],
      set: { ...values, updatedAt: sql`now()` },
    });
}

export async function insertEvent(tx: Tx, values: typeof scoreEvents.$inferInsert): Promise<void> {
  await tx.insert(scoreEvents).values(values);
}

/** Workspaces that have a decay for the object (the daily job's list; as sen_system). */
export async function workspacesWithDecay(tx: Tx, object: string): Promise<string[]> {
  const rows = await queryRows<{ workspace_id: string }>(
    tx,
    sql`SELECT workspace_id FROM scoring_settings WHERE object = ${object} AND decay_per_week > 0`,
  );
  return rows.map((r) => r.workspace_id);
}

/** Forget the score events of records deleted for good (a purge hook of the scored object). */
export async function deleteEventsOf(tx: Tx, object: string, ids: string[]): Promise<void> {
  await tx.execute(
    sql`DELETE FROM score_events WHERE object = ${object} AND record_id = ANY(${uuidArray(ids)})`,
  );
}
