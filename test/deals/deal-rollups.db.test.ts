import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * The sales report's daily figures (deal_rollups, migration 0038), kept by triggers on deals:
 * after every kind of write — create, move, win, lose, reopen, a new amount or owner, a stage's
 * new probability, trash and restore, delete, a time zone change — they equal the same figures
 * computed from the deals themselves.
 */
describe('deal rollups', () => {
  let t: TestApp;
  let admin: Client;
  let rep: Awaited<ReturnType<typeof addMember>>;
  let pipeline: { id: string; stages: { id: string; name: string; probability: number }[] };

  const sqlRows = async <T>(text: string, values: unknown[] = []) =>
    (await t.ctx.db.executeSql(text, values)).rows as T[];

  interface Figure {
    key: string;
    deals: number;
    amount: number;
    weighted: number;
    cycle: number;
  }
  const figures = (rows: Record<string, unknown>[]): Figure[] =>
    rows
      .map((r) => ({
        key: `${String(r.workspace_id)} ${String(r.day)} ${String(r.pipeline_id)} ${String(r.owner_id)} ${String(r.status)}`,
        deals: Number(r.deals),
        amount: Number(r.amount),
        weighted: Number(r.weighted),
        cycle: Number(r.cycle_seconds),
      }))
      .sort((a, b) => a.key.localeCompare(b.key));

  /** The rollup beside the same figures computed from the live deals. */
  async function expectCurrent(): Promise<Figure[]> {
    const kept = await sqlRows<Record<string, unknown>>(
      `SELECT workspace_id, day::text AS day, pipeline_id, owner_id, status, deals,
              amount::text AS amount, weighted::text AS weighted, cycle_seconds::text AS cycle_seconds
         FROM deal_rollups`,
    );
    // A share taken away leaves zeros, never a remainder.
    for (const r of figures(kept.filter((r) => Number(r.deals) === 0))) {
      expect(r).toEqual({ ...r, amount: 0, weighted: 0, cycle: 0 });
    }
    const computed = await sqlRows<Record<string, unknown>>(
      `SELECT d.workspace_id, x.day::text AS day, d.pipeline_id, d.owner_id, d.status,
              count(*) AS deals, sum(d.amount)::text AS amount,
              sum(d.amount * d.probability / 100.0)::text AS weighted,
              coalesce(sum(extract(epoch FROM d.closed_at - d.created_at))
                FILTER (WHERE d.status = 'won'), 0)::text AS cycle_seconds
         FROM deals d JOIN workspaces w ON w.id = d.workspace_id
        CROSS JOIN LATERAL (SELECT CASE WHEN d.status = 'open' THEN d.expected_close_date
                                        ELSE (d.closed_at AT TIME ZONE w.timezone)::date END AS day) x
        WHERE d.deleted_at IS NULL AND x.day IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5`,
    );
    const live = figures(kept.filter((r) => Number(r.deals) !== 0));
    expect(live).toEqual(figures(computed));
    return live;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    rep = await addMember(t.app, admin, 'sales', 'Lê Văn Minh');
    pipeline = (await admin.get('/api/v1/pipelines')).body.items[0];
  });
  afterAll(() => t?.close());

  it('follow every write to a deal', async () => {
    const [s0, s1, s2] = pipeline.stages;
    const create = async (body: Record<string, unknown>) => {
      const res = await rep.client.post('/api/v1/deals', body);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const patch = async (id: string, body: Record<string, unknown>) => {
      const res = await admin.patch(`/api/v1/deals/${id}`, body);
      expect(res.status).toBe(200);
    };

    const open = await create({ name: 'Mở', amount: 80_000_000, expectedCloseDate: '2027-03-20' });
    const noDate = await create({ name: 'Chưa có ngày', amount: 10_000_000 });
    const won = await create({ name: 'Thắng', amount: 120_000_000, status: 'won' });
    const lost = await create({
      name: 'Thua',
      amount: 30_000_000,
      status: 'lost',
      lostReason: 'price',
    });
    let live = await expectCurrent();
    // An open deal without an expected close date is in no day.
    expect(live.reduce((n, r) => n + r.deals, 0)).toBe(3);
    expect(live.find((r) => r.key.includes('2027-03-20'))).toMatchObject({
      deals: 1,
      amount: 80_000_000,
      weighted: (80_000_000 * s0!.probability) / 100,
    });

    // Moves, a new amount, a date, an owner; closing, reopening.
    await patch(open, { stageId: s2!.id, amount: 90_000_000 });
    await patch(noDate, { expectedCloseDate: '2027-04-02' });
    await patch(won, { ownerId: (await admin.get('/api/v1/auth/session')).body.user.id });
    await patch(lost, { status: 'open', expectedCloseDate: '2027-03-21' });
    await patch(open, { status: 'won' });
    await expectCurrent();

    // A stage's new probability reaches its open deals.
    const saved = await admin.request('PUT', `/api/v1/pipelines/${pipeline.id}/stages`, {
      stages: pipeline.stages.map((s) => ({
        id: s.id,
        name: s.name,
        probability: s.id === s0!.id ? 33 : s.probability,
      })),
    });
    expect(saved.status).toBe(200);
    await patch(lost, { stageId: s1!.id });
    await patch(lost, { stageId: s0!.id });
    live = await expectCurrent();
    expect(live.find((r) => r.key.includes('2027-03-21'))?.weighted).toBe((30_000_000 * 33) / 100);

    // Trash, restore, trash again, then gone for good.
    expect((await admin.request('DELETE', `/api/v1/deals/${noDate}`)).status).toBe(204);
    await expectCurrent();
    expect((await admin.post(`/api/v1/deals/${noDate}/restore`, {})).status).toBe(200);
    await expectCurrent();
    expect((await admin.request('DELETE', `/api/v1/deals/${noDate}`)).status).toBe(204);
    await t.ctx.db.executeSql('DELETE FROM deals WHERE id = $1', [noDate]);
    await expectCurrent();
  });

  it('a closing day is the workspace’s: a new time zone moves it', async () => {
    const res = await rep.client.post('/api/v1/deals', {
      name: 'Chốt lúc 1 giờ sáng',
      amount: 5_000_000,
      status: 'won',
    });
    expect(res.status).toBe(201);
    // 01:00 on 1 April in Hà Nội is 18:00 on 31 March in UTC.
    await t.ctx.db.executeSql(`UPDATE deals SET closed_at = '2027-03-31T18:00:00Z' WHERE id = $1`, [
      res.body.id,
    ]);
    const dayOf = async () =>
      (
        await sqlRows<{ day: string }>(
          `SELECT day::text AS day FROM deal_rollups WHERE amount = 5000000 AND deals = 1`,
        )
      ).map((r) => r.day);
    expect(await dayOf()).toEqual(['2027-04-01']);
    const moved = await admin.patch('/api/v1/workspace', { timezone: 'UTC' });
    expect(moved.status).toBe(200);
    expect(await dayOf()).toEqual(['2027-03-31']);
    await expectCurrent();
    const report = await admin.get('/api/v1/reports/sales?period=month&date=2027-03-15');
    expect(report.status).toBe(200);
    expect(report.body.totals.wonAmount).toBeGreaterThanOrEqual(5_000_000);
  });
});
