import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabase, type TenantContext } from '../../src/db/database.js';
import { queryRows } from '../../src/db/sql.js';
import { nextNumber, peekNextNumber } from '../../src/modules/numbering/numbering.service.js';
import { addMember, setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Document numbering (#20): numbers taken inside the document's transaction, gap-free and unique
 * under concurrency, given back by a rollback, restarting each year for {YYYY} formats; the
 * settings API (formats, raising the counter), its refusals, audit and tenant isolation.
 */
describe('document numbering', () => {
  let t: TestApp;
  let admin: Client;
  let ws: TenantContext;
  let other: TenantContext;
  const url = '/api/v1/settings/numbering';

  beforeAll(async () => {
    t = await createTestApp();
    const a = await setupAdmin(t.app);
    admin = a.admin;
    ws = { workspaceId: a.session.workspace.id, userId: a.session.user.id };
    // A second workspace of the same admin (POST /workspaces switches to it; switch back).
    const created = await admin.post('/api/v1/workspaces', { name: 'Công ty Khác' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    other = { workspaceId: created.body.workspace.id, userId: ws.userId };
    expect(other.workspaceId).not.toBe(ws.workspaceId);
    const back = await admin.post('/api/v1/auth/switch-workspace', { workspaceId: ws.workspaceId });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
  });
  afterAll(() => t?.close());

  const take = (ctx: TenantContext, type: string, date: Date | string) =>
    t.ctx.db.tenant(ctx, (tx) => nextNumber(tx, type, date));

  it('lists the four default types with their formats and the next number of today', async () => {
    const res = await admin.get(url);
    expect(res.status).toBe(200);
    const year = res.body.today.year as number;
    expect(res.body.types.map((x: { key: string }) => x.key)).toEqual([
      'quotes',
      'orders',
      'invoices',
      'payments',
    ]);
    const quotes = res.body.types[0];
    expect(quotes).toMatchObject({
      format: 'BG-{YYYY}-{0000}',
      defaultFormat: 'BG-{YYYY}-{0000}',
      period: String(year),
      nextValue: 1,
      nextNumber: `BG-${year}-0001`,
      label: { vi: 'Báo giá', en: 'Quotes' },
    });
  });

  it('numbers in order inside the transaction; a rolled-back transaction consumes nothing', async () => {
    expect(await take(ws, 'orders', '2026-05-02')).toBe('DH-2026-0001');
    expect(await take(ws, 'orders', '2026-05-03')).toBe('DH-2026-0002');
    await expect(
      t.ctx.db.tenant(ws, async (tx) => {
        expect(await nextNumber(tx, 'orders', '2026-05-04')).toBe('DH-2026-0003');
        throw new Error('the document failed');
      }),
    ).rejects.toThrow('the document failed');
    expect(await take(ws, 'orders', '2026-05-04')).toBe('DH-2026-0003');
    expect(await t.ctx.db.tenant(ws, (tx) => peekNextNumber(tx, 'orders', '2026-06-01'))).toBe(
      'DH-2026-0004',
    );
  });

  it('gives 50 concurrent transactions 1..50 with no gap and no duplicate, rollbacks among them', async () => {
    // 60 transactions at once; every sixth takes a number and then fails. On PostgreSQL they
    // overlap (each holds its transaction a moment after taking its number), so the waiting ones
    // queue on the counter row and one that follows a failed one reuses its number.
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        t.ctx.db.tenant(ws, async (tx) => {
          const n = await nextNumber(tx, 'invoices', new Date('2026-08-15T03:00:00Z'));
          await tx.execute(sql`SELECT pg_sleep(0.005)`);
          if (i % 6 === 5) throw new Error('rolled back');
          return n;
        }),
      ),
    );
    const numbers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(10);
    expect(numbers).toHaveLength(50);
    const values = numbers
      .map((n) => Number(/^HD-2026-(\d{4})$/.exec(n)?.[1]))
      .sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const [row] = await t.ctx.db.tenant(ws, (tx) =>
      queryRows<{ next_value: string }>(
        tx,
        sql`SELECT next_value FROM document_sequences WHERE doc_type = 'invoices' AND period = '2026'`,
      ),
    );
    expect(Number(row!.next_value)).toBe(51);
  });

  it('gives 50 transactions open at the same moment on PostgreSQL 1..50 (50 connections)', async () => {
    if (t.ctx.db.kind !== 'postgres') return; // PGlite runs one transaction at a time.
    const db = PostgresDatabase.open(t.database.url!, 50);
    try {
      let open = 0;
      let most = 0;
      let release!: () => void;
      const allOpen = new Promise<void>((r) => (release = r));
      const numbers = await Promise.all(
        Array.from({ length: 50 }, () =>
          db.tenant(ws, async (tx) => {
            await tx.execute(sql`SELECT 1`);
            most = Math.max(most, ++open);
            if (open === 50) release();
            // Every transaction is open before any takes its number.
            await Promise.race([allOpen, new Promise((r) => setTimeout(r, 5_000))]);
            const n = await nextNumber(tx, 'payments', '2025-06-01');
            await tx.execute(sql`SELECT pg_sleep(0.002)`);
            open--;
            return n;
          }),
        ),
      );
      expect(most).toBe(50);
      expect(new Set(numbers).size).toBe(50);
      expect([...numbers].sort()).toEqual(
        Array.from({ length: 50 }, (_, i) => `PT-2025-${String(i + 1).padStart(4, '0')}`),
      );
    } finally {
      await db.close();
    }
  });

  it('restarts at 1 in a new year for a {YYYY} format, by the workspace time zone', async () => {
    expect(await take(ws, 'payments', '2026-12-31')).toBe('PT-2026-0001');
    expect(await take(ws, 'payments', '2026-12-31')).toBe('PT-2026-0002');
    // 17:30 UTC on 31 December is 00:30 on 1 January in Hồ Chí Minh City (UTC+7).
    expect(await take(ws, 'payments', new Date('2026-12-31T17:30:00Z'))).toBe('PT-2027-0001');
    expect(await take(ws, 'payments', new Date('2026-12-31T16:30:00Z'))).toBe('PT-2026-0003');
    expect(await take(ws, 'payments', '2027-01-02')).toBe('PT-2027-0002');
  });

  it('changes a format without renumbering; a format without the year never restarts', async () => {
    const res = await admin.patch(`${url}/quotes`, { format: 'Q{0000000}' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ format: 'Q{0000000}', period: '', nextNumber: 'Q0000001' });
    expect(await take(ws, 'quotes', '2026-03-01')).toBe('Q0000001');
    expect(await take(ws, 'quotes', '2027-03-01')).toBe('Q0000002');
    const back = await admin.patch(`${url}/quotes`, { format: 'BG-{YY}{MM}-{000}' });
    expect(back.status).toBe(200);
    expect(await take(ws, 'quotes', '2026-03-01')).toBe('BG-2603-001');
  });

  it('raises the next number, and refuses one below the numbers used', async () => {
    const year = (await admin.get(url)).body.today.year as number;
    const before = (await admin.get(url)).body.types.find(
      (x: { key: string }) => x.key === 'orders',
    );
    // Orders of this year: the earlier test used 2026; take two now to have used numbers.
    await take(ws, 'orders', new Date());
    await take(ws, 'orders', new Date());
    const used = year === 2026 ? 5 : 2;
    expect(before.nextValue).toBe(year === 2026 ? 4 : 1);
    const low = await admin.patch(`${url}/orders`, { nextValue: used });
    expect(low.status).toBe(400);
    expect(low.body.error.code).toBe('VALIDATION_FAILED');
    expect(low.body.error.details.fields).toEqual([
      expect.objectContaining({ path: 'nextValue', reason: 'below_used' }),
    ]);
    expect(low.body.error.details.fields[0].message).toContain(String(used + 1));
    const raised = await admin.patch(`${url}/orders`, { nextValue: 500 });
    expect(raised.status).toBe(200);
    expect(raised.body.nextNumber).toBe(`DH-${year}-0500`);
    expect(await take(ws, 'orders', new Date())).toBe(`DH-${year}-0500`);
    expect((await admin.patch(`${url}/orders`, { nextValue: 500 })).status).toBe(400);
  });

  it.each([
    ['BG-{YYYY}', 'no_counter'],
    ['{0000}{0000}', 'several_counters'],
    ['BG-{DD}-{0000}', 'unknown_token'],
    ['BG <script>{0000}', 'unsafe_character'],
  ])('refuses the format %j with 400 (%s) and keeps the old one', async (format, reason) => {
    const before = (await admin.get(url)).body.types.find(
      (x: { key: string }) => x.key === 'invoices',
    );
    const res = await admin.patch(`${url}/invoices`, { format });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      requestId: expect.any(String),
      details: { fields: [expect.objectContaining({ path: 'format', reason })] },
    });
    const after = (await admin.get(url)).body.types.find(
      (x: { key: string }) => x.key === 'invoices',
    );
    expect(after.format).toBe(before.format);
  });

  it('refuses a format over 40 characters and an unknown type', async () => {
    expect((await admin.patch(`${url}/invoices`, { format: `${'A'.repeat(41)}{0}` })).status).toBe(
      400,
    );
    expect((await admin.patch(`${url}/contracts`, { format: 'HĐ-{0000}' })).status).toBe(404);
  });

  it('audits format and counter changes', async () => {
    const rows = await t.ctx.db.system((tx) =>
      queryRows<{ object_id: string; changes: Record<string, { from: unknown; to: unknown }> }>(
        tx,
        sql`SELECT object_id, changes FROM audit_log
             WHERE workspace_id = ${ws.workspaceId}::uuid AND object_type = 'document_numbering'
             ORDER BY id`,
      ),
    );
    expect(rows[0]).toEqual({
      object_id: 'quotes',
      changes: { format: { from: 'BG-{YYYY}-{0000}', to: 'Q{0000000}' } },
    });
    expect(rows.find((r) => r.object_id === 'orders')?.changes.nextValue?.to).toBe(500);
  });

  it('is for admins: a sales rep may neither read nor change it', async () => {
    const rep = await addMember(t.app, admin, 'sales', 'Lê Văn Bán');
    expect((await rep.client.get(url)).status).toBe(403);
    expect((await rep.client.patch(`${url}/quotes`, { nextValue: 900 })).status).toBe(403);
  });

  it("keeps each workspace's counters and formats to itself (RLS)", async () => {
    const seen = await t.ctx.db.tenant(other, (tx) =>
      queryRows<{ n: string }>(
        tx,
        sql`SELECT (SELECT count(*) FROM document_sequences)
                 + (SELECT count(*) FROM document_number_formats) AS n`,
      ),
    );
    expect(Number(seen[0]!.n)).toBe(0);
    // Its own numbering starts at 1 with the default formats.
    expect(await take(other, 'quotes', '2026-03-01')).toBe('BG-2026-0001');
    const mine = await t.ctx.db.tenant(other, (tx) =>
      queryRows<{ workspace_id: string }>(tx, sql`SELECT workspace_id FROM document_sequences`),
    );
    expect(mine.map((r) => r.workspace_id)).toEqual([other.workspaceId]);
    // Writing a row into the first workspace from the second is refused by the policy.
    await expect(
      t.ctx.db.tenant(other, (tx) =>
        tx.execute(
          sql`INSERT INTO document_sequences (workspace_id, doc_type, period, next_value)
              VALUES (${ws.workspaceId}::uuid, 'quotes', '1999', 1)`,
        ),
      ),
    ).rejects.toThrow();
  });
});
