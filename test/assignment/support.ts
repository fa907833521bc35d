import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Actor } from '../../src/core/permissions.js';
import { queryRows, uuidArray } from '../../src/db/sql.js';
import { assignByRules } from '../../src/modules/assignment/assign.js';
import { actorOf } from '../../src/modules/imports/imports.repository.js';
import { recordObjectDefinition } from '../../src/modules/records/define.js';
import { addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * A workspace for the assignment engine's tests: an admin, three sales reps in one team, and
 * contacts declared assignable for the test (leads are the object that declares it in the
 * product; the engine is generic over record objects). Open work = not yet a customer.
 */
export interface World {
  t: TestApp;
  admin: Client;
  adminId: string;
  workspaceId: string;
  reps: Awaited<ReturnType<typeof addMember>>[];
  teamId: string;
  /** The import's actor (channel import): how a batch of new records is assigned. */
  actor: Actor;
  done(): Promise<void>;
}

export async function assignmentWorld(): Promise<World> {
  const t = await createTestApp();
  const s = await setupAdmin(t.app);
  const admin = s.admin;
  const adminId = s.session.user.id as string;
  const workspaceId = s.session.workspace.id as string;
  const reps = [];
  for (const name of ['Phạm Văn Bình', 'Lê Thị Cúc', 'Hoàng Minh Đức']) {
    reps.push(await addMember(t.app, admin, 'sales', name));
  }
  const team = await admin.post('/api/v1/teams', {
    name: 'Kinh doanh miền Bắc',
    memberIds: reps.map((r) => r.userId),
  });
  expect(team.status).toBe(201);
  const def = recordObjectDefinition('contacts')!;
  def.assignment = { open: sql`r.lifecycle_stage <> 'customer'` };
  const actor = await actorOf(t.ctx.db, { createdBy: adminId, workspaceId });
  if (!actor) throw new Error('no actor');
  return {
    t,
    admin,
    adminId,
    workspaceId,
    reps,
    teamId: team.body.id as string,
    actor,
    async done() {
      delete def.assignment;
      await t.close();
    },
  };
}

/** New contacts (through the API, owned by the admin), assigned as one batch by the rules. */
export async function createAssigned(
  w: World,
  bodies: Record<string, unknown>[],
): Promise<{ ids: string[]; owners: (string | null)[] }> {
  const ids: string[] = [];
  for (const body of bodies) {
    const res = await w.admin.post('/api/v1/contacts', { ownerId: w.adminId, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  await w.t.ctx.db.tenant(w.actor, (tx) => assignByRules(tx, w.actor, 'contacts', ids));
  return { ids, owners: await owners(w, ids) };
}

export async function owners(w: World, ids: string[]): Promise<(string | null)[]> {
  const rows = await w.t.ctx.db.system((tx) =>
    queryRows<{ id: string; ownerId: string | null }>(
      tx,
      sql`SELECT id, owner_id AS "ownerId" FROM contacts WHERE id = ANY(${uuidArray(ids)})`,
    ),
  );
  const byId = new Map(rows.map((r) => [r.id, r.ownerId]));
  return ids.map((id) => byId.get(id) ?? null);
}

export const rulesUrl = '/api/v1/settings/assignment/contacts';

export const put = (client: Client, url: string, body: unknown) => client.request('PUT', url, body);
