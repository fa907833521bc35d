import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import type { Actor } from '../../src/core/permissions.js';
import { queryRows } from '../../src/db/sql.js';
import { actorOf } from '../../src/modules/imports/imports.repository.js';
import * as stock from '../../src/modules/stock/stock.service.js';
import { setupAdmin, type Client } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Reservations at the same moment, on PostgreSQL (PGlite runs one transaction at a time): the
 * level rows are locked before the availability check, so concurrent orders never oversell, and
 * orders naming the same products in different orders queue instead of deadlocking.
 */
describe('stock reservations under concurrency (PostgreSQL)', () => {
  let t: TestApp;
  let admin: Client;
  let actor: Actor;
  let warehouseId: string;
  const products: string[] = [];
  const orderId = (i: number) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`;

  beforeAll(async () => {
    t = await createTestApp();
    expect(t.ctx.db.kind).toBe('postgres');
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    actor = (await actorOf(t.ctx.db, {
      createdBy: setup.session.user.id,
      workspaceId: setup.session.workspace.id,
    }))!;
    warehouseId = (await admin.get('/api/v1/stock/warehouses')).body.items[0].id;
    for (const sku of ['A', 'B', 'C']) {
      const p = await admin.post('/api/v1/products', { sku, name: `Hàng ${sku}` });
      products.push(p.body.id);
    }
    const receipt = await admin.post('/api/v1/stock/receipts', {
      warehouseId,
      lines: products.map((productId) => ({ productId, quantity: 10 })),
    });
    expect(receipt.status).toBe(201);
  });
  afterAll(() => t?.close());

  async function levelOf(productId: string) {
    const [row] = await t.ctx.db.system((tx) =>
      queryRows<{ onHand: string; reserved: string }>(
        tx,
        sql`SELECT on_hand::text AS "onHand", reserved::text AS reserved FROM stock_levels
             WHERE product_id = ${productId} AND warehouse_id = ${warehouseId}`,
      ),
    );
    return row!;
  }

  it('30 orders reserving 1 of the last 10 at once: exactly 10 succeed, none oversells', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        t.ctx.db.tenant(actor, async (tx) => {
          // Each order holds its transaction a moment after reserving, so they overlap.
          const m = await stock.reserve(tx, actor, {
            warehouseId,
            ref: { object: 'orders', id: orderId(i) },
            lines: [{ productId: products[0]!, quantity: 1 }],
          });
          await tx.execute(sql`SELECT pg_sleep(0.01)`);
          return m;
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('INSUFFICIENT_STOCK');
    }
    expect(await levelOf(products[0]!)).toEqual({ onHand: '10.000', reserved: '10.000' });
    // The journal agrees: each successful reservation saw the one before it.
    const after = await t.ctx.db.system((tx) =>
      queryRows<{ r: string }>(
        tx,
        sql`SELECT reserved_after::text AS r FROM stock_movements
             WHERE kind = 'reserve' AND product_id = ${products[0]!} ORDER BY reserved_after`,
      ),
    );
    expect(after.map((a) => Number(a.r))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('orders naming the same products in opposite orders do not deadlock', async () => {
    const [, b, c] = products as [string, string, string];
    const runs = Array.from({ length: 16 }, (_, i) =>
      t.ctx.db.tenant(actor, async (tx) => {
        const lines =
          i % 2 === 0
            ? [
                { productId: b, quantity: 0.5 },
                { productId: c, quantity: 0.5 },
              ]
            : [
                { productId: c, quantity: 0.5 },
                { productId: b, quantity: 0.5 },
              ];
        const m = await stock.reserve(tx, actor, {
          warehouseId,
          ref: { object: 'orders', id: orderId(100 + i) },
          lines,
        });
        await tx.execute(sql`SELECT pg_sleep(0.01)`);
        return m;
      }),
    );
    const results = await Promise.allSettled(runs);
    const failures = results.filter((r) => r.status === 'rejected');
    expect(failures.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([]);
    expect(await levelOf(b)).toEqual({ onHand: '10.000', reserved: '8.000' });
    expect(await levelOf(c)).toEqual({ onHand: '10.000', reserved: '8.000' });
  });

  it('a first reservation of a product with no level row yet: concurrent inserts do not collide', async () => {
    const fresh = (await admin.post('/api/v1/products', { sku: 'D', name: 'Hàng D' })).body.id;
    await admin.patch(`/api/v1/products/${fresh}`, { allowBackorder: true });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        t.ctx.db.tenant(actor, (tx) =>
          stock.reserve(tx, actor, {
            warehouseId,
            ref: { object: 'orders', id: orderId(200 + i) },
            lines: [{ productId: fresh, quantity: 2 }],
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await levelOf(fresh)).toEqual({ onHand: '0.000', reserved: '16.000' });
  });
});
