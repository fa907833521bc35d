import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { prepared } from '../../db/sql.js';
import { teamMembers, teams, workspaceMembers } from '../../db/schema/index.js';

const teamSelect = {
  id: teams.id,
  name: teams.name,
  memberIds: sql<
    string[]
  >`ARRAY(SELECT tm.user_id FROM team_members tm WHERE tm.team_id = ${teams.id} ORDER BY tm.user_id)`,
};

export type TeamRow = { id: string; name: string; memberIds: string[] };

export function listTeams(tx: Tx): Promise<TeamRow[]> {
  return tx
    .select(teamSelect)
    .from(teams)
    .orderBy(asc(sql`lower(${teams.name})`), asc(teams.id));
}

const teamById = prepared('teams_get', (tx) =>
  tx
    .select(teamSelect)
    .from(teams)
    .where(eq(teams.id, sql.placeholder('id'))),
);

export async function getTeam(tx: Tx, id: string): Promise<TeamRow | undefined> {
  const [row] = await teamById(tx, { id });
  return row;
}

export async function insertTeam(tx: Tx, workspaceId: string, name: string): Promise<string> {
  const [row] = await tx.insert(teams).values({ workspaceId, name }).returning({ id: teams.id });
  if (!row) throw new Error('team insert returned nothing');
  return row.id;
}

export async function renameTeam(tx: Tx, id: string, name: string): Promise<void> {
  await tx
    .update(teams)
    .set({ name, updatedAt: sql`now()` })
    .where(eq(teams.id, id));
}

export async function deleteTeam(tx: Tx, id: string): Promise<void> {
  await tx.delete(teams).where(eq(teams.id, id));
}

export async function setTeamMembers(
  tx: Tx,
  workspaceId: string,
  teamId: string,
  userIds: string[],
): Promise<void> {
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (userIds.length > 0) {
    await tx.insert(teamMembers).values(userIds.map((userId) => ({ workspaceId, teamId, userId })));
  }
}

/** Which of these ids are members of the current workspace (RLS scopes the query). */
export async function existingMemberIds(tx: Tx, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await tx
    .select({ id: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(inArray(workspaceMembers.userId, userIds));
  return new Set(rows.map((r) => r.id));
}
