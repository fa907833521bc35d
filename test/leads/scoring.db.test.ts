import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/sql.js';
import { runImport } from '../../src/modules/imports/run.js';
import { recordScoreEvent } from '../../src/modules/scoring/scoring.events.js';
import { decayJob, rescoreJob, rescoreWorkspace } from '../../src/modules/scoring/scoring.jobs.js';
import { createRule, RESCORE_IN_REQUEST } from '../../src/modules/scoring/scoring.service.js';
import type { JobRunner } from '../../src/core/jobs.js';
import { ownerActor } from '../../src/modules/workspaces/workspaces.service.js';
import { createLogger } from '../../src/lib/logger.js';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Lead scoring (#19, src/modules/scoring): admin rules on fields (a list filter) and on events,
 * recomputed set-based on every write, every score event, every rule change and daily for the
 * decay; grades by the workspace's thresholds; the reasons on the lead.
 */
describe('lead scoring', () => {
  let t: TestApp;
  let admin: Client;
  let adminId: string;
  let sales: Client;
  let marketing: Client;
  let workspaceId: string;
  const url = '/api/v1/settings/scoring/leads';

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    sales = (await addMember(t.app, admin, 'sales', 'Lê Văn Minh')).client;
    marketing = (await addMember(t.app, admin, 'marketing', 'Đỗ Thu Trang')).client;
    const me = await admin.get('/api/v1/auth/session');
    workspaceId = me.body.workspace.id;
    adminId = me.body.user.id;
  });
  afterAll(() => t?.close());

  const lines = (reasons: { label: { vi: string }; points: number }[]) =>
    reasons.map((r) => `${r.points > 0 ? '+' : ''}${r.points} ${r.label.vi}`);
  const lead = async (id: string) => (await admin.get(`/api/v1/leads/${id}`)).body;
  const event = (id: string, key: string, occurredAt?: Date) =>
    t.ctx.db.tenant({ workspaceId, userId: adminId }, (tx) =>
      recordScoreEvent(
        tx,
        ownerActor({ id: adminId, name: 'Nguyễn Văn An' }, workspaceId, 'api', null),
        'leads',
        id,
        key,
        occurredAt,
      ),
    );
  const version = async (id: string) =>
    (
      await t.ctx.db.system((tx) =>
        queryRows<{ version: number }>(tx, sql`SELECT version FROM leads WHERE id = ${id}`),
      )
    )[0]?.version;

  let referralId: string;
  let plainId: string;

  it('starts with the default thresholds, no rules and the leads events', async () => {
    const res = await sales.get(url);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'leads',
      settings: { gradeA: 50, gradeB: 30, gradeC: 15, decayPerWeek: 0 },
      rules: [],
    });
    expect(res.body.events).toEqual([
      { key: 'form_submitted', label: { vi: 'Gửi biểu mẫu', en: 'Form submitted' } },
    ]);
    // Sales read the rules but do not change them; marketing does.
    expect(
      (await sales.post(`${url}/rules`, { kind: 'event', eventKey: 'form_submitted', points: 1 }))
        .status,
    ).toBe(403);
  });

  it('field and event rules give a score, a grade and the reasons', async () => {
    const before = await admin.post('/api/v1/leads', {
      fullName: 'Trần Văn Giới',
      source: 'referral',
      addresses: [{ street: '1 Tràng Tiền', provinceCode: '01' }],
    });
    referralId = before.body.id;
    expect(before.body).toMatchObject({ score: 0, grade: 'D', scoreReasons: [] });

    const r1 = await marketing.post(`${url}/rules`, {
      kind: 'field',
      condition: { field: 'source', op: 'is', value: 'referral' },
      points: 20,
    });
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({
      kind: 'field',
      label: { vi: 'Nguồn: Giới thiệu', en: 'Source: Referral' },
      points: 20,
      position: 0,
      rescore: { mode: 'done', records: 1 },
    });
    // Rescored at once: the lead created before the rule has its points.
    expect((await lead(referralId)).score).toBe(20);

    await marketing.post(`${url}/rules`, {
      kind: 'field',
      condition: { and: [{ field: 'provinceCode', op: 'in', value: ['01', '79'] }] },
      points: 5,
    });
    await marketing.post(`${url}/rules`, {
      kind: 'event',
      eventKey: 'form_submitted',
      points: 10,
    });
    await marketing.post(`${url}/rules`, {
      kind: 'field',
      condition: { field: 'primaryEmail', op: 'contains', value: '@gmail.com' },
      points: -5,
      label: { vi: 'Email cá nhân', en: 'Personal email' },
    });

    const created = await admin.post('/api/v1/leads', {
      fullName: 'Phạm Thị Mai',
      source: 'referral',
      emails: [{ value: 'mai@gmail.com' }],
      addresses: [{ provinceCode: '79' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.score).toBe(20);
    expect(lines(created.body.scoreReasons)).toEqual([
      '+20 Nguồn: Giới thiệu',
      '+5 Tỉnh/Thành phố: Hà Nội, Hồ Chí Minh',
      '-5 Email cá nhân',
    ]);
    expect(created.body.grade).toBe('C');

    const v = await version(referralId);
    await event(referralId, 'form_submitted');
    const after = await lead(referralId);
    expect(after).toMatchObject({ score: 35, grade: 'B' });
    expect(lines(after.scoreReasons)).toEqual([
      '+20 Nguồn: Giới thiệu',
      '+5 Tỉnh/Thành phố: Hà Nội, Hồ Chí Minh',
      '+10 Gửi biểu mẫu',
    ]);
    // A derived value is no one's edit: the lead's version stays.
    expect(await version(referralId)).toBe(v);

    // An edit that changes what the rules see rescores the lead.
    const patched = await admin.patch(`/api/v1/leads/${created.body.id}`, { source: 'zalo' });
    expect(patched.body).toMatchObject({ score: 0, grade: 'D' });
    const plain = await admin.post('/api/v1/leads', { fullName: 'Khách Thường' });
    plainId = plain.body.id;
    expect(plain.body).toMatchObject({ score: 0, scoreReasons: [] });
  });

  it('score and grade sort and filter lists', async () => {
    const sorted = await admin.get('/api/v1/leads?sort=-score');
    expect(sorted.body.items[0].id).toBe(referralId);
    const filter = JSON.stringify({ field: 'score', op: 'gte', value: 30 });
    const high = await admin.get(`/api/v1/leads?filter=${encodeURIComponent(filter)}`);
    expect(high.body.items.map((l: { id: string }) => l.id)).toEqual([referralId]);
    const b = JSON.stringify({ field: 'grade', op: 'in', value: ['A', 'B'] });
    const graded = await admin.get(`/api/v1/leads?filter=${encodeURIComponent(b)}`);
    expect(graded.body.items.map((l: { id: string }) => l.id)).toEqual([referralId]);
  });

  it('a rule or threshold change rescores every lead', async () => {
    const rules = (await admin.get(url)).body.rules as { id: string; eventKey: string | null }[];
    const formRule = rules.find((r) => r.eventKey === 'form_submitted')!;
    const changed = await admin.patch(`${url}/rules/${formRule.id}`, { points: 30, position: 0 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ points: 30, position: 0 });
    const after = await lead(referralId);
    expect(after).toMatchObject({ score: 55, grade: 'A' });
    expect(lines(after.scoreReasons)[0]).toBe('+30 Gửi biểu mẫu');
    const order = (await admin.get(url)).body.rules.map((r: { position: number }) => r.position);
    expect(order).toEqual([0, 1, 2, 3]);

    const thresholds = await admin.request('PUT', `${url}/settings`, {
      gradeA: 80,
      gradeB: 50,
      gradeC: 10,
      decayPerWeek: 0,
    });
    expect(thresholds.status).toBe(200);
    expect(thresholds.body.settings).toMatchObject({ gradeA: 80, gradeB: 50 });
    expect((await lead(referralId)).grade).toBe('B');

    expect((await admin.patch(`${url}/rules/${formRule.id}`, { active: false })).status).toBe(200);
    expect((await lead(referralId)).score).toBe(25);
    expect((await admin.delete(`${url}/rules/${formRule.id}`)).status).toBe(204);
    expect((await admin.get(url)).body.rules).toHaveLength(3);
    expect((await admin.delete(`${url}/rules/${formRule.id}`)).status).toBe(404);
  });

  it('imported leads are scored with their batch', async () => {
    const csv = [
      'Họ và tên,SĐT,Nguồn,Tỉnh',
      'Vũ Văn Một,0903 000 001,Giới thiệu,Hà Nội',
      'Vũ Văn Hai,0903 000 002,Facebook,Đà Nẵng',
    ].join('\r\n');
    const boundary = '----senScoringTest';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads/imports',
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        Buffer.from(csv),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: `sen_session=${admin.cookie}`,
        'x-csrf-token': admin.csrf ?? '',
      },
    });
    expect(res.statusCode).toBe(201);
    const up = res.json();
    const start = await admin.post(`/api/v1/imports/${up.id}/start`, {
      mapping: up.mapping,
      options: { duplicates: 'skip' },
    });
    expect(start.status).toBe(202);
    await runImport(t.ctx.db, t.ctx, { importId: up.id, workspaceId });
    expect((await admin.get(`/api/v1/imports/${up.id}`)).body).toMatchObject({ created: 2 });
    const one = (await admin.get(`/api/v1/leads?q=${encodeURIComponent('vũ văn một')}`)).body
      .items[0];
    expect(one).toMatchObject({ source: 'referral', provinceCode: '01', score: 25, grade: 'C' });
    const two = (await admin.get(`/api/v1/leads?q=${encodeURIComponent('vũ văn hai')}`)).body
      .items[0];
    expect(two).toMatchObject({ source: 'facebook', score: 0, grade: 'D' });
  });

  it('decay takes points per full week since the last scored event, never below 0', async () => {
    await admin.post(`${url}/rules`, { kind: 'event', eventKey: 'form_submitted', points: 10 });
    const saved = await admin.request('PUT', `${url}/settings`, {
      gradeA: 80,
      gradeB: 50,
      gradeC: 10,
      decayPerWeek: 4,
    });
    expect(saved.status).toBe(200);
    // Created three weeks and a day ago; its form three weeks and a day ago too.
    await t.ctx.db.system(async (tx) => {
      await tx.execute(
        sql`UPDATE leads SET created_at = now() - interval '22 days' WHERE id IN (${referralId}, ${plainId})`,
      );
      await tx.execute(sql`UPDATE score_events SET occurred_at = now() - interval '22 days'`);
    });
    await rescoreWorkspace(t.ctx.db, workspaceId, 'leads');
    const decayed = await lead(referralId);
    expect(decayed.score).toBe(20 + 5 + 10 - 12);
    expect(lines(decayed.scoreReasons).at(-1)).toBe('-12 Giảm theo thời gian');

    // A fresh event starts the weeks again.
    await event(referralId, 'form_submitted');
    expect((await lead(referralId)).score).toBe(35);

    // The daily job: a lead of 0 points stays at 0 however old it is.
    await t.ctx.db.system((tx) =>
      tx.execute(sql`UPDATE score_events SET occurred_at = now() - interval '15 days'`),
    );
    await decayJob.handler(
      {},
      {
        config: t.ctx.config,
        db: t.ctx.db,
        logger: createLogger('silent'),
        jobId: 'test',
      },
    );
    expect((await lead(referralId)).score).toBe(35 - 8);
    expect((await lead(plainId)).score).toBe(0);
    expect(await rescoreWorkspace(t.ctx.db, workspaceId, 'leads')).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad rules and thresholds with field errors', async () => {
    const paths = (res: { body: { error: { details: { fields: { path: string }[] } } } }) =>
      res.body.error.details.fields.map((f) => f.path);
    const unknownField = await admin.post(`${url}/rules`, {
      kind: 'field',
      condition: { field: 'nope', op: 'is', value: 'x' },
      points: 5,
    });
    expect(unknownField.status).toBe(400);
    expect(paths(unknownField)).toEqual(['condition.field']);
    const badOp = await admin.post(`${url}/rules`, {
      kind: 'field',
      condition: { and: [{ field: 'source', op: 'gt', value: 'x' }] },
      points: 5,
    });
    expect(badOp.status).toBe(400);
    expect(paths(badOp)).toEqual(['condition.and.0.op']);
    const badChoice = await admin.post(`${url}/rules`, {
      kind: 'field',
      condition: { field: 'source', op: 'is', value: 'tiktok' },
      points: 5,
    });
    expect(paths(badChoice)).toEqual(['condition.value']);
    const tooMany = await admin.post(`${url}/rules`, {
      kind: 'event',
      eventKey: 'form_submitted',
      points: 5000,
    });
    expect(tooMany.status).toBe(400);
    expect(paths(tooMany)).toEqual(['points']);
    const unknownEvent = await admin.post(`${url}/rules`, {
      kind: 'event',
      eventKey: 'email_opened',
      points: 5,
    });
    expect(paths(unknownEvent)).toEqual(['eventKey']);
    const onScore = await admin.post(`${url}/rules`, {
      kind: 'field',
      condition: { field: 'score', op: 'gt', value: 10 },
      points: 5,
    });
    expect(paths(onScore)).toEqual(['condition']);
    const noCondition = await admin.post(`${url}/rules`, { kind: 'field', points: 5 });
    expect(paths(noCondition)).toEqual(['condition']);
    const order = await admin.request('PUT', `${url}/settings`, {
      gradeA: 10,
      gradeB: 20,
      gradeC: 5,
      decayPerWeek: 0,
    });
    expect(order.status).toBe(400);
    expect(paths(order)).toEqual(['gradeB']);
    expect(order.body.error.details.fields[0].text.vi).toContain('A > hạng B');
    const negativeDecay = await admin.request('PUT', `${url}/settings`, {
      gradeA: 30,
      gradeB: 20,
      gradeC: 5,
      decayPerWeek: -1,
    });
    expect(paths(negativeDecay)).toEqual(['decayPerWeek']);
    expect((await admin.get('/api/v1/settings/scoring/products')).status).toBe(404);
    // Nothing was stored by the refusals.
    expect((await admin.get(url)).body.rules).toHaveLength(4);
  });

  it('a large workspace is rescored by a job once the change is committed', async () => {
    await t.ctx.db.system((tx) =>
      tx.execute(
        sql`INSERT INTO leads (workspace_id, display_name, source)
            SELECT ${workspaceId}, 'Khách Nhập Sẵn ' || n, 'referral'
              FROM generate_series(1, ${RESCORE_IN_REQUEST}) n`,
      ),
    );
    const sent: unknown[] = [];
    const jobs = {
      send: async (job: { name: string }, payload: unknown) => {
        sent.push({ job: job.name, payload });
        return 'job-1';
      },
    } as unknown as JobRunner;
    const actor = ownerActor({ id: adminId, name: 'Nguyễn Văn An' }, workspaceId, 'api', null);
    const rule = await createRule({ ...t.ctx, jobs }, actor, 'leads', {
      kind: 'field',
      condition: { field: 'source', op: 'is', value: 'referral' },
      points: 7,
    });
    expect(rule.rescore.mode).toBe('queued');
    expect(rule.rescore.records).toBeGreaterThan(RESCORE_IN_REQUEST);
    expect(sent).toEqual([{ job: 'scoring.rescore', payload: { workspaceId, object: 'leads' } }]);
    const scores = () =>
      t.ctx.db.system((tx) =>
        queryRows<{ score: number; n: number | string }>(
          tx,
          sql`SELECT score, count(*) AS n FROM leads WHERE display_name LIKE 'Khách Nhập Sẵn %'
              GROUP BY score`,
        ),
      );
    // Not rescored in the request…
    expect((await scores()).map((r) => r.score)).toEqual([0]);
    // …but by the job, in batches.
    await rescoreJob.handler(
      { workspaceId, object: 'leads' },
      { config: t.ctx.config, db: t.ctx.db, logger: createLogger('silent'), jobId: 'test' },
    );
    expect((await scores()).map((r) => [r.score, Number(r.n)])).toEqual([[27, RESCORE_IN_REQUEST]]);
  });
});
