import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/core/errors.js';
import { queryOne, queryRows } from '../src/db/sql.js';
import { getWard, isValidWard } from '../src/lib/vn/admin-units.js';
import { normalizeEmail } from '../src/lib/vn/email.js';
import { composeDisplayName, foldForSearch } from '../src/lib/vn/names.js';
import { normalizePhone } from '../src/lib/vn/phone.js';
import { normalizeTaxCode } from '../src/lib/vn/tax-code.js';
import { seedDemo } from '../src/modules/demo/demo.service.js';
import { DEMO_TAG, DemoGenerator, type GenerateOptions } from '../src/modules/demo/generate.js';
import { buildUser, buildWorkspace } from '../src/modules/demo/factories.js';
import { signedIn, type Client } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  workspaceId: '0190a000-0000-7000-8000-000000000001',
  ownerIds: ['0190a000-0000-7000-8000-0000000000a1', '0190a000-0000-7000-8000-0000000000a2'],
  contacts: 3000,
  companies: 300,
  seed: 42,
  now: new Date('2026-06-30T00:00:00Z'),
  ...overrides,
});

function generate(o: GenerateOptions) {
  const gen = new DemoGenerator(o);
  return { companies: [...gen.companies()], contacts: [...gen.contacts()] };
}

describe('demo data generator', () => {
  const data = generate(options());

  it('is deterministic: the same options give the same rows, another seed other rows', () => {
    expect(JSON.stringify(generate(options()))).toBe(JSON.stringify(data));
    const other = generate(options({ seed: 43, contacts: 50, companies: 10 }));
    expect(other.contacts[0]?.contact.displayName).toBeDefined();
    expect(other.contacts.map((c) => c.contact.id)).not.toEqual(
      data.contacts.slice(0, 50).map((c) => c.contact.id),
    );
    // A row does not depend on how many rows are generated around it.
    const fewer = generate(options({ contacts: 10 }));
    expect(fewer.contacts[7]?.contact).toEqual(data.contacts[7]?.contact);
  });

  it('gives unique UUID v7 ids, also across workspaces with the same seed', () => {
    const ids = [
      ...data.companies.map((c) => c.id),
      ...data.contacts.map((c) => c.contact.id),
      ...data.contacts.flatMap((c) => c.notes.map((n) => n.id)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    const elsewhere = generate(
      options({ workspaceId: '0190a000-0000-7000-8000-000000000002', contacts: 100 }),
    );
    const here = new Set(ids);
    expect(elsewhere.contacts.some((c) => here.has(c.contact.id))).toBe(false);
  });

  it('writes valid phones, emails, tax codes and addresses', () => {
    for (const { contact } of data.contacts) {
      for (const p of contact.phones ?? []) {
        const r = normalizePhone(p.value);
        expect(r, p.value).toEqual({ ok: true, value: p.value });
      }
      for (const e of contact.emails ?? []) {
        expect(normalizeEmail(e.value), e.value).toEqual({ ok: true, value: e.value });
      }
      expect(contact.primaryPhone).toBe(contact.phones?.find((p) => p.primary)?.value);
      expect(contact.primaryEmail ?? null).toBe(
        contact.emails?.find((e) => e.primary)?.value ?? null,
      );
      const address = contact.addresses?.[0];
      if (address) {
        expect(isValidWard(address.provinceCode ?? '', address.wardCode ?? '')).toBe(true);
        expect(contact.provinceCode).toBe(address.provinceCode);
        expect(contact.wardCode).toBe(address.wardCode);
      }
    }
    for (const company of data.companies) {
      const r = normalizeTaxCode(company.taxCode ?? '');
      expect(r, company.taxCode ?? '').toEqual({
        ok: true,
        value: { code: company.taxCode, kind: 'organisation' },
      });
      for (const p of company.phones ?? []) {
        expect(normalizePhone(p.value)).toEqual({ ok: true, value: p.value });
      }
      expect(getWard(company.wardCode ?? '')?.provinceCode).toBe(company.provinceCode);
    }
  });

  it('writes NFC names and the search keys the records service writes', () => {
    for (const { contact: c } of data.contacts) {
      for (const s of [c.familyName, c.middleName, c.givenName, c.displayName]) {
        expect(s).toBe(s?.normalize('NFC'));
      }
      expect(c.displayName).toBe(composeDisplayName(c));
      expect(c.searchName).toBe(foldForSearch(c.displayName));
      expect(c.searchText?.startsWith(`${c.searchName} `)).toBe(true);
      for (const p of c.phones ?? []) expect(c.searchText).toContain(` 0${p.value.slice(3)}`);
      expect(c.sortName).toBe(
        foldForSearch(`${c.givenName ?? ''} ${c.familyName ?? ''} ${c.middleName ?? ''}`),
      );
    }
    for (const c of data.companies) {
      expect(c.name).toMatch(/^(Công ty|Doanh nghiệp|Hợp tác xã)/);
      expect(c.searchName).toBe(foldForSearch(c.name));
      expect(c.searchText).toContain(c.taxCode ?? 'missing');
    }
  });

  it('looks Vietnamese: Nguyễn is the most common family name, about 38 %', () => {
    const nguyen = data.contacts.filter((c) => c.contact.familyName === 'Nguyễn').length;
    expect(nguyen / data.contacts.length).toBeGreaterThan(0.33);
    expect(nguyen / data.contacts.length).toBeLessThan(0.43);
    const linked = data.contacts.filter((c) => c.link).length / data.contacts.length;
    expect(linked).toBeGreaterThan(0.5);
    const notes = data.contacts.flatMap((c) => c.notes);
    expect(notes.length).toBeGreaterThan(data.contacts.length);
    const times = notes.map((n) => (n.createdAt as Date).getTime());
    const span = (Math.max(...times) - Math.min(...times)) / 86_400_000;
    expect(span).toBeGreaterThan(600);
    expect(Math.max(...times)).toBeLessThanOrEqual(options().now.getTime());
  });
});

describe('sen demo (seedDemo)', () => {
  let t: TestApp;
  let admin: Client;
  let workspaceId: string;
  let salesId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const workspace = await buildWorkspace(t.ctx.db, { name: 'Công ty Demo' });
    workspaceId = workspace.id;
    admin = await signedIn(t.app, t.ctx.db, workspace.admin);
    salesId = (await buildUser(t.ctx.db, { workspaceId, roleKey: 'sales' })).id;
  });
  afterAll(() => t?.close());

  // The real defaults of `sen demo` (2,000 contacts, 300 companies), on both backends.
  const counts = { contacts: 2000, companies: 300 };

  const count = (table: 'contacts' | 'companies' | 'notes' | 'contact_companies') =>
    t.ctx.db.system(async (tx) => {
      const row = await queryOne<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE workspace_id = ${workspaceId}`,
      );
      return row?.n ?? 0;
    });

  it('seeds a fresh workspace in one go, owned by its members', async () => {
    const result = await seedDemo(t.ctx, { ...counts, seed: 7, force: false });
    expect(result).toMatchObject({ workspaceId, owners: 2, replaced: false, ...counts });
    expect(await count('contacts')).toBe(counts.contacts);
    expect(await count('companies')).toBe(counts.companies);
    expect(await count('contact_companies')).toBe(result.links);
    expect(await count('notes')).toBe(result.notes);
    expect(result.notes).toBeGreaterThan(counts.contacts);

    const owners = await t.ctx.db.system((tx) =>
      queryRows<{ owner_id: string; n: number }>(
        tx,
        sql`SELECT owner_id, count(*)::int AS n FROM contacts WHERE workspace_id = ${workspaceId}
            GROUP BY owner_id`,
      ),
    );
    expect(owners.map((o) => o.owner_id)).toContain(salesId);
    for (const o of owners) expect(o.n).toBeGreaterThan(counts.contacts / 4);

    // The planner knows the tables' sizes (PGlite has no autovacuum: seedDemo ANALYZEs them).
    const stats = await t.ctx.db.system((tx) =>
      queryRows<{ relname: string; reltuples: number }>(
        tx,
        sql`SELECT relname, reltuples::int AS reltuples FROM pg_class
             WHERE relkind = 'r' AND relname IN ('contacts', 'companies', 'contact_companies')`,
      ),
    );
    const rows = Object.fromEntries(stats.map((s) => [s.relname, s.reltuples]));
    expect(rows.contacts).toBeGreaterThanOrEqual(counts.contacts);
    expect(rows.companies).toBeGreaterThanOrEqual(counts.companies);
    expect(rows.contact_companies).toBeGreaterThanOrEqual(result.links);
  });

  it('the seeded data is searchable, and the sales member sees only their own', async () => {
    const anyContact = await t.ctx.db.system((tx) =>
      queryOne<{ id: string; display_name: string; owner_id: string }>(
        tx,
        sql`SELECT id, display_name, owner_id FROM contacts WHERE workspace_id = ${workspaceId}
            AND owner_id = ${salesId} AND ${DEMO_TAG} = ANY(tags) ORDER BY id LIMIT 1`,
      ),
    );
    expect(anyContact).toBeDefined();
    const res = await admin.get(
      `/api/v1/search?q=${encodeURIComponent(anyContact?.display_name ?? '')}&limit=50`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(anyContact?.id);
  });

  it('refuses to seed twice unless forced, and --force replaces instead of adding', async () => {
    const again = seedDemo(t.ctx, { ...counts, seed: 7, force: false });
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: 'CONFLICT' });
    const forced = await seedDemo(t.ctx, {
      workspace: 'công ty demo',
      contacts: 100,
      companies: 10,
      seed: 8,
      force: true,
    });
    expect(forced.replaced).toBe(true);
    expect(await count('contacts')).toBe(100);
    expect(await count('companies')).toBe(10);
    expect(await count('notes')).toBe(forced.notes);
  });

  it('names an unknown workspace', async () => {
    await expect(
      seedDemo(t.ctx, { workspace: 'nope', contacts: 1, companies: 1, seed: 1, force: false }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
