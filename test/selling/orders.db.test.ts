import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client, setupAdmin } from '../support/client.js';
import { createTestApp, type TestApp } from '../support/harness.js';

/**
 * Orders and contracts (#20): from an accepted quote, confirmed (stock reserved), delivered in
 * parts (stock issued), cancelled (reservation released), numbered DH-YYYY-0001.
 */
describe('orders', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Client;
  let manager: Client;
  let companyId: string;
  let warehouseId: string;
  let soap: { id: string };
  let rice: { id: string };

  const level = async (productId: string) => {
    const res = await manager.get(`/api/v1/stock/levels?warehouseId=${warehouseId}&limit=100`);
    const row = res.body.items.find((l: { product: { id: string } }) => l.product.id === productId);
    return { onHand: Number(row?.onHand ?? 0), reserved: Number(row?.reserved ?? 0) };
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await setupAdmin(t.app)).admin;
    sales = (await addMember(t.app, admin, 'sales')).client;
    manager = (await addMember(t.app, admin, 'manager')).client;
    companyId = (await sales.post('/api/v1/companies', { name: 'Đại lý Minh Phát' })).body.id;
    soap = (
      await manager.post('/api/v1/products', { sku: 'XP', name: 'Xà phòng', unitPrice: 20_000 })
    ).body;
    rice = (
      await manager.post('/api/v1/products', {
        sku: 'GAO',
        name: 'Gạo ST25',
        unitPrice: 150_000,
        vatRate: '5',
      })
    ).body;
    const warehouses = await manager.get('/api/v1/stock/warehouses');
    warehouseId = warehouses.body.items[0].id;
    const receipt = await manager.post('/api/v1/stock/receipts', {
      warehouseId,
      lines: [
        { productId: soap.id, quantity: 100 },
        { productId: rice.id, quantity: 10 },
      ],
    });
    expect(receipt.status).toBeLessThan(300);
  });
  afterAll(() => t?.close());

  it('makes an order from an accepted quote, reserves, delivers in parts and completes', async () => {
    const quote = (await sales.post('/api/v1/quotes', { companyId })).body;
    await sales.put(`/api/v1/quotes/${quote.id}/line-items`, {
      items: [
        { productId: soap.id, quantity: 40 },
        { productId: rice.id, quantity: 6 },
      ],
    });
    // Not accepted yet: no order.
    expect((await sales.post(`/api/v1/quotes/${quote.id}/order`)).status).toBe(409);
    await sales.post(`/api/v1/quotes/${quote.id}/send`);
    await sales.post(`/api/v1/quotes/${quote.id}/accept`);
    const made = await sales.post(`/api/v1/quotes/${quote.id}/order`);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      status: 'draft',
      quote: { id: quote.id, name: quote.number },
      company: { id: companyId },
      total: 40 * 20_000 * 1.1 + 6 * 150_000 * 1.05,
    });
    expect(made.body.number).toMatch(/^DH-\d{4}-0001$/);
    // One live order per quote.
    expect((await sales.post(`/api/v1/quotes/${quote.id}/order`)).status).toBe(409);
    const id = made.body.id;
    const confirmed = await sales.post(`/api/v1/orders/${id}/confirm`);
    expect(confirmed.body.status).toBe('confirmed');
    expect(await level(soap.id)).toEqual({ onHand: 100, reserved: 40 });
    // Confirmed: lines and customer fixed.
    expect((await sales.put(`/api/v1/orders/${id}/line-items`, { items: [] })).status).toBe(409);
    const lines = (await sales.get(`/api/v1/orders/${id}/deliveries`)).body.lines;
    const soapLine = lines.find((l: { name: string }) => l.name === 'Xà phòng');
    const over = await sales.post(`/api/v1/orders/${id}/deliveries`, {
      lines: [{ lineId: soapLine.lineId, quantity: 41 }],
    });
    expect(over.status).toBe(400);
    expect(over.body.error.details.fields[0].path).toBe('lines.0.quantity');
    const part = await sales.post(`/api/v1/orders/${id}/deliveries`, {
      lines: [{ lineId: soapLine.lineId, quantity: 15 }],
    });
    expect(part.body).toMatchObject({ status: 'confirmed', deliveryStatus: 'partly_delivered' });
    expect(await level(soap.id)).toEqual({ onHand: 85, reserved: 25 });
    const rest = await sales.post(`/api/v1/orders/${id}/deliveries`, {});
    expect(rest.body).toMatchObject({ status: 'completed', deliveryStatus: 'delivered' });
    expect(await level(soap.id)).toEqual({ onHand: 60, reserved: 0 });
    expect(await level(rice.id)).toEqual({ onHand: 4, reserved: 0 });
    const progress = (await sales.get(`/api/v1/orders/${id}/deliveries`)).body;
    expect(progress.deliveries).toHaveLength(2);
    expect(progress.lines.every((l: { remaining: number }) => l.remaining === 0)).toBe(true);
  });

  it('refuses to reserve more than is available, and cancelling releases the reservation', async () => {
    const order = (await sales.post('/api/v1/orders', { companyId })).body;
    await sales.put(`/api/v1/orders/${order.id}/line-items`, {
      items: [{ productId: rice.id, quantity: 5 }],
    });
    const short = await sales.post(`/api/v1/orders/${order.id}/confirm`);
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('INSUFFICIENT_STOCK');
    expect((await sales.get(`/api/v1/orders/${order.id}`)).body.status).toBe('draft');
    await sales.put(`/api/v1/orders/${order.id}/line-items`, {
      items: [{ productId: rice.id, quantity: 3 }],
    });
    expect((await sales.post(`/api/v1/orders/${order.id}/confirm`)).status).toBe(200);
    expect(await level(rice.id)).toEqual({ onHand: 4, reserved: 3 });
    expect((await sales.post(`/api/v1/orders/${order.id}/cancel`, { reason: '' })).status).toBe(
      400,
    );
    const cancelled = await sales.post(`/api/v1/orders/${order.id}/cancel`, {
      reason: 'Khách đổi ý',
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Khách đổi ý' });
    expect(await level(rice.id)).toEqual({ onHand: 4, reserved: 0 });
    expect((await sales.post(`/api/v1/orders/${order.id}/deliveries`, {})).status).toBe(409);
  });
});
