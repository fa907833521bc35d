import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import type { Actor } from '../../src/core/permissions.js';
import { queryRows } from '../../src/db/sql.js';
import { actorOf } from '../../src/modules/imports/imports.repository.js';
import * as stock from '../../src/modules/stock/stock.service.js';
import { addMember, Client, PASSWORD, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Stock per warehouse (#20): the HTTP routes (levels, movements, receipts, adjustments,
 * warehouses) and the service orders call (reserve, release, issue), on both backends.
 */
describe('stock per warehouse', () => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;
  let sales: Client;
  let actor: Actor;
  let mainId: string;
  let nuocMam: string; // reorder level 20, no backorders
  let gao: string; // allows backorders, kilos
  let otherProduct: string; // in another workspace
  const order = { object: 'orders', id: '01900000-0000-7000-8000-000000000001' };

  async function level(productId: string, warehouseId = mainId) {
    const res = await admin.get(`/api/v1/stock/levels?warehouseId=${warehouseId}&limit=200`);
    expect(res.status).toBe(200);
    return res.body.items.find((l: { product: { id: string } }) => l.product.id === productId);
  }

  async function caught(p: Promise<unknown>): Promise<AppError> {
    try {
      await p;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('expected an AppError');
  }

  beforeAll(async () => {
    t = await createTestApp();
    const setup = await setupAdmin(t.app);
    admin = setup.admin;
    manager = (await addMember(t.app, admin, 'manager', 'Lê Văn Kho')).client;
    sales = (await addMember(t.app, admin, 'sales')).client;
    actor = (await actorOf(t.ctx.db, {
      createdBy: setup.session.user.id,
      workspaceId: setup.session.workspace.id,
    }))!;
    const created = async (c: Client, body: Record<string, unknown>) => {
      const res = await c.post('/api/v1/products', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const nm = await created(manager, {
      sku: 'NM-500',
      name: 'Nước mắm Phú Quốc 500ml',
      unit: 'chai',
      reorderLevel: 20,
    });
    expect(nm).toMatchObject({ reorderLevel: 20, allowBackorder: false });
    nuocMam = nm.id;
    gao = (
      await created(manager, {
        sku: 'GAO-ST25',
        name: 'Gạo ST25',
        unit: 'kg',
        reorderLevel: 12.5,
        allowBackorder: true,
      })
    ).id;
    // The same admin in a workspace of their own, with a product there.
    const other = new Client(t.app);
    await other.post('/api/v1/auth/sign-in', { email: setup.email, password: PASSWORD });
    expect((await other.post('/api/v1/workspaces', { name: 'Công ty Khác' })).status).toBe(201);
    otherProduct = (await created(other, { sku: 'X-1', name: 'Hàng công ty khác' })).id;
    const otherWarehouses = await other.get('/api/v1/stock/warehouses');
    expect(otherWarehouses.body.items.map((w: { name: string }) => w.name)).toEqual(['Kho chính']);
    mainId = (await admin.get('/api/v1/stock/warehouses')).body.items[0].id;
  });
  afterAll(() => t?.close());

  it('a new workspace has its default warehouse, Kho chính', async () => {
    const res = await sales.get('/api/v1/stock/warehouses');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      id: mainId,
      name: 'Kho chính',
      isDefault: true,
      archived: false,
    });
  });

  it('products take a reorder level (3 decimals at most) and a backorder flag', async () => {
    const bad = await manager.patch(`/api/v1/products/${nuocMam}`, { reorderLevel: 1.0005 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('reorderLevel');
    const negative = await manager.patch(`/api/v1/products/${nuocMam}`, { reorderLevel: -1 });
    expect(negative.status).toBe(400);
    const fields = await sales.get('/api/v1/objects/products/fields');
    const keys = fields.body.items.map((f: { key: string }) => f.key);
    expect(keys).toEqual(expect.arrayContaining(['reorderLevel', 'allowBackorder']));
    const filter = JSON.stringify({ and: [{ field: 'allowBackorder', op: 'is', value: true }] });
    const list = await sales.get(`/api/v1/products?filter=${encodeURIComponent(filter)}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.items.map((p: { sku: string }) => p.sku)).toEqual(['GAO-ST25']);
  });

  it('receipts raise on hand; the levels list shows every product, flagged below its reorder level', async () => {
    const before = await level(nuocMam);
    expect(before).toMatchObject({ onHand: 0, reserved: 0, available: 0, belowReorderLevel: true });
    const res = await manager.post('/api/v1/stock/receipts', {
      warehouseId: mainId,
      lines: [
        { productId: nuocMam, quantity: 30 },
        { productId: gao, quantity: 10.25 },
      ],
      reason: 'Phiếu nhập PN-001',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toMatchObject({
      kind: 'receipt',
      product: { name: 'Nước mắm Phú Quốc 500ml', sku: 'NM-500' },
      warehouse: { name: 'Kho chính' },
      quantity: 30,
      onHandAfter: 30,
      user: { name: 'Lê Văn Kho' },
    });
    expect(await level(nuocMam)).toMatchObject({
      onHand: 30,
      available: 30,
      reorderLevel: 20,
      belowReorderLevel: false,
    });
    // 10.25 kg of rice, below its 12.5 kg reorder level.
    expect(await level(gao)).toMatchObject({ onHand: 10.25, belowReorderLevel: true });
    const below = await sales.get('/api/v1/stock/levels?belowReorderLevel=true');
    expect(below.body.items.map((l: { product: { sku: string } }) => l.product.sku)).toEqual([
      'GAO-ST25',
    ]);
    const search = await sales.get(`/api/v1/stock/levels?q=${encodeURIComponent('nuoc mam')}`);
    expect(search.body.items.map((l: { product: { sku: string } }) => l.product.sku)).toEqual([
      'NM-500',
    ]);
  });

  it('receipts and adjustments are for managers; everyone who reads products reads stock', async () => {
    const body = { warehouseId: mainId, lines: [{ productId: nuocMam, quantity: 1 }] };
    expect((await sales.post('/api/v1/stock/receipts', body)).status).toBe(403);
    expect(
      (await sales.post('/api/v1/stock/adjustments', { ...body, reason: 'Kiểm kê' })).status,
    ).toBe(403);
    expect((await sales.post('/api/v1/stock/warehouses', { name: 'Kho B' })).status).toBe(403);
    expect((await sales.get('/api/v1/stock/levels')).status).toBe(200);
    expect((await sales.get('/api/v1/stock/movements')).status).toBe(200);
    const roles = await admin.get('/api/v1/roles');
    const salesRole = roles.body.items.find((r: { key: string }) => r.key === 'sales');
    expect(salesRole.permissions.stock).toMatchObject({ read: true, create: false, update: false });
  });

  it('refuses bad input with 400 naming the field, never 500, and writes nothing', async () => {
    const movementsBefore = (await admin.get('/api/v1/stock/movements?limit=200')).body.items
      .length;
    const cases: [unknown, string, string?][] = [
      [{ warehouseId: mainId, lines: [{ productId: nuocMam, quantity: 0 }] }, 'lines.0.quantity'],
      [{ warehouseId: mainId, lines: [{ productId: nuocMam, quantity: -3 }] }, 'lines.0.quantity'],
      [
        { warehouseId: mainId, lines: [{ productId: nuocMam, quantity: 1.0001 }] },
        'lines.0.quantity',
      ],
      [
        { warehouseId: mainId, lines: [{ productId: nuocMam, quantity: 1e12 }] },
        'lines.0.quantity',
      ],
      [{ warehouseId: mainId, lines: [] }, 'lines'],
      [
        {
          warehouseId: mainId,
          lines: [{ productId: '01900000-0000-7000-8000-0000000000ff', quantity: 1 }],
        },
        'lines.0.productId',
        'not_found',
      ],
      // Another workspace's product is not found (RLS), not a foreign-key 500.
      [
        { warehouseId: mainId, lines: [{ productId: otherProduct, quantity: 1 }] },
        'lines.0.productId',
        'not_found',
      ],
      [
        {
          warehouseId: '01900000-0000-7000-8000-0000000000ee',
          lines: [{ productId: nuocMam, quantity: 1 }],
        },
        'warehouseId',
        'not_found',
      ],
      [{ warehouseId: 'kho-1', lines: [{ productId: nuocMam, quantity: 1 }] }, 'warehouseId'],
    ];
    for (const [body, path, reason] of cases) {
      const res = await manager.post('/api/v1/stock/receipts', body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      const field = res.body.error.details.fields.find((f: { path: string }) => f.path === path);
      expect(field, JSON.stringify(res.body.error.details)).toBeTruthy();
      if (reason) expect(field.reason).toBe(reason);
    }
    // An adjustment needs its reason (blank counts as none) and a non-zero quantity.
    for (const reason of [undefined, '   ']) {
      const res = await manager.post('/api/v1/stock/adjustments', {
        warehouseId: mainId,
        lines: [{ productId: nuocMam, quantity: -1 }],
        ...(reason === undefined ? {} : { reason }),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(
        'reason',
      );
    }
    const zero = await manager.post('/api/v1/stock/adjustments', {
      warehouseId: mainId,
      lines: [{ productId: nuocMam, quantity: 0 }],
      reason: 'Kiểm kê',
    });
    expect(zero.status).toBe(400);
    // The service refuses the same without zod in front (orders call it directly).
    const err = await caught(
      t.ctx.db.tenant(actor, (tx) =>
        stock.adjust(tx, actor, {
          warehouseId: mainId,
          lines: [{ productId: nuocMam, quantity: -2 }],
          reason: ' ',
        }),
      ),
    );
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details?.fields?.map((f) => f.path)).toEqual(['reason']);
    expect((await admin.get('/api/v1/stock/movements?limit=200')).body.items).toHaveLength(
      movementsBefore,
    );
    expect((await admin.patch(`/api/v1/stock/warehouses/${order.id}`, { name: 'X' })).status).toBe(
      404,
    );
  });

  it('adjusts on hand with a reason, never below zero', async () => {
    const res = await manager.post('/api/v1/stock/adjustments', {
      warehouseId: mainId,
      lines: [{ productId: nuocMam, quantity: -2 }],
      reason: 'Vỡ 2 chai khi bốc xếp',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items[0]).toMatchObject({ kind: 'adjust', quantity: -2, onHandAfter: 28 });
    const tooMuch = await manager.post('/api/v1/stock/adjustments', {
      warehouseId: mainId,
      lines: [{ productId: nuocMam, quantity: -29 }],
      reason: 'Kiểm kê',
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.details.fields[0]).toMatchObject({
      path: 'lines.0.quantity',
      reason: 'negative_stock',
    });
    expect((await level(nuocMam)).onHand).toBe(28);
  });

  it('reserve: up to what is available, INSUFFICIENT_STOCK beyond unless backorders are allowed', async () => {
    const reserved = await t.ctx.db.tenant(actor, (tx) =>
      stock.reserve(tx, actor, {
        warehouseId: mainId,
        ref: order,
        lines: [
          { productId: nuocMam, quantity: 20 },
          { productId: gao, quantity: 15 },
        ],
      }),
    );
    expect(reserved.map((m) => [m.kind, m.quantity, m.reservedAfter])).toEqual([
      ['reserve', 20, 20],
      ['reserve', 15, 15],
    ]);
    // Rice allows backorders: 10.25 on hand, 15 reserved, -4.75 available.
    expect(await level(gao)).toMatchObject({ onHand: 10.25, reserved: 15, available: -4.75 });
    expect(await level(nuocMam)).toMatchObject({ onHand: 28, reserved: 20, available: 8 });

    const err = await caught(
      t.ctx.db.tenant(actor, (tx) =>
        stock.reserve(tx, actor, {
          warehouseId: mainId,
          ref: { object: 'orders', id: '01900000-0000-7000-8000-000000000002' },
          lines: [
            { productId: gao, quantity: 100 },
            { productId: nuocMam, quantity: 5 },
            { productId: nuocMam, quantity: 4 },
          ],
        }),
      ),
    );
    expect(err.code).toBe('INSUFFICIENT_STOCK');
    expect(err.details?.lines).toEqual([
      {
        productId: nuocMam,
        name: 'Nước mắm Phú Quốc 500ml',
        sku: 'NM-500',
        requested: 9,
        available: 8,
      },
    ]);
    // Refused as a whole: the rice line was not reserved either.
    expect(await level(gao)).toMatchObject({ reserved: 15 });
  });

  it('release gives back what the order holds; issue delivers from its reservation', async () => {
    const tooMuch = await caught(
      t.ctx.db.tenant(actor, (tx) =>
        stock.release(tx, actor, {
          warehouseId: mainId,
          ref: order,
          lines: [{ productId: nuocMam, quantity: 21 }],
        }),
      ),
    );
    expect(tooMuch.details?.fields?.[0]).toMatchObject({
      path: 'lines.0.quantity',
      reason: 'exceeds_reserved',
    });
    // Partial delivery: 5 bottles leave, on hand and reserved both go down.
    const issued = await t.ctx.db.tenant(actor, (tx) =>
      stock.issue(tx, actor, {
        warehouseId: mainId,
        ref: order,
        lines: [{ productId: nuocMam, quantity: 5 }],
      }),
    );
    expect(issued[0]).toMatchObject({ kind: 'issue', onHandAfter: 23, reservedAfter: 15 });
    // Rice: 15 reserved but 10.25 on hand — a backorder is not delivered before its receipt.
    const short = await caught(
      t.ctx.db.tenant(actor, (tx) =>
        stock.issue(tx, actor, {
          warehouseId: mainId,
          ref: order,
          lines: [{ productId: gao, quantity: 15 }],
        }),
      ),
    );
    expect(short.code).toBe('INSUFFICIENT_STOCK');
    expect(short.details?.lines).toMatchObject([{ productId: gao, available: 10.25 }]);
    // Another order cannot issue what this one reserved.
    const notHeld = await caught(
      t.ctx.db.tenant(actor, (tx) =>
        stock.issue(tx, actor, {
          warehouseId: mainId,
          ref: { object: 'orders', id: '01900000-0000-7000-8000-000000000003' },
          lines: [{ productId: nuocMam, quantity: 1 }],
        }),
      ),
    );
    expect(notHeld.details?.fields?.[0]?.reason).toBe('exceeds_reserved');
    // Cancel: everything still reserved goes back (15 bottles, 15 kg).
    const released = await t.ctx.db.tenant(actor, (tx) =>
      stock.release(tx, actor, { warehouseId: mainId, ref: order }),
    );
    expect(released.map((m) => [m.productId, m.quantity]).sort()).toEqual(
      [
        [nuocMam, 15],
        [gao, 15],
      ].sort(),
    );
    expect(await level(nuocMam)).toMatchObject({ onHand: 23, reserved: 0, available: 23 });
    expect(await level(gao)).toMatchObject({ onHand: 10.25, reserved: 0 });
    // Nothing left to release: nothing written.
    expect(
      await t.ctx.db.tenant(actor, (tx) =>
        stock.release(tx, actor, { warehouseId: mainId, ref: order }),
      ),
    ).toEqual([]);
  });

  it('a rolled-back order leaves stock as it was', async () => {
    await expect(
      t.ctx.db.tenant(actor, async (tx) => {
        await stock.reserve(tx, actor, {
          warehouseId: mainId,
          ref: order,
          lines: [{ productId: nuocMam, quantity: 3 }],
        });
        throw new Error('the order failed after reserving');
      }),
    ).rejects.toThrow('the order failed');
    expect(await level(nuocMam)).toMatchObject({ onHand: 23, reserved: 0 });
  });

  it('lists movements in words: kinds, products, warehouses, users; each one audited', async () => {
    const res = await sales.get(`/api/v1/stock/movements?productId=${nuocMam}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { kind: string }) => m.kind)).toEqual([
      'release',
      'issue',
      'reserve',
      'adjust',
      'receipt',
    ]);
    const adjust = res.body.items[3];
    expect(adjust).toMatchObject({
      reason: 'Vỡ 2 chai khi bốc xếp',
      product: { name: 'Nước mắm Phú Quốc 500ml', unit: 'chai' },
      user: { name: 'Lê Văn Kho' },
      ref: null,
    });
    expect(res.body.items[0].ref).toEqual(order);
    const page = await sales.get('/api/v1/stock/movements?limit=2');
    expect(page.body.items).toHaveLength(2);
    const next = await sales.get(`/api/v1/stock/movements?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].id < page.body.items[1].id).toBe(true);
    const byRef = await sales.get(`/api/v1/stock/movements?refObject=orders&refId=${order.id}`);
    expect(byRef.body.items).toHaveLength(5);

    const all = (await admin.get('/api/v1/stock/movements?limit=200')).body.items;
    const audited = await t.ctx.db.system((tx) =>
      queryRows<{ objectId: string; action: string }>(
        tx,
        sql`SELECT object_id AS "objectId", action FROM audit_log
             WHERE object_type = 'stock_movement'`,
      ),
    );
    expect(new Map(audited.map((a) => [a.objectId, a.action]))).toEqual(
      new Map(all.map((m: { id: string; kind: string }) => [m.id, `stock_${m.kind}`])),
    );
  });

  it('movements are append-only for the app; levels cannot go negative in the database', async () => {
    await expect(
      t.ctx.db.tenant(actor, (tx) => tx.execute(sql`UPDATE stock_movements SET quantity = 1`)),
    ).rejects.toThrow();
    await expect(
      t.ctx.db.tenant(actor, (tx) => tx.execute(sql`DELETE FROM stock_movements`)),
    ).rejects.toThrow();
    await expect(
      t.ctx.db.tenant(actor, (tx) => tx.execute(sql`UPDATE stock_levels SET reserved = -1`)),
    ).rejects.toThrow();
  });

  it('warehouses: create, name taken, archive (no receipts), delete only without history', async () => {
    const hp = await manager.post('/api/v1/stock/warehouses', {
      name: 'Kho Hải Phòng',
      address: 'KCN Đình Vũ',
    });
    expect(hp.status, JSON.stringify(hp.body)).toBe(201);
    const dup = await manager.post('/api/v1/stock/warehouses', { name: 'kho hải phòng' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.fields[0]).toMatchObject({ path: 'name', reason: 'duplicate' });
    const empty = await manager.post('/api/v1/stock/warehouses', { name: 'Kho tạm' });
    expect((await manager.delete(`/api/v1/stock/warehouses/${empty.body.id}`)).status).toBe(204);

    await manager.post('/api/v1/stock/receipts', {
      warehouseId: hp.body.id,
      lines: [{ productId: nuocMam, quantity: 4 }],
    });
    const del = await manager.delete(`/api/v1/stock/warehouses/${hp.body.id}`);
    expect(del.status).toBe(409);
    const archived = await manager.patch(`/api/v1/stock/warehouses/${hp.body.id}`, {
      archived: true,
    });
    expect(archived.body).toMatchObject({ archived: true, productCount: 1, hasMovements: true });
    const refused = await manager.post('/api/v1/stock/receipts', {
      warehouseId: hp.body.id,
      lines: [{ productId: nuocMam, quantity: 1 }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields[0]).toMatchObject({
      path: 'warehouseId',
      reason: 'archived',
    });
    // Its stock still reads, asked by name; the default list leaves it out.
    expect((await level(nuocMam, hp.body.id)).onHand).toBe(4);
    const live = await sales.get('/api/v1/stock/warehouses');
    expect(live.body.items.map((w: { name: string }) => w.name)).toEqual(['Kho chính']);
    const withArchived = await sales.get('/api/v1/stock/warehouses?includeArchived=true');
    expect(withArchived.body.items).toHaveLength(2);

    // The default is neither archived nor deleted; another one can take its place.
    expect(
      (await manager.patch(`/api/v1/stock/warehouses/${mainId}`, { archived: true })).status,
    ).toBe(400);
    expect((await manager.delete(`/api/v1/stock/warehouses/${mainId}`)).status).toBe(409);
    await manager.patch(`/api/v1/stock/warehouses/${hp.body.id}`, { archived: false });
    const moved = await manager.patch(`/api/v1/stock/warehouses/${hp.body.id}`, {
      isDefault: true,
    });
    expect(moved.body.isDefault).toBe(true);
    const after = await sales.get('/api/v1/stock/warehouses');
    expect(after.body.items.map((w: { name: string; isDefault: boolean }) => w.isDefault)).toEqual([
      true,
      false,
    ]);
    expect(await t.ctx.db.tenant(actor, (tx) => stock.defaultWarehouseId(tx))).toBe(hp.body.id);
  });
});
