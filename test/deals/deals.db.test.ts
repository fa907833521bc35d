import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

interface Stage {
  id: string;
  name: string;
  probability: number;
  dealCount: number;
}
interface Pipeline {
  id: string;
  name: string;
  rottingDays: number | null;
  stages: Stage[];
}

/**
 * Deals and pipelines (#19, src/modules/deals): a record object declared like products; the
 * stage must be of the deal's pipeline; probability, time in stage, closing and the stage
 * history are kept by the database; the board groups one pipeline's open deals by stage with
 * the amount and weighted totals; pipelines and stages are edited without losing deals.
 */
describe('deals and pipelines', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;
  let sales: Awaited<ReturnType<typeof addMember>>;
  let otherSales: Awaited<ReturnType<typeof addMember>>;
  let retail: Pipeline;

  const fieldErrors = (body: {
    error: { details: { fields: { path: string; reason: string }[] } };
  }) => body.error.details.fields.map((f) => `${f.path}:${f.reason}`);

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    manager = (await addMember(t.app, admin, 'manager', 'Nguyễn Thị Lan')).client;
    sales = await addMember(t.app, admin, 'sales', 'Lê Văn Minh');
    otherSales = await addMember(t.app, admin, 'sales', 'Phạm Thị Hoa');
  });
  afterAll(() => t?.close());

  it('a new workspace has the default pipeline in its language', async () => {
    const res = await sales.client.get('/api/v1/pipelines');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    retail = res.body.items[0];
    expect(retail.name).toBe('Bán hàng');
    expect(retail.rottingDays).toBe(14);
    expect(retail.stages.map((s: Stage) => [s.name, s.probability])).toEqual([
      ['Tiếp cận', 10],
      ['Tìm hiểu nhu cầu', 25],
      ['Gửi báo giá', 50],
      ['Đàm phán', 75],
      ['Chốt hợp đồng', 90],
    ]);
  });

  it('creates a deal in the first stage and keeps probability, stage time and history', async () => {
    const company = await sales.client.post('/api/v1/companies', { name: 'Công ty Hoà Bình' });
    const created = await sales.client.post('/api/v1/deals', {
      name: 'Đơn hàng nước mắm quý 1',
      amount: 120_000_000,
      companyId: company.body.id,
      expectedCloseDate: '2027-03-31',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      pipelineId: retail.id,
      stageId: retail.stages[0]!.id,
      status: 'open',
      probability: 10,
      weightedAmount: 12_000_000,
      company: { id: company.body.id, name: 'Công ty Hoà Bình' },
      owner: { id: sales.userId, name: 'Lê Văn Minh' },
      closedAt: null,
      rotting: false,
      version: 1,
    });
    const id = created.body.id as string;

    const moved = await sales.client.request(
      'PATCH',
      `/api/v1/deals/${id}`,
      { stageId: retail.stages[2]!.id },
      { 'if-match': '"1"' },
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ probability: 50, weightedAmount: 60_000_000, version: 2 });

    // A second rep's board still shows version 1: the drag is refused, not lost.
    const stale = await sales.client.request(
      'PATCH',
      `/api/v1/deals/${id}`,
      { stageId: retail.stages[1]!.id },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.current.stageId).toBe(retail.stages[2]!.id);

    const lostNoReason = await sales.client.patch(`/api/v1/deals/${id}`, { status: 'lost' });
    expect(lostNoReason.status).toBe(400);
    expect(fieldErrors(lostNoReason.body)).toEqual(['lostReason:required']);

    const won = await sales.client.patch(`/api/v1/deals/${id}`, {
      status: 'won',
      wonReason: 'price',
    });
    expect(won.body).toMatchObject({ status: 'won', probability: 100, wonReason: 'price' });
    expect(won.body.closedAt).toBeTruthy();
    const reopened = await sales.client.patch(`/api/v1/deals/${id}`, { status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', probability: 50, closedAt: null });
    expect(reopened.body.wonReason).toBeNull();

    const history = await t.ctx.db.executeSql(
      `SELECT stage_name, status, left_at IS NOT NULL AS closed FROM deal_stage_history
        WHERE deal_id = $1 ORDER BY entered_at, id`,
      [id],
    );
    expect(history.rows).toEqual([
      { stage_name: 'Tiếp cận', status: 'open', closed: true },
      { stage_name: 'Gửi báo giá', status: 'open', closed: true },
      { stage_name: 'Gửi báo giá', status: 'won', closed: true },
      { stage_name: 'Gửi báo giá', status: 'open', closed: false },
    ]);

    // The deal shows on its company's timeline.
    const timeline = await sales.client.get(`/api/v1/companies/${company.body.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(
      timeline.body.items.some(
        (e: { record: { type: string; id: string } | null; recordType?: string }) =>
          JSON.stringify(e).includes(id),
      ),
    ).toBe(true);
  });

  it('refuses a stage of another pipeline; a new pipeline alone takes its first stage', async () => {
    const dealers = await manager.post('/api/v1/pipelines', {
      name: 'Đại lý',
      rottingDays: 30,
      stages: [
        { name: 'Khảo sát đại lý', probability: 20 },
        { name: 'Ký hợp đồng đại lý', probability: 80 },
      ],
    });
    expect(dealers.status).toBe(201);
    const deal = await sales.client.post('/api/v1/deals', {
      name: 'Đại lý Hải Phòng',
      amount: 50_000_000,
    });
    expect(deal.body.pipelineId).toBe(retail.id);
    const wrong = await sales.client.patch(`/api/v1/deals/${deal.body.id}`, {
      pipelineId: retail.id,
      stageId: dealers.body.stages[1].id,
    });
    expect(wrong.status).toBe(400);
    expect(fieldErrors(wrong.body)).toEqual(['stageId:other_pipeline']);
    const moved = await sales.client.patch(`/api/v1/deals/${deal.body.id}`, {
      pipelineId: dealers.body.id,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      pipelineId: dealers.body.id,
      stageId: dealers.body.stages[0].id,
      probability: 20,
    });
    const created = await sales.client.post('/api/v1/deals', {
      name: 'Đại lý Nam Định',
      stageId: dealers.body.stages[1].id,
    });
    expect(created.body).toMatchObject({ pipelineId: dealers.body.id, probability: 80 });
    const unknown = await sales.client.post('/api/v1/deals', {
      name: 'X',
      stageId: '0190a0a0-0000-7000-8000-000000000000',
    });
    expect(fieldErrors(unknown.body)).toEqual(['stageId:not_found']);
    const bad = await manager.post('/api/v1/pipelines', {
      name: 'Sai',
      stages: [{ name: 'A', probability: 101 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('the board: one pipeline’s open deals by stage, with counts, totals and weighted totals', async () => {
    const make = (client: Client, name: string, amount: number, stage: number) =>
      client.post('/api/v1/deals', { name, amount, stageId: retail.stages[stage]!.id });
    await make(otherSales.client, 'Hoa 1', 10_000_000, 0);
    await make(otherSales.client, 'Hoa 2', 30_000_000, 3);
    const closed = await make(otherSales.client, 'Hoa 3 (thua)', 99_000_000, 3);
    await otherSales.client.patch(`/api/v1/deals/${closed.body.id}`, {
      status: 'lost',
      lostReason: 'competitor',
    });

    const board = await manager.get(`/api/v1/deals/board?groupBy=stageId&scope=${retail.id}`);
    expect(board.status).toBe(200);
    const columns = board.body.columns as {
      value: string;
      label: { vi: string };
      count: number;
      sums: { amount: number; weighted: number };
      items: { name: string }[];
    }[];
    expect(columns.map((c) => c.label?.vi)).toEqual(retail.stages.map((s) => s.name));
    const byName = Object.fromEntries(columns.map((c) => [c.label.vi, c]));
    expect(byName['Tiếp cận']).toMatchObject({
      count: 1,
      sums: { amount: 10_000_000, weighted: 1_000_000 },
    });
    expect(byName['Gửi báo giá']).toMatchObject({
      count: 1,
      sums: { amount: 120_000_000, weighted: 60_000_000 },
    });
    // The lost deal is not on the board.
    expect(byName['Đàm phán']).toMatchObject({
      count: 1,
      sums: { amount: 30_000_000, weighted: 22_500_000 },
    });

    // A rep's board counts only what the rep may see.
    const own = await sales.client.get(`/api/v1/deals/board?groupBy=stageId&scope=${retail.id}`);
    const ownTotal = (own.body.columns as { sums: { amount: number } }[]).reduce(
      (n, c) => n + c.sums.amount,
      0,
    );
    expect(ownTotal).toBe(120_000_000);
    expect(own.body.total).toBe(1);
  });

  it('stages are renamed, reordered, re-weighted and deleted without losing deals', async () => {
    const before = (await manager.get('/api/v1/pipelines')).body.items[0] as Pipeline;
    const [s0, s1, s2, s3, s4] = before.stages as [Stage, Stage, Stage, Stage, Stage];
    expect(s0.dealCount).toBe(1);
    const deal = await manager.get(
      `/api/v1/deals?filter=${encodeURIComponent(
        JSON.stringify({ and: [{ field: 'stageId', op: 'is', value: s2.id }] }),
      )}`,
    );
    expect(deal.body).toMatchObject({ items: [{ name: 'Đơn hàng nước mắm quý 1' }] });
    const versionBefore = deal.body.items[0].version as number;

    // Deleting a stage that holds deals needs a destination.
    const refused = await manager.request('PUT', `/api/v1/pipelines/${before.id}/stages`, {
      stages: [s1, s2, s3, s4].map(({ id, name, probability }) => ({ id, name, probability })),
    });
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.body)).toEqual([`moves.${s0.id}:required`]);

    const sales403 = await sales.client.request('PUT', `/api/v1/pipelines/${before.id}/stages`, {
      stages: [{ id: s0.id, name: 'x', probability: 1 }],
    });
    expect(sales403.status).toBe(403);

    const saved = await manager.request('PUT', `/api/v1/pipelines/${before.id}/stages`, {
      stages: [
        { id: s1.id, name: 'Khảo sát nhu cầu', probability: 20 },
        { id: s2.id, name: s2.name, probability: 60 },
        { name: 'Demo sản phẩm', probability: 65 },
        { id: s3.id, name: s3.name, probability: s3.probability },
        { id: s4.id, name: s4.name, probability: s4.probability },
      ],
      moves: { [s0.id]: s1.id },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.stages.map((s: Stage) => [s.name, s.dealCount])).toEqual([
      ['Khảo sát nhu cầu', 1],
      ['Gửi báo giá', 1],
      ['Demo sản phẩm', 0],
      ['Đàm phán', 2],
      ['Chốt hợp đồng', 0],
    ]);
    const after = await manager.get(`/api/v1/deals/${deal.body.items[0].id}`);
    // The open deal took the stage's new probability; nobody edited it, so its version stays.
    expect(after.body).toMatchObject({ probability: 60, version: versionBefore });
    const lost = await manager.get(
      `/api/v1/deals?filter=${encodeURIComponent(
        JSON.stringify({ and: [{ field: 'status', op: 'is', value: 'lost' }] }),
      )}`,
    );
    expect(lost.body.items[0].probability).toBe(0);
  });

  it('deletes a pipeline only with somewhere for its deals, never the last one', async () => {
    const all = (await manager.get('/api/v1/pipelines')).body.items as Pipeline[];
    const dealers = all.find((p) => p.name === 'Đại lý')!;
    const refused = await manager.delete(`/api/v1/pipelines/${dealers.id}`);
    expect(refused.status).toBe(400);
    expect(fieldErrors(refused.body)).toEqual(['moveTo:required']);
    const done = await manager.delete(`/api/v1/pipelines/${dealers.id}?moveTo=${retail.id}`);
    expect(done.status).toBe(204);
    const left = (await manager.get('/api/v1/pipelines')).body.items as Pipeline[];
    expect(left).toHaveLength(1);
    expect(left[0]!.stages[0]!.dealCount).toBe(3);
    const last = await manager.delete(`/api/v1/pipelines/${retail.id}`);
    expect(last.status).toBe(400);
    expect(fieldErrors(last.body)).toEqual(['id:last']);
  });

  it('a deal with no activity for the pipeline’s rotting days is marked; a note is activity', async () => {
    const deal = await sales.client.post('/api/v1/deals', { name: 'Im lặng lâu ngày' });
    await t.ctx.db.executeSql(
      `UPDATE deals SET last_activity_at = now() - interval '20 days' WHERE id = $1`,
      [deal.body.id],
    );
    const stale = await sales.client.get(`/api/v1/deals/${deal.body.id}`);
    expect(stale.body.rotting).toBe(true);
    const note = await sales.client.post(`/api/v1/deals/${deal.body.id}/notes`, {
      bodyHtml: '<p>Đã gọi lại, khách hẹn tuần sau.</p>',
    });
    expect(note.status).toBe(201);
    const fresh = await sales.client.get(`/api/v1/deals/${deal.body.id}`);
    expect(fresh.body.rotting).toBe(false);
    // Activity is not an edit of the deal: its version stays.
    expect(fresh.body.version).toBe(stale.body.version);
  });

  it('links contacts with their role in the deal', async () => {
    const contact = await sales.client.post('/api/v1/contacts', { fullName: 'Trần Văn Quyết' });
    const deal = await sales.client.post('/api/v1/deals', { name: 'Hợp đồng năm 2027' });
    const linked = await sales.client.post(`/api/v1/deals/${deal.body.id}/contacts`, {
      contactId: contact.body.id,
      role: 'Người quyết định',
    });
    expect(linked.status).toBeLessThan(300);
    const got = await sales.client.get(`/api/v1/deals/${deal.body.id}`);
    expect(got.body.contacts).toEqual([
      {
        contactId: contact.body.id,
        name: 'Trần Văn Quyết',
        role: 'Người quyết định',
        isPrimary: true,
      },
    ]);
    const panel = await sales.client.get(`/api/v1/contacts/${contact.body.id}/deals`);
    expect(panel.body.items.map((d: { name: string }) => d.name)).toEqual(['Hợp đồng năm 2027']);
  });

  it('names the lead a deal came from, only to whoever may read that lead', async () => {
    const lead = await otherSales.client.post('/api/v1/leads', { fullName: 'Đặng Thị Thu Trang' });
    expect(lead.status).toBe(201);
    const converted = await otherSales.client.post(`/api/v1/leads/${lead.body.id}/convert`, {
      contact: { mode: 'new' },
      company: { mode: 'none' },
      deal: { create: true, name: 'Thu Trang – 200 bộ quà Tết', amount: 30_000_000 },
    });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    const dealId = converted.body.deal.id as string;
    const sourceLead = { id: lead.body.id, name: 'Đặng Thị Thu Trang' };

    const own = await otherSales.client.get(`/api/v1/deals/${dealId}`);
    expect(own.body).toMatchObject({ sourceLeadId: lead.body.id, sourceLead });
    const asManager = await manager.get(`/api/v1/deals?limit=100`);
    expect(asManager.body.items.find((d: { id: string }) => d.id === dealId)).toMatchObject({
      sourceLead,
    });

    // Handed to another rep: the deal is theirs, the lead (another rep's) is not theirs to read.
    const handed = await admin.patch(`/api/v1/deals/${dealId}`, { ownerId: sales.userId });
    expect(handed.status).toBe(200);
    const other = await sales.client.get(`/api/v1/deals/${dealId}`);
    expect(other.status).toBe(200);
    expect(other.body.sourceLeadId).toBe(lead.body.id);
    expect(other.body.sourceLead).toBeNull();

    // A lead in the trash is no longer named.
    expect((await admin.delete(`/api/v1/leads/${lead.body.id}`)).status).toBeLessThan(300);
    expect((await manager.get(`/api/v1/deals/${dealId}`)).body.sourceLead).toBeNull();
  });
});
