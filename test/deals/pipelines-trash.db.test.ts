import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

interface Stage {
  id: string;
  name: string;
  probability: number;
  dealCount: number;
}

/**
 * A stage whose deals are all in the trash (#19): its count shows none (the settings page asks
 * nothing), but removing it still needs a destination — restoring a deal needs a stage — and
 * the answer says so at `moves.<id>` instead of a bare "not found"; with one, the trashed deal
 * moves and comes back from the trash into it. The audit log names the pipeline it changed.
 */
describe('removing a stage whose deals are in the trash', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
  });
  afterAll(() => t?.close());

  it('asks where the trashed deals go, moves them, and they restore into that stage', async () => {
    const pipeline = (await admin.get('/api/v1/pipelines')).body.items[0];
    const [first, second] = pipeline.stages as [Stage, Stage];
    const deal = await admin.post('/api/v1/deals', {
      name: 'Đơn hàng quà Tết',
      amount: 15_000_000,
      pipelineId: pipeline.id,
      stageId: first.id,
    });
    expect(deal.status).toBe(201);
    expect((await admin.delete(`/api/v1/deals/${deal.body.id}`)).status).toBe(204);
    const listed = (await admin.get('/api/v1/pipelines')).body.items[0];
    expect(listed.stages[0].dealCount).toBe(0);

    const kept = (listed.stages as Stage[])
      .slice(1)
      .map(({ id, name, probability }) => ({ id, name, probability }));
    const refused = await admin.request('PUT', `/api/v1/pipelines/${pipeline.id}/stages`, {
      stages: kept,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields).toEqual([
      expect.objectContaining({ path: `moves.${first.id}`, reason: 'required' }),
    ]);
    expect(refused.body.error.details.fields[0].message).toContain('còn 1 cơ hội');

    const saved = await admin.request('PUT', `/api/v1/pipelines/${pipeline.id}/stages`, {
      stages: kept,
      moves: { [first.id]: second.id },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.stages.map((s: Stage) => s.id)).not.toContain(first.id);

    const restored = await admin.post(`/api/v1/deals/${deal.body.id}/restore`);
    expect(restored.status).toBe(200);
    const after = await admin.get(`/api/v1/deals/${deal.body.id}`);
    expect(after.body).toMatchObject({ stageId: second.id, deletedAt: null });
  });

  it('the audit log names the pipeline an entry is about', async () => {
    const log = await admin.get('/api/v1/audit-log?objectType=pipeline');
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({ objectType: 'pipeline', objectName: 'Bán hàng' });
  });
});
