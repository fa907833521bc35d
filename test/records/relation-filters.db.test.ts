import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Relation filters (fields.ts `relation`): contacts filtered by the companies they work at and
 * by their job title there, through contact_companies. Negative operators mean "no link
 * matches"; links to companies in the trash or outside the caller's company scope never match.
 */
describe('contacts filtered by company and job title', () => {
  let t: TestApp;
  let admin: Client;
  const company: Record<string, string> = {};
  const contact: Record<string, string> = {};

  // who → [company, job title][]
  const links: Record<string, [string, string | null][]> = {
    nhung: [['sen', 'Giám đốc kinh doanh']],
    an: [
      ['sen', 'Kế toán'],
      ['mai', 'Giám đốc'],
    ],
    binh: [['mai', null]],
    cuc: [['cu', 'Trưởng phòng kinh doanh']],
    duc: [],
  };

  const list = async (client: Client, filter: object, path = '/api/v1/contacts') => {
    const res = await client.get(
      `${path}?${new URLSearchParams({ filter: JSON.stringify(filter) })}`,
    );
    return res;
  };
  const names = (res: { body: { items: { id: string }[] } }) =>
    res.body.items.map((c) => Object.keys(contact).find((k) => contact[k] === c.id)).sort();

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    for (const [key, name] of [
      ['sen', 'Công ty TNHH Hoa Sen'],
      ['mai', 'Công ty CP Hoa Mai'],
      ['cu', 'Công ty Cũ'],
    ]) {
      const res = await admin.post('/api/v1/companies', { name });
      expect(res.status).toBe(201);
      company[key!] = res.body.id;
    }
    const fullNames: Record<string, string> = {
      nhung: 'Nguyễn Thị Hồng Nhung',
      an: 'Trần Văn An',
      binh: 'Lê Thanh Bình',
      cuc: 'Phạm Thị Cúc',
      duc: 'Đặng Minh Đức',
    };
    for (const [key, fullName] of Object.entries(fullNames)) {
      const res = await admin.post('/api/v1/contacts', { fullName });
      expect(res.status).toBe(201);
      contact[key] = res.body.id;
      for (const [co, jobTitle] of links[key] ?? []) {
        const linked = await admin.post(`/api/v1/contacts/${res.body.id}/companies`, {
          companyId: company[co],
          jobTitle,
        });
        expect(linked.status).toBe(200);
      }
    }
    // "Công ty Cũ" goes to the trash: its links stay, but no longer match.
    expect((await admin.delete(`/api/v1/companies/${company.cu}`)).status).toBe(204);
  });
  afterAll(() => t?.close());

  it('offers company (a companies picker) and job title as filters shown in the companies column', async () => {
    const res = await admin.get('/api/v1/objects/contacts/fields');
    expect(res.status).toBe(200);
    const byKey = new Map(res.body.items.map((f: { key: string }) => [f.key, f]));
    expect(byKey.get('company')).toMatchObject({
      type: 'link',
      target: 'companies',
      shownIn: 'companies',
      filterable: true,
      sortable: false,
      label: { vi: 'Công ty', en: 'Company' },
      operators: ['is', 'is_not', 'in', 'not_in', 'is_empty', 'is_not_empty'],
    });
    expect(byKey.get('jobTitle')).toMatchObject({
      type: 'text',
      target: null,
      shownIn: 'companies',
      filterable: true,
      label: { vi: 'Chức danh', en: 'Job title' },
    });
    // The column itself (one company for most contacts: singular) is not filterable.
    expect(byKey.get('companies')).toMatchObject({
      label: { vi: 'Công ty', en: 'Company' },
      filterable: false,
      shownIn: null,
    });
  });

  it('filters by company with every operator', async () => {
    const cases: [object, string[]][] = [
      [{ field: 'company', op: 'is', value: company.sen }, ['an', 'nhung']],
      [{ field: 'company', op: 'is', value: company.mai?.toUpperCase() }, ['an', 'binh']],
      [{ field: 'company', op: 'in', value: [company.sen, company.mai] }, ['an', 'binh', 'nhung']],
      // Not at Hoa Sen: An also works at Hoa Mai, but is still out.
      [{ field: 'company', op: 'is_not', value: company.sen }, ['binh', 'cuc', 'duc']],
      [{ field: 'company', op: 'not_in', value: [company.sen, company.mai] }, ['cuc', 'duc']],
      // A company in the trash is no link: Cúc has no (live) company.
      [{ field: 'company', op: 'is', value: company.cu }, []],
      [{ field: 'company', op: 'is_empty' }, ['cuc', 'duc']],
      [{ field: 'company', op: 'is_not_empty' }, ['an', 'binh', 'nhung']],
      [
        {
          and: [
            { field: 'company', op: 'is', value: company.mai },
            { field: 'displayName', op: 'contains', value: 'trần' },
          ],
        },
        ['an'],
      ],
    ];
    for (const [filter, expected] of cases) {
      const res = await list(admin, filter);
      expect(res.status, JSON.stringify(filter)).toBe(200);
      expect(names(res), JSON.stringify(filter)).toEqual(expected);
      const count = await list(admin, filter, '/api/v1/contacts/count');
      expect(count.body.count, JSON.stringify(filter)).toBe(expected.length);
    }
  });

  it('filters by job title, folded like every text filter', async () => {
    const cases: [object, string[]][] = [
      [{ field: 'jobTitle', op: 'contains', value: 'GIAM DOC' }, ['an', 'nhung']],
      [{ field: 'jobTitle', op: 'contains', value: 'kinh doanh' }, ['nhung']],
      [{ field: 'jobTitle', op: 'is', value: 'giám đốc' }, ['an']],
      [{ field: 'jobTitle', op: 'not_contains', value: 'giám đốc' }, ['binh', 'cuc', 'duc']],
      [{ field: 'jobTitle', op: 'is_empty' }, ['binh', 'cuc', 'duc']],
      [{ field: 'jobTitle', op: 'is_not_empty' }, ['an', 'nhung']],
    ];
    for (const [filter, expected] of cases) {
      const res = await list(admin, filter);
      expect(res.status, JSON.stringify(filter)).toBe(200);
      expect(names(res), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it('exports what the filtered list shows', async () => {
    const res = await admin.get(
      `/api/v1/contacts/export?${new URLSearchParams({
        columns: 'id',
        filter: JSON.stringify({ field: 'company', op: 'is', value: company.mai }),
      })}`,
    );
    expect(res.status).toBe(200);
    const ids = String(res.body).split(/\r?\n/).slice(1).filter(Boolean).sort();
    expect(ids).toEqual([contact.an, contact.binh].sort());
  });

  it('refuses bad values in the one error shape, and filter-only fields as columns', async () => {
    const bad = await list(admin, { field: 'company', op: 'is', value: 'Hoa Sen' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.fields[0]).toMatchObject({ path: 'filter.value' });
    const op = await list(admin, { field: 'company', op: 'contains', value: company.sen });
    expect(op.status).toBe(400);
    expect(op.body.error.details.fields[0]).toMatchObject({ path: 'filter.op' });
    const sort = await admin.get('/api/v1/contacts?sort=company');
    expect(sort.status).toBe(400);
    const exported = await admin.get('/api/v1/contacts/export?columns=id,company');
    expect(exported.status).toBe(400);
  });

  it("matches only companies in the caller's company scope", async () => {
    // Contacts: every one; companies: only their own (none), then none at all.
    const ownCompanies = await admin.post('/api/v1/roles', {
      name: 'Liên hệ, công ty của mình',
      permissions: {
        contacts: { read: true, scope: 'all' },
        companies: { read: true, scope: 'own' },
      },
    });
    expect(ownCompanies.status).toBe(201);
    const noCompanies = await admin.post('/api/v1/roles', {
      name: 'Chỉ liên hệ',
      permissions: { contacts: { read: true, scope: 'all' } },
    });
    expect(noCompanies.status).toBe(201);
    const member = await addMember(t.app, admin, 'viewer', 'Đỗ Văn Tâm');
    const setRole = async (roleId: string) =>
      expect((await admin.patch(`/api/v1/users/${member.userId}`, { roleId })).status).toBe(200);

    await setRole(ownCompanies.body.id);
    const atSen = { field: 'company', op: 'is', value: company.sen };
    expect(names(await list(member.client, atSen))).toEqual([]);
    expect(names(await list(member.client, { field: 'company', op: 'is_empty' }))).toEqual(
      Object.keys(contact).sort(),
    );
    // Once Hoa Sen is theirs, its links count.
    expect(
      (await admin.patch(`/api/v1/companies/${company.sen}`, { ownerId: member.userId })).status,
    ).toBe(200);
    expect(names(await list(member.client, atSen))).toEqual(['an', 'nhung']);
    expect(
      names(await list(member.client, { field: 'jobTitle', op: 'contains', value: 'giam doc' })),
    ).toEqual(['nhung']); // An is a director at Hoa Mai, which is not theirs
    expect(names(await list(member.client, { field: 'company', op: 'is_empty' }))).toEqual([
      'binh',
      'cuc',
      'duc',
    ]);

    await setRole(noCompanies.body.id);
    expect(names(await list(member.client, atSen))).toEqual([]);
    expect(
      names(await list(member.client, { field: 'company', op: 'is_not', value: company.sen })),
    ).toEqual(Object.keys(contact).sort());
  });
});
