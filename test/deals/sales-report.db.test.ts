import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketsOf, periodOf, shiftPeriod } from '../../src/modules/sales-reports/periods.js';
import { takeSnapshot } from '../../src/modules/sales-reports/sales-reports.service.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Forecast and sales reports (#19): periods in the workspace's calendar (Asia/Ho_Chi_Minh,
 * weeks from Monday), won / lost / open figures, targets and attainment, the funnel from stage
 * history, leads by source, weekly snapshots; a rep's figures count only what the rep sees.
 */
describe('sales report', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;
  let repA: Awaited<ReturnType<typeof addMember>>;
  let repB: Awaited<ReturnType<typeof addMember>>;
  let workspaceId: string;
  let stages: { id: string; name: string }[];

  const sqlExec = (text: string, values: unknown[] = []) => t.ctx.db.executeSql(text, values);

  /** A deal through the API, then its dates set as if it had lived them. */
  async function deal(
    client: Client,
    body: Record<string, unknown>,
    dates: { created?: string; closed?: string } = {},
  ): Promise<string> {
    const res = await client.post('/api/v1/deals', body);
    expect(res.status).toBe(201);
    if (body.status === 'won' || body.status === 'lost' || dates.closed || dates.created) {
      await sqlExec(
        `UPDATE deals SET created_at = coalesce($2::timestamptz, created_at),
                          closed_at = coalesce($3::timestamptz, closed_at) WHERE id = $1`,
        [res.body.id, dates.created ?? null, dates.closed ?? null],
      );
    }
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    manager = (await addMember(t.app, admin, 'manager', 'Nguyễn Thị Lan')).client;
    repA = await addMember(t.app, admin, 'sales', 'Lê Văn Minh');
    repB = await addMember(t.app, admin, 'sales', 'Phạm Thị Hoa');
    workspaceId = (await admin.get('/api/v1/auth/session')).body.workspace.id;
    stages = (await manager.get('/api/v1/pipelines')).body.items[0].stages;

    // Rep A: won 100 M on 10 March (created 20 Feb: 18 days), lost one, one open at 50 %.
    const a1 = await deal(
      repA.client,
      { name: 'A1', amount: 100_000_000, stageId: stages[3]!.id, status: 'won' },
      { created: '2027-02-20T09:00:00+07:00', closed: '2027-03-10T09:00:00+07:00' },
    );
    await deal(
      repA.client,
      { name: 'A2', amount: 70_000_000, status: 'lost', lostReason: 'price' },
      { created: '2027-03-02T09:00:00+07:00', closed: '2027-03-20T09:00:00+07:00' },
    );
    await deal(
      repA.client,
      { name: 'A3', amount: 50_000_000, stageId: stages[2]!.id, expectedCloseDate: '2027-03-25' },
      { created: '2027-03-03T09:00:00+07:00' },
    );
    await deal(repA.client, {
      name: 'A4 (April)',
      amount: 999_000_000,
      expectedCloseDate: '2027-04-02',
    });
    // Rep B: won on the evening of 31 March in Hà Nội (in March), and one at 01:00 on 1 April
    // local time (18:00 UTC on 31 March: April in the workspace's calendar).
    await deal(
      repB.client,
      { name: 'B1', amount: 40_000_000, status: 'won' },
      { created: '2027-03-05T09:00:00+07:00', closed: '2027-03-31T20:00:00+07:00' },
    );
    await deal(
      repB.client,
      { name: 'B2 (April)', amount: 5_000_000, status: 'won' },
      { created: '2027-03-06T09:00:00+07:00', closed: '2027-03-31T18:00:00Z' },
    );
    expect(a1).toBeTruthy();
  });
  afterAll(() => t?.close());

  it('periods: weeks from Monday clipped to the month, quarters of months, stepping', () => {
    const march = periodOf('month', '2027-03-15');
    expect(march).toEqual({ kind: 'month', start: '2027-03-01', end: '2027-04-01' });
    expect(bucketsOf(march).map((b) => b.start)).toEqual([
      '2027-03-01',
      '2027-03-08',
      '2027-03-15',
      '2027-03-22',
      '2027-03-29',
    ]);
    // December 2026 starts on a Tuesday: its first week is clipped.
    expect(bucketsOf(periodOf('month', '2026-12-07')).map((b) => b.start)).toEqual([
      '2026-12-01',
      '2026-12-07',
      '2026-12-14',
      '2026-12-21',
      '2026-12-28',
    ]);
    expect(periodOf('quarter', '2027-05-31')).toEqual({
      kind: 'quarter',
      start: '2027-04-01',
      end: '2027-07-01',
    });
    expect(shiftPeriod(periodOf('quarter', '2027-01-10'), -1).start).toBe('2026-10-01');
    expect(bucketsOf(periodOf('year', '2027-06-01'))).toHaveLength(12);
  });

  it('the month: won, lost, open, weighted, best case, win rate, size, cycle, over time', async () => {
    await manager.request('PUT', '/api/v1/sales-targets', {
      userId: repA.userId,
      month: '2027-03',
      amount: 200_000_000,
    });
    const res = await manager.get('/api/v1/reports/sales?period=month&date=2027-03-15');
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({
      wonAmount: 140_000_000,
      wonCount: 2,
      lostCount: 1,
      winRate: 2 / 3,
      averageDealSize: 70_000_000,
      salesCycleDays: expect.closeTo((18 + 26.458) / 2, 0),
      openAmount: 50_000_000,
      openCount: 1,
      weightedAmount: 25_000_000,
      bestCaseAmount: 190_000_000,
      target: 200_000_000,
      attainment: 140 / 200,
    });
    const minh = res.body.byOwner.find((o: { name: string }) => o.name === 'Lê Văn Minh');
    expect(minh).toMatchObject({
      wonAmount: 100_000_000,
      weightedAmount: 25_000_000,
      target: 200_000_000,
      attainment: 0.5,
    });
    expect(res.body.overTime).toEqual([
      { start: '2027-03-01', end: '2027-03-08', wonAmount: 0, weightedAmount: 0 },
      { start: '2027-03-08', end: '2027-03-15', wonAmount: 100_000_000, weightedAmount: 0 },
      { start: '2027-03-15', end: '2027-03-22', wonAmount: 0, weightedAmount: 0 },
      { start: '2027-03-22', end: '2027-03-29', wonAmount: 0, weightedAmount: 25_000_000 },
      { start: '2027-03-29', end: '2027-04-01', wonAmount: 40_000_000, weightedAmount: 0 },
    ]);
    const april = await manager.get('/api/v1/reports/sales?period=month&date=2027-04-01');
    expect(april.body.totals).toMatchObject({ wonAmount: 5_000_000, openAmount: 999_000_000 });
  });

  it('a rep counts only their own deals; a team filter counts its members', async () => {
    const own = await repA.client.get('/api/v1/reports/sales?period=month&date=2027-03-15');
    expect(own.body.totals).toMatchObject({ wonAmount: 100_000_000, wonCount: 1, lostCount: 1 });
    expect(own.body.byOwner.map((o: { name: string }) => o.name)).toEqual(['Lê Văn Minh']);
    const team = await admin.post('/api/v1/teams', {
      name: 'Miền Bắc',
      memberIds: [repB.userId],
    });
    expect(team.status).toBe(201);
    const north = await manager.get(
      `/api/v1/reports/sales?period=month&date=2027-03-15&teamId=${team.body.id}`,
    );
    expect(north.body.totals).toMatchObject({ wonAmount: 40_000_000, target: null });
    const byOwner = await manager.get(
      `/api/v1/reports/sales?period=quarter&date=2027-03-15&ownerId=${repB.userId}`,
    );
    expect(byOwner.body.totals.wonAmount).toBe(40_000_000);
    expect(byOwner.body.overTime.map((b: { start: string }) => b.start)).toEqual([
      '2027-01-01',
      '2027-02-01',
      '2027-03-01',
    ]);
  });

  it('the funnel of the deals created in the period, from their stage history', async () => {
    const res = await manager.get('/api/v1/reports/sales?period=month&date=2027-03-15');
    const funnel = res.body.funnel;
    expect(funnel.pipelineName).toBe('Bán hàng');
    // Created in March: A2 (first stage, lost), A3 (third stage), B1 and B2 (won from the
    // first stage: a won deal counts as having gone through every stage).
    expect(funnel.stages.map((s: { reached: number }) => s.reached)).toEqual([4, 3, 3, 2, 2]);
    expect(funnel.won).toBe(2);
    expect(funnel.stages[0].conversion).toBe(0.75);
    expect(funnel.stages[4].conversion).toBe(1);
  });

  it('leads by source, their conversion and the revenue of their deals', async () => {
    const lead = await manager.post('/api/v1/leads', {
      fullName: 'Vũ Văn Giới',
      source: 'referral',
    });
    await manager.post('/api/v1/leads', { fullName: 'Đào Thị Fb', source: 'facebook' });
    await manager.post('/api/v1/leads', { fullName: 'Hồ Văn Fb', source: 'facebook' });
    await sqlExec(
      `UPDATE leads SET created_at = '2027-03-04T09:00:00+07:00',
              status = CASE WHEN id = $1 THEN 'converted' ELSE status END`,
      [lead.body.id],
    );
    await deal(
      manager,
      { name: 'Từ giới thiệu', amount: 30_000_000, status: 'won' },
      { created: '2027-03-05T09:00:00+07:00', closed: '2027-03-12T09:00:00+07:00' },
    );
    await sqlExec(`UPDATE deals SET source_lead_id = $1 WHERE name = 'Từ giới thiệu'`, [
      lead.body.id,
    ]);
    const res = await manager.get('/api/v1/reports/sales?period=month&date=2027-03-15');
    expect(res.body.leadsBySource).toEqual([
      {
        source: 'facebook',
        label: { vi: 'Facebook', en: 'Facebook' },
        leads: 2,
        converted: 0,
        conversionRate: 0,
        wonAmount: 0,
      },
      {
        source: 'referral',
        label: { vi: 'Giới thiệu', en: 'Referral' },
        leads: 1,
        converted: 1,
        conversionRate: 1,
        wonAmount: 30_000_000,
      },
    ]);
  });

  it('weekly snapshots: the forecast made on a day, beside the actual', async () => {
    await deal(manager, {
      name: 'Tháng này',
      amount: 80_000_000,
      stageId: stages[4]!.id,
      expectedCloseDate: new Date().toISOString().slice(0, 10),
    });
    const written = await t.ctx.db.tenant({ workspaceId, userId: null }, (tx) => takeSnapshot(tx));
    expect(written).toBeGreaterThan(0);
    // Taken again the same day: replaced, not doubled.
    await t.ctx.db.tenant({ workspaceId, userId: null }, (tx) => takeSnapshot(tx));
    const res = await manager.get('/api/v1/reports/sales?period=month');
    expect(res.body.snapshots).toHaveLength(1);
    expect(res.body.snapshots[0]).toMatchObject({
      weightedAmount: 72_000_000,
      openAmount: 80_000_000,
      forecastAmount: res.body.snapshots[0].wonAmount + 72_000_000,
    });
    // A rep sees the snapshot of their own deals only.
    const rep = await repA.client.get('/api/v1/reports/sales?period=month');
    expect(rep.body.snapshots.every((s: { openAmount: number }) => s.openAmount === 0)).toBe(true);
  });

  it('exports a table as CSV and Excel, in words, formulas neutralised', async () => {
    const csv = await manager.get(
      '/api/v1/reports/sales/export?period=month&date=2027-03-15&table=byOwner&format=csv',
    );
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const text = String(csv.body);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      'Nhân viên,Doanh thu thắng (đ),Số cơ hội thắng,Số cơ hội thua,"Đang mở, dự kiến chốt (đ)",Dự báo theo xác suất (đ),Chỉ tiêu (đ),Hoàn thành chỉ tiêu (%)',
    );
    expect(lines.some((l) => l.startsWith('Lê Văn Minh,'))).toBe(true);
    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports/sales/export?period=month&date=2027-03-15&table=funnel&format=xlsx',
      headers: { cookie: `sen_session=${manager.cookie}`, 'accept-language': 'vi' },
    });
    expect(xlsx.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).text).toBe('Giai đoạn');
    expect(sheet.getRow(2).getCell(1).text).toBe('Tiếp cận');
    const denied = await manager.get('/api/v1/reports/sales/export?table=nope');
    expect(denied.status).toBe(400);
  });

  it('targets: managers set them, reps read their own; bad input is a 400', async () => {
    const list = await repA.client.get('/api/v1/sales-targets?year=2027');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      { userId: repA.userId, name: 'Lê Văn Minh', months: { '2027-03': 200_000_000 } },
    ]);
    const denied = await repA.client.request('PUT', '/api/v1/sales-targets', {
      userId: repA.userId,
      month: '2027-04',
      amount: 1,
    });
    expect(denied.status).toBe(403);
    const badMonth = await manager.request('PUT', '/api/v1/sales-targets', {
      userId: repA.userId,
      month: '2027-13',
      amount: 1,
    });
    expect(badMonth.status).toBe(400);
    const stranger = await manager.request('PUT', '/api/v1/sales-targets', {
      userId: '0190a0a0-0000-7000-8000-000000000000',
      month: '2027-04',
      amount: 1,
    });
    expect(stranger.status).toBe(400);
    const removed = await manager.request('PUT', '/api/v1/sales-targets', {
      userId: repA.userId,
      month: '2027-03',
      amount: null,
    });
    expect(removed.status).toBe(204);
    for (const q of ['period=week', 'date=2027-02-30', 'pipelineId=abc', 'period=month&x=1']) {
      const bad = await manager.get(`/api/v1/reports/sales?${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
