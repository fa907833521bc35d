import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgErrorCode, queryRows } from '../../src/db/sql.js';
import { MATCH_CAP } from '../../src/modules/records/list.js';
import { Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/** Lists: the filter tree, sorts (custom fields too), keyset pages, q, counts, trash. */
describe('customer record lists', () => {
  let t: TestApp;
  let admin: Client;
  const ids: Record<string, string> = {};

  const people = [
    {
      key: 'nhung',
      fullName: 'Nguyễn Thị Hồng Nhung',
      provinceCode: '01',
      stage: 'customer',
      tags: ['vip'],
      hang: 'gold',
      diem: 90,
      phone: '0912 345 678',
      birthday: '1990-05-17',
    },
    {
      key: 'an',
      fullName: 'Trần Văn An',
      provinceCode: '01',
      stage: 'lead',
      tags: [],
      hang: 'bronze',
      diem: 10,
      phone: '0903 111 222',
      birthday: '1985-01-02',
    },
    {
      key: 'binh',
      fullName: 'Lê Thanh Bình',
      provinceCode: '79',
      stage: 'lead',
      tags: ['vip', 'sỉ'],
      hang: 'silver',
      diem: 50,
      phone: '0988 765 432',
      birthday: null,
    },
    {
      key: 'cuc',
      fullName: 'Phạm Thị Cúc',
      provinceCode: '79',
      stage: 'customer',
      tags: ['sỉ'],
      hang: null,
      diem: null,
      phone: '024 3825 1234',
      birthday: '2000-12-31',
    },
    {
      key: 'duc',
      fullName: 'Đặng Minh Đức',
      provinceCode: '01',
      stage: 'opportunity',
      tags: [],
      hang: 'silver',
      diem: 50,
      phone: null,
      birthday: null,
    },
    {
      key: 'hoa',
      fullName: 'Vũ Thị Hoà',
      provinceCode: '48',
      stage: 'lead',
      tags: ['vip'],
      hang: 'gold',
      diem: 75,
      phone: '0236 3822 222',
      birthday: '1995-07-07',
    },
    {
      key: 'lan',
      fullName: 'Hoàng Ngọc Lan',
      provinceCode: null,
      stage: 'inactive',
      tags: [],
      hang: null,
      diem: 5,
      phone: null,
      birthday: null,
    },
  ];

  const list = async (query: Record<string, string | object>) => {
    const params = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
    return admin.get(`/api/v1/contacts?${params}`);
  };
  const names = (res: { body: { items: { id: string }[] } }) =>
    res.body.items.map((c) => Object.keys(ids).find((k) => ids[k] === c.id));

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    for (const field of [
      {
        key: 'hang',
        label: 'Hạng thành viên',
        type: 'select',
        options: {
          choices: [
            { key: 'gold', label: 'Vàng' },
            { key: 'silver', label: 'Bạc' },
            { key: 'bronze', label: 'Đồng' },
          ],
        },
      },
      { key: 'diem', label: 'Điểm', type: 'number' },
    ]) {
      const res = await admin.post('/api/v1/custom-fields', { ...field, object: 'contacts' });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    }
    for (const p of people) {
      const custom: Record<string, unknown> = {};
      if (p.hang) custom.hang = p.hang;
      if (p.diem !== null) custom.diem = p.diem;
      const res = await admin.post('/api/v1/contacts', {
        fullName: p.fullName,
        lifecycleStage: p.stage,
        tags: p.tags,
        phones: p.phone ? [{ value: p.phone }] : [],
        addresses: p.provinceCode ? [{ provinceCode: p.provinceCode }] : [],
        birthday: p.birthday,
        custom,
      });
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      ids[p.key] = res.body.id;
    }
  });
  afterAll(() => t?.close());

  it('lists newest first by default, with a total on request', async () => {
    const res = await list({ withTotal: 'true' });
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['lan', 'hoa', 'duc', 'cuc', 'binh', 'an', 'nhung']);
    expect(res.body.total).toBe(7);
    expect(res.body.nextCursor).toBeNull();
    expect((await list({})).body.total).toBeUndefined();
  });

  it('filters with AND / OR groups and typed operators', async () => {
    const tree = {
      and: [
        { field: 'provinceCode', op: 'is', value: '01' },
        {
          or: [
            { field: 'custom.hang', op: 'in', value: ['gold', 'silver'] },
            { field: 'displayName', op: 'contains', value: 'AN' },
          ],
        },
      ],
    };
    expect(names(await list({ filter: tree, sort: 'displayName' }))).toEqual([
      'an',
      'duc',
      'nhung',
    ]);
    const cases: [object, string[]][] = [
      [{ field: 'displayName', op: 'contains', value: 'NGUYỄN' }, ['nhung']],
      [{ field: 'displayName', op: 'contains', value: 'thị hoà' }, ['hoa']],
      [{ field: 'displayName', op: 'contains', value: 'HOA' }, ['hoa', 'lan']],
      [{ field: 'displayName', op: 'not_contains', value: 'thị' }, ['an', 'binh', 'duc', 'lan']],
      [{ field: 'tags', op: 'contains', value: ['vip'] }, ['binh', 'hoa', 'nhung']],
      [{ field: 'tags', op: 'not_contains', value: 'vip' }, ['an', 'cuc', 'duc', 'lan']],
      [{ field: 'tags', op: 'is_empty' }, ['an', 'duc', 'lan']],
      [
        { field: 'lifecycleStage', op: 'in', value: ['customer', 'opportunity'] },
        ['cuc', 'duc', 'nhung'],
      ],
      [{ field: 'lifecycleStage', op: 'is_not', value: 'lead' }, ['cuc', 'duc', 'lan', 'nhung']],
      [{ field: 'provinceCode', op: 'is_empty' }, ['lan']],
      [{ field: 'custom.diem', op: 'gte', value: 50 }, ['binh', 'duc', 'hoa', 'nhung']],
      [{ field: 'custom.diem', op: 'between', value: [10, 50] }, ['an', 'binh', 'duc']],
      [{ field: 'custom.diem', op: 'is_empty' }, ['cuc']],
      [{ field: 'custom.hang', op: 'is_not', value: 'gold' }, ['an', 'binh', 'cuc', 'duc', 'lan']],
      [{ field: 'birthday', op: 'before', value: '1991-01-01' }, ['an', 'nhung']],
      [
        { field: 'birthday', op: 'between', value: ['1990-01-01', '2000-12-31'] },
        ['cuc', 'hoa', 'nhung'],
      ],
      [{ field: 'primaryPhone', op: 'is', value: '+84 912 345 678' }, ['nhung']],
      [
        { field: 'createdAt', op: 'after', value: '2000-01-01' },
        ['an', 'binh', 'cuc', 'duc', 'hoa', 'lan', 'nhung'],
      ],
      [
        {
          or: [
            { field: 'provinceCode', op: 'is', value: '48' },
            { field: 'custom.hang', op: 'is', value: 'bronze' },
          ],
        },
        ['an', 'hoa'],
      ],
    ];
    for (const [filter, expected] of cases) {
      const res = await list({ filter, sort: 'displayName' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect([...names(res)].sort(), JSON.stringify(filter)).toEqual(expected);
      const count = await admin.get(
        `/api/v1/contacts/count?filter=${encodeURIComponent(JSON.stringify(filter))}`,
      );
      expect(count.body.count).toBe(expected.length);
    }
  });

  it('rejects unknown fields, wrong operators and bad values as field errors', async () => {
    const unknown = await list({ filter: { and: [{ field: 'salary', op: 'is', value: 1 }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0]).toMatchObject({
      path: 'filter.and.0.field',
      reason: 'unknown_field',
    });
    const op = await list({ filter: { field: 'tags', op: 'gt', value: 1 } });
    expect(op.body.error.details.fields[0]).toMatchObject({ path: 'filter.op' });
    const value = await list({ filter: { field: 'lifecycleStage', op: 'is', value: 'boss' } });
    expect(value.body.error.details.fields[0]).toMatchObject({ path: 'filter.value' });
    const notFilterable = await list({ filter: { field: 'phones', op: 'is', value: 'x' } });
    expect(notFilterable.status).toBe(400);
    const badOp = await list({ filter: { field: 'tags', op: 'like', value: 'x' } });
    expect(badOp.status).toBe(400);
    expect(badOp.body.error.details.fields[0].path).toBe('filter.op');
    const json = await admin.get('/api/v1/contacts?filter=%7Bnot%20json');
    expect(json.status).toBe(400);
    expect(json.body.error.details.fields[0].path).toBe('filter');
    const sort = await list({ sort: 'phones' });
    expect(sort.body.error.details.fields[0]).toMatchObject({ path: 'sort' });
    const limit = await list({ limit: '201' });
    expect(limit.status).toBe(400);
  });

  it('searches q in names without diacritics, emails and phone fragments', async () => {
    const q = async (text: string) => {
      const res = await list({ q: text });
      expect(res.status, text).toBe(200);
      return [...names(res)].sort();
    };
    expect(await q('hồng nhung')).toEqual(['nhung']);
    expect(await q('nhung thi hong')).toEqual(['nhung']);
    expect(await q('DUC')).toEqual(['duc']);
    expect(await q('0912 345')).toEqual(['nhung']);
    expect(await q('+84 912 345')).toEqual(['nhung']);
    expect(await q('345678')).toEqual(['nhung']);
    expect(await q('024 3825')).toEqual(['cuc']);
    expect(await q('50%')).toEqual([]);
  });

  it('pages with a keyset cursor through equal sort values, without duplicates or misses', async () => {
    // Same updated_at for everyone: only the id breaks ties.
    await t.ctx.db.system((tx) =>
      tx.execute(sql`UPDATE contacts SET updated_at = '2025-07-01 10:00:00.123456+07'`),
    );
    for (const [sort, limit] of [
      ['-updatedAt', 2],
      ['updatedAt', 3],
      ['lifecycleStage', 2],
      ['-lifecycleStage', 1],
      ['custom.diem', 2],
      ['-custom.diem', 3],
      ['custom.hang', 2],
      ['displayName', 2],
      ['-createdAt', 2],
      ['birthday', 2],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list({ sort, limit: String(limit), ...(cursor ? { cursor } : {}) });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        seen.push(...res.body.items.map((c: { id: string }) => c.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(new Set(seen).size, sort).toBe(7);
      expect(seen).toHaveLength(7);
      // The same order as one big page.
      const all = await list({ sort, limit: '50' });
      expect(
        all.body.items.map((c: { id: string }) => c.id),
        sort,
      ).toEqual(seen);
    }
    const byDiem = await list({ sort: '-custom.diem' });
    expect(names(byDiem).slice(0, 2)).toEqual(['nhung', 'hoa']);
    expect(names(byDiem).at(-1)).toBe('cuc');
    expect(names(await list({ sort: 'displayName' }))).toEqual([
      'an',
      'binh',
      'cuc',
      'duc',
      'hoa',
      'lan',
      'nhung',
    ]);
    const page = await list({ sort: 'displayName', limit: '2' });
    const wrongSort = await list({ sort: '-updatedAt', cursor: page.body.nextCursor });
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.error.details.fields[0].path).toBe('cursor');
    expect((await list({ cursor: 'garbage' })).status).toBe(400);
  });

  it('sorts by created_at (imports set it in the past), not by id, and pages over it', async () => {
    // Created in the order of `people` (ascending ids); imported dates say otherwise. Two share
    // a date: the id breaks the tie.
    const createdAt: Record<string, string> = {
      nhung: '2025-03-01 08:00:00+07',
      an: '2019-05-05 10:00:00.5+07',
      binh: '2024-06-01 00:00:00+07',
      cuc: '2019-05-05 10:00:00.5+07',
      duc: '2026-01-01 00:00:00+07',
      hoa: '2018-12-31 23:59:59.999+07',
      lan: '2025-03-01 08:00:00.001+07',
    };
    await t.ctx.db.system(async (tx) => {
      for (const [key, at] of Object.entries(createdAt)) {
        await tx.execute(sql`UPDATE contacts SET created_at = ${at} WHERE id = ${ids[key]}`);
      }
    });
    const newest = ['duc', 'lan', 'nhung', 'binh', 'cuc', 'an', 'hoa'];
    for (const [sort, expected] of [
      ['-createdAt', newest],
      ['createdAt', [...newest].reverse()],
    ] as const) {
      expect(names(await list({ sort })), sort).toEqual(expected);
      for (const limit of [1, 2, 3]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await list({ sort, limit: String(limit), ...(cursor ? { cursor } : {}) });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          seen.push(...names(res).map(String));
          cursor = res.body.nextCursor;
        } while (cursor && seen.length < 20);
        expect(seen, `${sort} by ${limit}`).toEqual(expected);
      }
    }
    expect(
      names(
        await list({
          sort: '-createdAt',
          filter: { field: 'createdAt', op: 'before', value: '2020-01-01' },
        }),
      ),
    ).toEqual(['cuc', 'an', 'hoa']);
    // Dates and local date-times are read in the workspace's time zone (Asia/Ho_Chi_Minh):
    // binh was created at midnight on 1 June 2024 in Hà Nội, 31 May in UTC.
    const createdOn = async (op: string, value: unknown) =>
      names(
        await list({ sort: '-createdAt', filter: { field: 'createdAt', op, value }, limit: '200' }),
      );
    expect(await createdOn('is', '2024-06-01')).toEqual(['binh']);
    expect(await createdOn('is', '2024-05-31')).toEqual([]);
    expect(await createdOn('between', ['2024-05-01', '2024-05-31'])).toEqual([]);
    expect(await createdOn('between', ['2024-06-01', '2024-06-01'])).toEqual(['binh']);
    expect(await createdOn('before', '2024-06-01T00:00')).toEqual(['cuc', 'an', 'hoa']);
    expect(await createdOn('is', '2024-06-01T00:00:00')).toEqual(['binh']);
    // An explicit offset is taken as given.
    expect(await createdOn('is', '2024-05-31T17:00:00Z')).toEqual(['binh']);
    expect(await createdOn('after', '2024-05-31T16:59:59Z')).toEqual(
      newest.filter((n) => n !== 'cuc' && n !== 'an' && n !== 'hoa'),
    );
    // A cursor of the former id order is refused cleanly.
    const stale = Buffer.from(
      JSON.stringify({ s: '-createdAt', v: ids.lan, id: ids.lan }),
    ).toString('base64url');
    const res = await list({ sort: '-createdAt', cursor: stale });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields[0].path).toBe('cursor');
  });

  it('lists the trash separately', async () => {
    await admin.delete(`/api/v1/contacts/${ids.lan}`);
    expect(names(await list({ trash: 'true' }))).toEqual(['lan']);
    expect(names(await list({ sort: 'displayName' }))).not.toContain('lan');
    expect((await admin.get('/api/v1/contacts/count?trash=true')).body.count).toBe(1);
    await admin.post(`/api/v1/contacts/${ids.lan}/restore`);
    expect((await list({ trash: 'true' })).body.items).toEqual([]);
  });

  it('exports CSV with a BOM, chosen columns and neutralised formulas', async () => {
    await admin.patch(`/api/v1/contacts/${ids.an}`, {
      source: '=HYPERLINK("http://evil")',
      tags: ['@cmd', '-1', 'ok'],
    });
    const res = await admin.get(
      `/api/v1/contacts/export?columns=displayName,primaryPhone,lifecycleStage,provinceCode,source,tags,custom.hang&sort=displayName`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="contacts-\d{8}\.csv"/,
    );
    const text = res.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Họ và tên,Điện thoại,Giai đoạn,Tỉnh/Thành phố,Nguồn,Nhãn,Hạng thành viên',
    );
    expect(lines).toHaveLength(8);
    expect(lines[1]).toBe(
      `Trần Văn An,0903 111 222,Khách tiềm năng,Hà Nội,"'=HYPERLINK(""http://evil"")","'@cmd, -1, ok",Đồng`,
    );
    expect(lines).toContain('Nguyễn Thị Hồng Nhung,0912 345 678,Khách hàng,Hà Nội,,vip,Vàng');
    const filtered = await admin.get(
      `/api/v1/contacts/export?filter=${encodeURIComponent(JSON.stringify({ field: 'tags', op: 'contains', value: 'vip' }))}`,
    );
    expect((filtered.body as string).trimEnd().split('\r\n')).toHaveLength(4);
    const bad = await admin.get('/api/v1/contacts/export?columns=displayName,salary');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('columns');
  });

  it('lists companies with the same machinery', async () => {
    for (const body of [
      {
        name: 'Công ty TNHH Thép Việt',
        taxCode: '0100109106',
        type: 'customer',
        addresses: [{ provinceCode: '01' }],
      },
      { name: 'Công ty CP Ánh Dương', type: 'partner', industry: 'retail' },
      { name: 'Hợp tác xã Nông nghiệp Xanh', type: 'customer', tags: ['nông nghiệp'] },
    ]) {
      expect((await admin.post('/api/v1/companies', body)).status).toBe(201);
    }
    const get = (query: string) => admin.get(`/api/v1/companies?${query}`);
    const byName = await get('sort=name');
    expect(byName.body.items.map((c: { name: string }) => c.name)).toEqual([
      'Công ty CP Ánh Dương',
      'Công ty TNHH Thép Việt',
      'Hợp tác xã Nông nghiệp Xanh',
    ]);
    const customers = await get(
      `filter=${encodeURIComponent(JSON.stringify({ field: 'type', op: 'is', value: 'customer' }))}&sort=-name`,
    );
    expect(customers.body.items.map((c: { name: string }) => c.name)).toEqual([
      'Hợp tác xã Nông nghiệp Xanh',
      'Công ty TNHH Thép Việt',
    ]);
    expect((await get('q=0100109106')).body.items).toHaveLength(1);
    expect((await get('q=anh duong')).body.items).toHaveLength(1);
    expect((await admin.get('/api/v1/companies/count?q=cong%20ty')).body.count).toBe(2);
    const csv = await admin.get('/api/v1/companies/export?sort=name&columns=name,taxCode,type');
    expect((csv.body as string).slice(1).split('\r\n').slice(0, 2)).toEqual([
      'Tên công ty,Mã số thuế,Loại',
      'Công ty CP Ánh Dương,,Đối tác',
    ]);
  });
});

/**
 * `q` and name `contains` find their candidates through the trigram index with sen_match_ids()
 * (migration 0007, as sen_system, the current workspace only); the list keeps its own LIKE.
 */
describe('contains lists through the trigram index', () => {
  let t: TestApp;
  let admin: Client;
  let wsA: string;
  let wsB: string;
  let userId: string;
  const ids: Record<string, string> = {};

  const create = async (key: string, body: object) => {
    const res = await admin.post('/api/v1/contacts', body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    ids[key] = res.body.id;
  };
  const get = async (path: string, query: Record<string, string | object>) => {
    const params = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
    const res = await admin.get(`/api/v1/contacts${path}?${params}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const keysOf = (items: { id: string }[]) =>
    items.map((c) => Object.keys(ids).find((k) => ids[k] === c.id) ?? c.id).sort();
  /** The keys a list shows (paged by 2) and its count: they must agree. */
  const listed = async (query: Record<string, string | object>) => {
    const seen: { id: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await get('', { ...query, limit: '2', ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && seen.length < 50);
    const { sort: _sort, ...countQuery } = query;
    const { count } = await get('/count', countQuery);
    expect(count, JSON.stringify(query)).toBe(seen.length);
    return keysOf(seen);
  };
  /** sen_match_ids() called directly as sen_app in a workspace: the ids, or null. */
  const match = (
    workspaceId: string,
    pattern: string,
    opts: { trash?: boolean; cap?: number } = {},
  ) =>
    t.ctx.db.tenant({ workspaceId, userId }, async (tx) => {
      const [row] = await queryRows<{ ids: string[] | null }>(
        tx,
        sql`SELECT sen_match_ids('contacts', ${`{${pattern}}`}::text[], ${opts.trash ?? false}, ${opts.cap ?? 100}) AS ids`,
      );
      return row?.ids ?? null;
    });
  const matchKeys = async (workspaceId: string, pattern: string, trash = false) =>
    keysOf(((await match(workspaceId, pattern, { trash })) ?? []).map((id) => ({ id })));

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app, 'Workspace A');
    admin = s.admin;
    userId = s.session.user.id;
    wsA = s.session.workspace.id;
    // Workspace B first (creating it switches the session), with matches of every query below.
    const created = await admin.post('/api/v1/workspaces', { name: 'Workspace B' });
    expect(created.status).toBe(201);
    wsB = created.body.workspace.id;
    await create('other', {
      fullName: 'Nguyễn Hồng Nhung',
      phones: [{ value: '0912 345 678' }],
      emails: [{ value: 'nhung@sen.vn' }],
    });
    expect((await admin.post('/api/v1/auth/switch-workspace', { workspaceId: wsA })).status).toBe(
      200,
    );
    await create('nhung', {
      fullName: 'Nguyễn Thị Hồng Nhung',
      phones: [{ value: '0912 345 678' }],
      emails: [{ value: 'nhung@sen.vn' }],
    });
    await create('hong', { fullName: 'Phạm Hồng Nhung' });
    await create('nhu', { fullName: 'Trần Quỳnh Như', emails: [{ value: 'nhu.tran@sen.vn' }] });
    await create('tuan', { fullName: 'Đỗ Minh Tuấn', phones: [{ value: '0903 999 888' }] });
  });
  afterAll(() => t?.close());

  it('q, counts, exports and name contains give exactly the matching records', async () => {
    expect(await listed({ q: 'nhung' })).toEqual(['hong', 'nhung']);
    expect(await listed({ q: 'NHƯ' })).toEqual(['hong', 'nhu', 'nhung']);
    expect(await listed({ q: 'hồng nhung', sort: 'displayName' })).toEqual(['hong', 'nhung']);
    expect(await listed({ q: 'sen.vn' })).toEqual(['nhu', 'nhung']);
    expect(await listed({ q: '0912 345' })).toEqual(['nhung']); // two patterns: text, digits
    expect(await listed({ q: '+84 903 999' })).toEqual(['tuan']);
    expect(await listed({ q: 'zzzz' })).toEqual([]);
    expect(await listed({ q: 'nh' })).toEqual(['hong', 'nhu', 'nhung', 'tuan']); // not indexable
    const contains = (value: string) => ({ field: 'displayName', op: 'contains', value });
    expect(await listed({ filter: contains('HỒNG') })).toEqual(['hong', 'nhung']);
    // search_text also has emails: the name filter's own LIKE keeps the result exact.
    expect(await listed({ filter: contains('sen') })).toEqual([]);
    expect(await listed({ filter: contains('hong'), q: 'thi' })).toEqual(['nhung']);
    expect(
      await listed({ filter: { and: [contains('nhu'), { field: 'tags', op: 'is_empty' }] } }),
    ).toEqual(['hong', 'nhu', 'nhung']);
    expect(await listed({ filter: { or: [contains('tuan'), contains('quynh')] } })).toEqual([
      'nhu',
      'tuan',
    ]);
    expect(
      await listed({ filter: { field: 'displayName', op: 'not_contains', value: 'nhu' } }),
    ).toEqual(['tuan']);
    const csv = (
      await admin.get('/api/v1/contacts/export?q=nhung&columns=displayName&sort=displayName')
    ).body as string;
    expect(csv.slice(1).trimEnd().split('\r\n')).toEqual([
      'Họ và tên',
      'Nguyễn Thị Hồng Nhung',
      'Phạm Hồng Nhung',
    ]);
    const companies = await admin.post('/api/v1/companies', { name: 'Công ty TNHH Hồng Nhung' });
    expect(companies.status).toBe(201);
    const found = await admin.get('/api/v1/companies?q=hong%20nhung');
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([companies.body.id]);
  });

  it('never returns another workspace’s rows', async () => {
    expect(await matchKeys(wsA, '%nhung%')).toEqual(['hong', 'nhung']);
    expect(await matchKeys(wsB, '%nhung%')).toEqual(['other']);
    expect(await listed({ q: '0912345678' })).toEqual(['nhung']);
    expect(await listed({ q: 'nguyen hong nhung' })).toEqual([]); // only B's contact is that
  });

  it('sen_match_ids: nothing without a workspace, record tables only, sen_app only', async () => {
    const call = (table: string) =>
      t.ctx.db.appQuery<{ ids: string[] }>(
        `test_match_ids_${table.replace(/\W/g, '_')}`,
        'SELECT sen_match_ids($1, $2::text[], false, 100) AS ids',
        [table, '{%nhung%}'],
      );
    expect((await call('contacts'))[0]?.ids).toEqual([]);
    for (const table of ['users', 'workspace_members', 'sessions', 'no_such_table', 'contacts c']) {
      const err = await call(table).catch((e: unknown) => e);
      expect(pgErrorCode(err), table).toBe('22023'); // invalid_parameter_value
    }
    const err = await t.ctx.db
      .tenant({ workspaceId: wsA, userId }, (tx) =>
        tx.execute(sql`SELECT sen_match_ids('audit_log', '{%a%}', false, 1)`),
      )
      .catch((e: unknown) => e);
    expect(pgErrorCode(err)).toBe('22023');
    const [fn] = await t.ctx.db.system((tx) =>
      queryRows<{ owner: string; definer: boolean; acl: string }>(
        tx,
        sql`SELECT pg_get_userbyid(proowner) AS owner, prosecdef AS definer,
                   array_to_string(proacl, ',') AS acl
              FROM pg_proc WHERE proname = 'sen_match_ids'`,
      ),
    );
    expect(fn).toMatchObject({ owner: 'sen_system', definer: true });
    expect(fn?.acl).toContain('sen_app=X/sen_system');
    expect(fn?.acl).not.toMatch(/(^|,)=X/); // not PUBLIC
  });

  it('lists the trash with q', async () => {
    expect((await admin.delete(`/api/v1/contacts/${ids.hong}`)).status).toBe(204);
    try {
      expect(await listed({ q: 'nhung', trash: 'true' })).toEqual(['hong']);
      expect(await listed({ q: 'nhung' })).toEqual(['nhung']);
      expect(await listed({ q: 'tuan', trash: 'true' })).toEqual([]);
      expect(await matchKeys(wsA, '%nhung%', true)).toEqual(['hong']);
    } finally {
      await admin.post(`/api/v1/contacts/${ids.hong}/restore`);
    }
  });

  it('gives the same results when more rows match than the cap (no candidates)', async () => {
    const cap = MATCH_CAP;
    // The real cap: cap + 1 matching rows (written as sen_system, like an import).
    await t.ctx.db.system((tx) =>
      tx.execute(sql`INSERT INTO contacts (workspace_id, display_name, search_name, search_text)
        SELECT ${wsA}, 'Khách ' || i, 'khach ' || i, 'khach ' || i || ' xyzzy'
          FROM generate_series(1, ${cap + 1}) i`),
    );
    const check = async () => {
      const page = await get('', { q: 'xyzzy', withTotal: 'true', sort: 'displayName' });
      expect(page.total).toBe(cap + 1);
      expect(page.items).toHaveLength(50);
      expect((await get('/count', { q: 'khach 4999 xyzzy' })).count).toBe(1);
      expect((await get('/count', { q: 'xyzzy', trash: 'true' })).count).toBe(0);
      // A name "contains" with more matches than the cap takes no candidates either.
      const khach = { field: 'displayName', op: 'contains', value: 'khach' };
      expect((await get('/count', { filter: khach })).count).toBe(cap + 1);
      expect((await get('', { filter: khach, sort: 'displayName' })).items).toHaveLength(50);
      expect(await listed({ q: 'nhung' })).toEqual(['hong', 'nhung']);
    };
    await check();
    // With statistics (a table larger than the cap), a sample of the workspace's rows tells a
    // common pattern apart at once: NULL, without reading its trigrams.
    await t.ctx.db.executeSql('ANALYZE contacts');
    expect(await match(wsA, '%xyzzy%', { cap: 2000 })).toBeNull();
    expect(await match(wsA, '%khach 4999 xyzzy%', { cap: 2000 })).toHaveLength(1);
    expect(await matchKeys(wsA, '%nhung%')).toEqual(['hong', 'nhung']);
    await check();
  });
});
