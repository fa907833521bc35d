import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { assignByRules } from '../../src/modules/assignment/assign.js';
import { getRecordObject } from '../../src/modules/records/registry.js';
import { assignmentWorld, owners, rulesUrl, type World } from './support.js';

/**
 * Round robin under concurrency, on PostgreSQL (PGlite runs one transaction at a time): records
 * created and assigned by the same team rule in concurrent transactions never go to the same rep
 * by a race. Each transaction holds the rule's row from its SELECT … FOR UPDATE to its commit,
 * so the next one reads the pointer the previous one moved.
 */
describe('round robin under concurrent writes (PostgreSQL)', () => {
  let w: World;

  beforeAll(async () => {
    w = await assignmentWorld();
    expect(w.t.ctx.db.kind).toBe('postgres');
  });
  afterAll(() => w?.done());

  it('gives 12 records created at the same moment to 3 reps, 4 each, in turn', async () => {
    const rule = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Cả nhóm',
      targetType: 'team',
      teamId: w.teamId,
      method: 'round_robin',
    });
    expect(rule.status).toBe(201);
    const contacts = getRecordObject('contacts')!;
    // Twelve transactions at once, each creating a record, holding it a moment (so they overlap)
    // and assigning it.
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        w.t.ctx.db.tenant(w.actor, async (tx) => {
          const [row] = await queryRows<{ id: string }>(
            tx,
            sql`INSERT INTO ${contacts.table} (workspace_id, owner_id, display_name, given_name)
                VALUES (${w.workspaceId}::uuid, ${w.adminId}::uuid, ${`Khách ${i}`}, ${`Khách ${i}`})
                RETURNING id`,
          );
          await tx.execute(sql`SELECT pg_sleep(0.02)`);
          await assignByRules(tx, w.actor, 'contacts', [row!.id]);
          return row!.id;
        }),
      ),
    );
    const got = await owners(w, ids);
    const tally = new Map<string | null, number>();
    for (const o of got) tally.set(o, (tally.get(o) ?? 0) + 1);
    expect(Object.fromEntries(tally)).toEqual(Object.fromEntries(w.reps.map((r) => [r.userId, 4])));
  });

  it('a second assignment by the same rule waits for the first to commit (the row lock)', async () => {
    // The control: two transactions reading the pointer without FOR UPDATE see the same value,
    // which is what the lock prevents.
    const view = await w.admin.get(rulesUrl);
    const ruleId = view.body.rules[0].id as string;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = w.t.ctx.db.tenant(w.actor, async (tx) => {
      const [row] = await queryRows<{ p: string | null }>(
        tx,
        sql`SELECT last_user_id AS p FROM assignment_rules WHERE id = ${ruleId}::uuid FOR UPDATE`,
      );
      await gate;
      return row!.p;
    });
    // While the first holds the row, a plain read is not blocked, but a locking one waits.
    await new Promise((r) => setTimeout(r, 50));
    const plain = await w.t.ctx.db.tenant(w.actor, (tx) =>
      queryRows<{ p: string | null }>(
        tx,
        sql`SELECT last_user_id AS p FROM assignment_rules WHERE id = ${ruleId}::uuid`,
      ),
    );
    let lockedDone = false;
    const locked = w.t.ctx.db
      .tenant(w.actor, (tx) =>
        queryRows<{ p: string | null }>(
          tx,
          sql`SELECT last_user_id AS p FROM assignment_rules WHERE id = ${ruleId}::uuid FOR UPDATE`,
        ),
      )
      .then((r) => {
        lockedDone = true;
        return r;
      });
    await new Promise((r) => setTimeout(r, 100));
    expect(lockedDone).toBe(false);
    release();
    expect(plain[0]!.p).toBe(await first);
    await locked;
    expect(lockedDone).toBe(true);
  });
});
