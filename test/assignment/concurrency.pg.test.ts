import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { assignByRules } from '../../src/modules/assignment/assign.js';
import { takeTurns } from '../../src/modules/assignment/assignment.repository.js';
import { getRecordObject } from '../../src/modules/records/registry.js';
import { assignmentWorld, owners, rulesUrl, type World } from './support.js';

/**
 * Round robin under concurrency, on PostgreSQL (PGlite runs one transaction at a time): records
 * created and assigned by the same team rule in concurrent transactions never go to the same rep
 * by a race. A transaction takes its turn with one UPDATE of the rule's row (takeTurns: the
 * pointer moved on from where it stands), which holds the row until its commit, so the next one
 * moves on from the pointer the previous one left.
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

  it('a second turn by the same rule waits for the first to commit, then takes the next member', async () => {
    const view = await w.admin.get(rulesUrl);
    const ruleId = view.body.rules[0].id as string;
    // The round robin's order: user ids in order.
    const members = w.reps.map((r) => r.userId).sort();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = w.t.ctx.db.tenant(w.actor, async (tx) => {
      const got = await takeTurns(tx, ruleId, members, 1);
      await gate;
      return got;
    });
    await new Promise((r) => setTimeout(r, 50));
    // While the first holds the row, a plain read is not blocked and sees the pointer as it was
    // committed; a second turn waits.
    const plain = await w.t.ctx.db.tenant(w.actor, (tx) =>
      queryRows<{ p: string | null }>(
        tx,
        sql`SELECT last_user_id::text AS p FROM assignment_rules WHERE id = ${ruleId}::uuid`,
      ),
    );
    let secondDone = false;
    const second = w.t.ctx.db
      .tenant(w.actor, (tx) => takeTurns(tx, ruleId, members, 1))
      .then((r) => {
        secondDone = true;
        return r;
      });
    await new Promise((r) => setTimeout(r, 100));
    expect(secondDone).toBe(false);
    release();
    const a = await first;
    const b = await second;
    expect(plain[0]!.p).not.toBe(a);
    expect(a).toBe(members[(members.indexOf(plain[0]!.p ?? '') + 1) % members.length]);
    expect(b).toBe(members[(members.indexOf(a) + 1) % members.length]);
  });
});
