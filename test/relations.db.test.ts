import { sql } from 'drizzle-orm';
import { integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryRows } from '../src/db/sql.js';
import { registerModules } from '../src/modules/index.js';
import { defineRelation } from '../src/modules/relations/define.js';
import { registerRelation, relationsOf } from '../src/modules/relations/registry.js';
import { addMember, type Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

/**
 * The relations module is generic: a relation declared here, between two objects that have no
 * link today (a product's suppliers: products ↔ companies), through a link table made in this
 * file's database with RLS like the real ones, gets the same routes, rules and audit as the
 * contact ↔ company link, with its own names, attributes and no primary flag.
 */
const productSuppliers = pgTable(
  'test_product_suppliers',
  {
    workspaceId: uuid('workspace_id').notNull(),
    productId: uuid('product_id').notNull(),
    supplierId: uuid('supplier_id').notNull(),
    supplierCode: text('supplier_code'),
    leadDays: integer('lead_days'),
  },
  (t) => [primaryKey({ columns: [t.productId, t.supplierId] })],
);

const relation = defineRelation({
  key: 'test_product_suppliers',
  table: productSuppliers,
  workspaceColumn: productSuppliers.workspaceId,
  from: { object: 'products', column: productSuppliers.productId, segment: 'suppliers' },
  to: {
    object: 'companies',
    column: productSuppliers.supplierId,
    segment: 'suppliedProducts',
    idField: 'supplierId',
    notFound: { vi: 'Không tìm thấy nhà cung cấp.', en: 'The supplier does not exist.' },
  },
  attributes: {
    supplierCode: {
      column: productSuppliers.supplierCode,
      input: z.string().max(40).nullable(),
      output: z.string().nullable(),
      normalize: (v: string | null) => v?.trim().toUpperCase() || null,
    },
    leadDays: {
      column: productSuppliers.leadDays,
      input: z.number().int().min(0).max(365),
      output: z.number().int().nullable(),
      initial: 7,
    },
  },
});

const DDL = [
  `CREATE TABLE test_product_suppliers (
     workspace_id uuid NOT NULL,
     product_id uuid NOT NULL,
     supplier_id uuid NOT NULL,
     supplier_code text,
     lead_days integer,
     CONSTRAINT test_product_suppliers_pk PRIMARY KEY (product_id, supplier_id),
     CONSTRAINT test_product_suppliers_product_fk FOREIGN KEY (workspace_id, product_id)
       REFERENCES products (workspace_id, id) ON DELETE CASCADE,
     CONSTRAINT test_product_suppliers_supplier_fk FOREIGN KEY (workspace_id, supplier_id)
       REFERENCES companies (workspace_id, id) ON DELETE CASCADE)`,
  'ALTER TABLE test_product_suppliers ENABLE ROW LEVEL SECURITY',
  'ALTER TABLE test_product_suppliers FORCE ROW LEVEL SECURITY',
  `CREATE POLICY tenant_isolation ON test_product_suppliers FOR ALL TO sen_app
     USING (workspace_id = sen_workspace_id()) WITH CHECK (workspace_id = sen_workspace_id())`,
  `CREATE POLICY system_access ON test_product_suppliers FOR ALL TO sen_system
     USING (true) WITH CHECK (true)`,
  'GRANT SELECT, INSERT, UPDATE, DELETE ON test_product_suppliers TO sen_app, sen_system',
];

describe('a relation declared outside contacts (products ↔ companies)', () => {
  let t: TestApp;
  let admin: Client;
  let sales: Awaited<ReturnType<typeof addMember>>;
  let product: string;
  let other: string;
  let adminCo: string;
  let salesCo: string;

  const create = async (client: Client, object: string, body: Record<string, unknown>) => {
    const res = await client.post(`/api/v1/${object}`, body);
    if (res.status !== 201) throw new Error(`create ${object}: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const audit = (id: string) =>
    t.ctx.db.system((tx) =>
      queryRows<{ action: string; object_type: string; changes: Record<string, unknown> }>(
        tx,
        sql`SELECT action, object_type, changes FROM audit_log WHERE object_id = ${id} ORDER BY id`,
      ),
    );

  beforeAll(async () => {
    registerModules();
    registerRelation(relation);
    t = await createTestApp();
    for (const statement of DDL) await t.database.db.executeSql(statement);
    admin = (await setupAdmin(t.app)).admin;
    sales = await addMember(t.app, admin, 'sales', 'Phan Thị Thu');
    product = await create(admin, 'products', { sku: 'NM-500', name: 'Nước mắm 500ml' });
    other = await create(admin, 'products', { sku: 'GAO-25', name: 'Gạo ST25 5kg' });
    adminCo = await create(admin, 'companies', { name: 'Thủy sản Phú Quốc' });
    salesCo = await create(sales.client, 'companies', { name: 'Cơ sở Mắm Cát Hải' });
  });
  afterAll(() => t?.close());

  it('is listed by relationsOf beside contact ↔ company, with its table and columns', () => {
    const ends = relationsOf('companies').map((e) => [e.relation.key, e.side, e.otherObject]);
    expect(ends).toEqual(
      expect.arrayContaining([
        ['contact_companies', 'to', 'contacts'],
        ['test_product_suppliers', 'to', 'products'],
      ]),
    );
    expect(ends.filter(([key]) => key === 'test_product_suppliers')).toHaveLength(1);
    const productEnd = relationsOf('products').find(
      (e) => e.relation.key === 'test_product_suppliers',
    );
    expect(productEnd).toMatchObject({
      side: 'from',
      table: productSuppliers,
      workspaceColumn: productSuppliers.workspaceId,
      column: productSuppliers.productId,
      otherColumn: productSuppliers.supplierId,
      otherObject: 'companies',
      primaryColumn: null,
    });
    const contactEnd = relationsOf('contacts').find((e) => e.relation.key === 'contact_companies');
    expect(contactEnd).toMatchObject({ side: 'from', otherObject: 'companies' });
  });

  it('links with normalised attributes, keeps unsent ones, lists by name, audits the product', async () => {
    const before = (await admin.get(`/api/v1/products/${product}`)).body.updatedAt as string;
    const first = await admin.post(`/api/v1/products/${product}/suppliers`, {
      supplierId: adminCo,
      supplierCode: '  pq-01 ',
    });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        supplierId: adminCo,
        name: 'Thủy sản Phú Quốc',
        supplierCode: 'PQ-01',
        leadDays: 7,
      },
    ]);
    const second = await admin.post(`/api/v1/products/${product}/suppliers`, {
      supplierId: salesCo,
      leadDays: 3,
    });
    // No primary flag: by name (the supplier linked second comes first).
    expect(second.body.items).toEqual([
      { supplierId: salesCo, name: 'Cơ sở Mắm Cát Hải', supplierCode: null, leadDays: 3 },
      {
        supplierId: adminCo,
        name: 'Thủy sản Phú Quốc',
        supplierCode: 'PQ-01',
        leadDays: 7,
      },
    ]);
    // Changing one attribute keeps the other.
    const changed = await admin.post(`/api/v1/products/${product}/suppliers`, {
      supplierId: adminCo,
      leadDays: 10,
    });
    expect(changed.body.items[1]).toMatchObject({ supplierCode: 'PQ-01', leadDays: 10 });
    expect((await admin.get(`/api/v1/products/${product}/suppliers`)).body).toEqual(changed.body);

    const after = (await admin.get(`/api/v1/products/${product}`)).body.updatedAt as string;
    expect(after > before).toBe(true);
    const entries = await audit(product);
    expect(entries.map((e) => [e.action, e.object_type])).toEqual([
      ['create', 'products'],
      ['update', 'products'],
      ['update', 'products'],
      ['update', 'products'],
    ]);
    expect(entries[3]!.changes).toEqual({
      suppliers: {
        from: [
          { supplierId: adminCo, supplierCode: 'PQ-01', leadDays: 7 },
          { supplierId: salesCo, supplierCode: null, leadDays: 3 },
        ].sort((a, b) => (a.supplierId < b.supplierId ? -1 : 1)),
        to: [
          { supplierId: adminCo, supplierCode: 'PQ-01', leadDays: 10 },
          { supplierId: salesCo, supplierCode: null, leadDays: 3 },
        ].sort((a, b) => (a.supplierId < b.supplierId ? -1 : 1)),
      },
    });
  });

  it('checks the body and the supplier with the declared names and message', async () => {
    const unknown = await admin.post(`/api/v1/products/${product}/suppliers`, {
      supplierId: '01900000-0000-7000-8000-000000000000',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0]).toMatchObject({
      path: 'supplierId',
      reason: 'not_found',
      text: { vi: 'Không tìm thấy nhà cung cấp.', en: 'The supplier does not exist.' },
    });
    const wrong = await admin.post(`/api/v1/products/${product}/suppliers`, {
      supplierId: adminCo,
      leadDays: 400,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.fields[0].path).toBe('leadDays');
    const extra = await admin.post(`/api/v1/products/${product}/suppliers`, {
      supplierId: adminCo,
      isPrimary: true,
    });
    expect(extra.status).toBe(400);
    // A company is not a product: the from side must be a product.
    expect((await admin.get(`/api/v1/products/${adminCo}/suppliers`)).status).toBe(404);
  });

  it("serves the supplier's related panel, paged like lists, with the link's attributes", async () => {
    await admin.post(`/api/v1/products/${other}/suppliers`, { supplierId: adminCo });
    const page1 = await admin.get(
      `/api/v1/companies/${adminCo}/suppliedProducts?sort=name&limit=1`,
    );
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({
      id: other,
      sku: 'GAO-25',
      supplierCode: null,
      leadDays: 7,
    });
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await admin.get(
      `/api/v1/companies/${adminCo}/suppliedProducts?sort=name&limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items.map((p: { id: string }) => p.id)).toEqual([product]);
    expect(page2.body.items[0]).toMatchObject({ supplierCode: 'PQ-01', leadDays: 10 });
    expect(page2.body.nextCursor).toBeNull();
    const filter = JSON.stringify({ and: [{ field: 'sku', op: 'is', value: 'NM-500' }] });
    const filtered = await admin.get(
      `/api/v1/companies/${adminCo}/suppliedProducts?filter=${encodeURIComponent(filter)}`,
    );
    expect(filtered.body.items.map((p: { id: string }) => p.id)).toEqual([product]);
  });

  it('applies the permissions and the visibility scope of both objects', async () => {
    // Sales read products but may not update them, and see only their own companies.
    const theirs = await sales.client.get(`/api/v1/products/${product}/suppliers`);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.map((l: { supplierId: string }) => l.supplierId)).toEqual([salesCo]);
    expect(
      (await sales.client.post(`/api/v1/products/${product}/suppliers`, { supplierId: salesCo }))
        .status,
    ).toBe(403);
    expect(
      (await sales.client.delete(`/api/v1/products/${product}/suppliers/${salesCo}`)).status,
    ).toBe(403);
    expect((await sales.client.get(`/api/v1/companies/${salesCo}/suppliedProducts`)).status).toBe(
      200,
    );
    expect((await sales.client.get(`/api/v1/companies/${adminCo}/suppliedProducts`)).status).toBe(
      403,
    );
  });

  it('unlinks (404 the second time) and hides trashed suppliers', async () => {
    await admin.delete(`/api/v1/companies/${salesCo}`);
    const hidden = await admin.get(`/api/v1/products/${product}/suppliers`);
    expect(hidden.body.items.map((l: { supplierId: string }) => l.supplierId)).toEqual([adminCo]);
    const gone = await admin.delete(`/api/v1/products/${product}/suppliers/${adminCo}`);
    expect(gone.status).toBe(204);
    expect((await admin.delete(`/api/v1/products/${product}/suppliers/${adminCo}`)).status).toBe(
      404,
    );
    expect((await admin.get(`/api/v1/products/${product}/suppliers`)).body.items).toEqual([]);
    const last = (await audit(product)).at(-1)!;
    expect(last.changes).toEqual({
      suppliers: {
        from: expect.arrayContaining([expect.objectContaining({ supplierId: adminCo })]),
        to: [{ supplierId: salesCo, supplierCode: null, leadDays: 3 }],
      },
    });
  });

  it('is in the OpenAPI document with its own names', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/products/{id}/suppliers',
        '/api/v1/products/{id}/suppliers/{supplierId}',
        '/api/v1/companies/{id}/suppliedProducts',
      ]),
    );
  });
});
