import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, uuidArray } from '../../src/db/sql.js';
import { assignByRules } from '../../src/modules/assignment/assign.js';
import { addMember } from '../support/client.js';
import { assignmentWorld, createAssigned, owners, put, rulesUrl, type World } from './support.js';

/**
 * Assignment rules (issue #19) on both backends: rules in order, a territory by province, round
 * robin across a team, fewest open records, the fallback owner when nothing matches and when a
 * rule's user is deactivated (the admins told), a batch of 500 new records, and bad input.
 */
describe('assignment rules', () => {
  let w: World;
  let a: string;
  let b: string;
  let c: string;

  beforeAll(async () => {
    w = await assignmentWorld();
    [a, b, c] = w.reps.map((r) => r.userId) as [string, string, string];
  });
  afterAll(() => w?.done());

  beforeEach(async () => {
    const view = await w.admin.get(rulesUrl);
    for (const rule of view.body.rules) {
      expect((await w.admin.delete(`${rulesUrl}/rules/${rule.id}`)).status).toBe(204);
    }
    expect((await put(w.admin, `${rulesUrl}/fallback`, { fallbackUserId: null })).status).toBe(200);
  });

  const rule = async (body: Record<string, unknown>) => {
    const res = await w.admin.post(`${rulesUrl}/rules`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; position: number };
  };

  it('tries the rules in order: the first that matches wins, a territory by province, the fallback for the rest', async () => {
    const facebook = await rule({
      name: 'Facebook',
      condition: { field: 'source', op: 'is', value: 'facebook' },
      targetType: 'user',
      userId: a,
    });
    const north = await rule({
      name: 'Hà Nội – Hải Phòng',
      condition: { field: 'provinceCode', op: 'in', value: ['01', '31'] },
      targetType: 'user',
      userId: b,
    });
    // Each condition in words, in both languages.
    const listed = (await w.admin.get(rulesUrl)).body.rules;
    expect(listed.map((r: { conditionText: unknown }) => r.conditionText)).toEqual([
      { vi: 'Nguồn: facebook', en: 'Source: facebook' },
      { vi: 'Tỉnh/Thành phố: Hà Nội, Hải Phòng', en: 'Province: Hanoi, Haiphong' },
    ]);
    expect((await put(w.admin, `${rulesUrl}/fallback`, { fallbackUserId: c })).status).toBe(200);
    const { ids, owners: got } = await createAssigned(w, [
      { fullName: 'Nguyễn Văn Hải', source: 'facebook', addresses: [{ provinceCode: '01' }] },
      { fullName: 'Trần Thị Hoa', source: 'zalo', addresses: [{ provinceCode: '31' }] },
      { fullName: 'Vũ Đình Khang', source: 'zalo', addresses: [{ provinceCode: '79' }] },
      { fullName: 'Đặng Thu Lan', source: 'website' },
    ]);
    expect(got).toEqual([a, b, c, c]);

    // Audited: the owner change and the rule that made it.
    const audit = await w.t.ctx.db.system((tx) =>
      queryRows<{ objectId: string; changes: Record<string, { from: unknown; to: unknown }> }>(
        tx,
        sql`SELECT object_id AS "objectId", changes FROM audit_log
             WHERE action = 'assign' AND object_id::uuid = ANY(${uuidArray(ids)}) ORDER BY id`,
      ),
    );
    expect(
      audit.map((e) => [
        e.objectId,
        e.changes.ownerId?.to,
        e.changes.assignmentRule?.to ?? (e.changes.assignmentFallback?.to && 'fallback'),
      ]),
    ).toEqual([
      [ids[0], a, 'Facebook'],
      [ids[1], b, 'Hà Nội – Hải Phòng'],
      [ids[2], c, 'fallback'],
      [ids[3], c, 'fallback'],
    ]);
    expect(audit[0]!.changes.ownerId!.from).toBe(w.adminId);

    // Reordered: the territory now comes first.
    const reordered = await put(w.admin, `${rulesUrl}/order`, { ids: [north.id, facebook.id] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.rules.map((r: { name: string }) => r.name)).toEqual([
      'Hà Nội – Hải Phòng',
      'Facebook',
    ]);
    const again = await createAssigned(w, [
      { fullName: 'Nguyễn Văn Hải', source: 'facebook', addresses: [{ provinceCode: '01' }] },
    ]);
    expect(again.owners).toEqual([b]);

    // A switched-off rule is passed over.
    expect((await w.admin.patch(`${rulesUrl}/rules/${north.id}`, { active: false })).status).toBe(
      200,
    );
    const off = await createAssigned(w, [
      { fullName: 'Nguyễn Văn Hải', source: 'facebook', addresses: [{ provinceCode: '01' }] },
    ]);
    expect(off.owners).toEqual([a]);
  });

  it('hands a team its records in turn (round robin), carrying on where the last batch stopped', async () => {
    await rule({ name: 'Cả nhóm', targetType: 'team', teamId: w.teamId, method: 'round_robin' });
    const first = await createAssigned(
      w,
      Array.from({ length: 4 }, (_, i) => ({ fullName: `Khách ${i + 1}` })),
    );
    const order = [...[a, b, c]].sort();
    expect(first.owners).toEqual([order[0], order[1], order[2], order[0]]);
    const next = await createAssigned(w, [{ fullName: 'Khách 5' }, { fullName: 'Khách 6' }]);
    expect(next.owners).toEqual([order[1], order[2]]);
  });

  it('gives each record to the member with the fewest open records (customers do not count)', async () => {
    // Open work now: counted per rep over the whole workspace.
    const counts = await w.t.ctx.db.system((tx) =>
      queryRows<{ ownerId: string; n: number }>(
        tx,
        sql`SELECT owner_id AS "ownerId", count(*)::int AS n FROM contacts
             WHERE owner_id = ANY(${uuidArray([a, b, c])}) AND deleted_at IS NULL
               AND lifecycle_stage <> 'customer' GROUP BY owner_id`,
      ),
    );
    const open = new Map([a, b, c].map((id) => [id, 0]));
    for (const r of counts) open.set(r.ownerId, r.n);
    // Give rep a six more open records and five customers, so a has the most open work.
    for (let i = 0; i < 6; i++) {
      await w.admin.post('/api/v1/contacts', { fullName: `Mở ${i}`, ownerId: a });
    }
    for (let i = 0; i < 5; i++) {
      await w.admin.post('/api/v1/contacts', {
        fullName: `Khách hàng ${i}`,
        ownerId: b,
        lifecycleStage: 'customer',
      });
    }
    open.set(a, open.get(a)! + 6);
    await rule({
      name: 'Ít việc nhất',
      targetType: 'team',
      teamId: w.teamId,
      method: 'fewest_open',
    });
    const batch = await createAssigned(
      w,
      Array.from({ length: 6 }, (_, i) => ({ fullName: `Khách mới ${i + 1}` })),
    );
    // Expected: greedily to whoever holds the fewest, one at a time.
    for (const owner of batch.owners) {
      const min = Math.min(...open.values());
      expect(open.get(owner!), `${owner} had ${open.get(owner!)}, the least was ${min}`).toBe(min);
      open.set(owner!, open.get(owner!)! + 1);
    }
    // a started with the most open work and got none of the six.
    expect(batch.owners).not.toContain(a);
  });

  it('sends the records of a rule whose user is deactivated to the fallback owner, and tells the admins', async () => {
    const leaving = await addMember(w.t.app, w.admin, 'sales', 'Trịnh Văn Nghỉ');
    const r = await rule({ name: 'Khách của Nghỉ', targetType: 'user', userId: leaving.userId });
    expect((await put(w.admin, `${rulesUrl}/fallback`, { fallbackUserId: c })).status).toBe(200);
    expect(
      (await w.admin.patch(`/api/v1/users/${leaving.userId}`, { status: 'deactivated' })).status,
    ).toBe(200);
    const view = await w.admin.get(rulesUrl);
    expect(view.body.rules.find((x: { id: string }) => x.id === r.id).problem).toBe(
      'user_inactive',
    );

    const { owners: got } = await createAssigned(w, [{ fullName: 'Cao Thị Mai' }]);
    expect(got).toEqual([c]);
    const notes = await w.admin.get('/api/v1/notifications');
    expect(notes.status).toBe(200);
    const fallback = notes.body.items.find(
      (n: { kind: string }) => n.kind === 'assignment_fallback',
    );
    expect(fallback.text).toBe(
      'Quy tắc phân công "Khách của Nghỉ" không giao được: người được giao đã bị vô hiệu hoá. Liên hệ Cao Thị Mai đã giao cho người nhận dự phòng Hoàng Minh Đức.',
    );
    expect(fallback.record.name).toBe('Cao Thị Mai');

    // The new owner is told, in their words, with the record's name.
    const mine = await w.reps[2]!.client.get('/api/v1/notifications?unread=true');
    const assigned = mine.body.items.find(
      (n: { kind: string; record: { name: string } }) =>
        n.kind === 'record_assigned' && n.record.name === 'Cao Thị Mai',
    );
    expect(assigned.text).toBe('Bạn được giao liên hệ Cao Thị Mai');
    expect(assigned.record.available).toBe(true);

    // A team with no active member: the same.
    const empty = await w.admin.post('/api/v1/teams', {
      name: 'Nhóm trống',
      memberIds: [leaving.userId],
    });
    await w.admin.delete(`${rulesUrl}/rules/${r.id}`);
    await rule({ name: 'Nhóm trống', targetType: 'team', teamId: empty.body.id });
    expect((await createAssigned(w, [{ fullName: 'Lý Văn Phúc' }])).owners).toEqual([c]);
    const again = await w.admin.get('/api/v1/notifications');
    expect(again.body.items[0].kind).toBe('assignment_fallback');
    expect(again.body.items[0].params.reason).toBe('team_empty');

    // No usable fallback: the record keeps the owner its write gave it.
    expect((await put(w.admin, `${rulesUrl}/fallback`, { fallbackUserId: null })).status).toBe(200);
    expect((await createAssigned(w, [{ fullName: 'Lý Văn Quý' }])).owners).toEqual([w.adminId]);
  });

  it('assigns a batch of 500 new records in one pass', async () => {
    await rule({
      name: 'Hà Nội',
      condition: { field: 'provinceCode', op: 'is', value: '01' },
      targetType: 'user',
      userId: a,
    });
    await rule({ name: 'Cả nhóm', targetType: 'team', teamId: w.teamId, method: 'round_robin' });
    const ids = await w.t.ctx.db.system((tx) =>
      queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO contacts (workspace_id, owner_id, display_name, given_name, province_code)
            SELECT ${w.workspaceId}::uuid, ${w.adminId}::uuid, 'Khách nhập ' || i, 'Khách nhập ' || i,
                   CASE WHEN i % 5 = 0 THEN '01' END
              FROM generate_series(1, 500) i
            RETURNING id`,
      ),
    );
    const started = performance.now();
    const changed = await w.t.ctx.db.tenant(w.actor, (tx) =>
      assignByRules(
        tx,
        w.actor,
        'contacts',
        ids.map((r) => r.id),
      ),
    );
    const ms = performance.now() - started;
    console.log(`assignment: 500 records in ${ms.toFixed(0)} ms (${w.t.ctx.db.kind})`);
    expect(changed).toHaveLength(500);
    const got = await owners(
      w,
      ids.map((r) => r.id),
    );
    const tally = new Map<string | null, number>();
    for (const o of got) tally.set(o, (tally.get(o) ?? 0) + 1);
    // 100 in Hà Nội to a; the other 400 round robin over a, b, c (134/133/133).
    const hanoi = await w.t.ctx.db.system((tx) =>
      queryRows<{ ownerId: string; n: number }>(
        tx,
        sql`SELECT owner_id AS "ownerId", count(*)::int AS n FROM contacts
             WHERE id = ANY(${uuidArray(ids.map((r) => r.id))}) AND province_code = '01'
             GROUP BY owner_id`,
      ),
    );
    expect(hanoi).toEqual([{ ownerId: a, n: 100 }]);
    expect([tally.get(a)! - 100, tally.get(b), tally.get(c)].sort()).toEqual([133, 133, 134]);
    const notes = await w.t.ctx.db.system((tx) =>
      queryRows<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM notifications
             WHERE kind = 'record_assigned' AND record_id = ANY(${uuidArray(ids.map((r) => r.id))})`,
      ),
    );
    expect(notes[0]!.n).toBe(500);
  });

  it('refuses bad rules and settings with field errors, and non-admins', async () => {
    const unknownField = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Sai',
      condition: { field: 'noSuchField', op: 'is', value: 'x' },
      targetType: 'user',
      userId: a,
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details.fields[0].path).toBe('condition.field');
    const badValue = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Sai giá trị',
      condition: {
        and: [
          { field: 'provinceCode', op: 'in', value: 'Hà Nội' },
          { field: 'lifecycleStage', op: 'gt', value: 3 },
        ],
      },
      targetType: 'user',
      userId: a,
    });
    expect(badValue.status).toBe(400);
    expect(badValue.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual([
      'condition.and.0.value',
      'condition.and.1.op',
    ]);

    // Another workspace (its admin is ours, moved there and back), its team and its member.
    const created = await w.admin.post('/api/v1/workspaces', { name: 'Công ty khác' });
    expect(created.status).toBe(201);
    const foreignTeam = await w.admin.post('/api/v1/teams', { name: 'Nhóm ngoài' });
    expect(foreignTeam.status).toBe(201);
    const outsider = await addMember(w.t.app, w.admin, 'sales', 'Người Ngoài');
    const back = await w.admin.post('/api/v1/auth/switch-workspace', {
      workspaceId: w.workspaceId,
    });
    expect(back.status).toBe(200);
    const teamElsewhere = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Nhóm ngoài',
      targetType: 'team',
      teamId: foreignTeam.body.id,
    });
    expect(teamElsewhere.status).toBe(400);
    expect(teamElsewhere.body.error.details.fields[0].path).toBe('teamId');
    const userElsewhere = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Người ngoài',
      targetType: 'user',
      userId: outsider.userId,
    });
    expect(userElsewhere.status).toBe(400);
    expect(userElsewhere.body.error.details.fields[0].path).toBe('userId');

    const gone = await addMember(w.t.app, w.admin, 'sales', 'Mạc Văn Rời');
    await w.admin.patch(`/api/v1/users/${gone.userId}`, { status: 'deactivated' });
    const fallback = await put(w.admin, `${rulesUrl}/fallback`, { fallbackUserId: gone.userId });
    expect(fallback.status).toBe(400);
    expect(fallback.body.error.details.fields[0].path).toBe('fallbackUserId');
    const inactiveTarget = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Đã nghỉ',
      targetType: 'user',
      userId: gone.userId,
    });
    expect(inactiveTarget.status).toBe(400);

    const missingTarget = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Thiếu',
      targetType: 'team',
    });
    expect(missingTarget.status).toBe(400);
    expect(missingTarget.body.error.details.fields[0].path).toBe('teamId');
    const extra = await w.admin.post(`${rulesUrl}/rules`, {
      name: 'Thừa',
      targetType: 'user',
      userId: a,
      priority: 1,
    });
    expect(extra.status).toBe(400);

    const r = await rule({ name: 'Một', targetType: 'user', userId: a });
    const badOrder = await put(w.admin, `${rulesUrl}/order`, { ids: [r.id, r.id] });
    expect(badOrder.status).toBe(400);

    // Objects without an assignment declaration have no rules.
    expect((await w.admin.get('/api/v1/settings/assignment/companies')).status).toBe(404);
    // Admins only.
    const rep = w.reps[0]!.client;
    expect((await rep.get(rulesUrl)).status).toBe(403);
    expect(
      (await rep.post(`${rulesUrl}/rules`, { name: 'Của tôi', targetType: 'user', userId: a }))
        .status,
    ).toBe(403);
    const view = await w.admin.get(rulesUrl);
    expect(view.body.rules.map((x: { name: string }) => x.name)).toEqual(['Một']);
  });
});
