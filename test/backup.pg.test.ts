import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Config } from '../src/config/env.js';
import { AppError } from '../src/core/errors.js';
import { JobRunner } from '../src/core/jobs.js';
import { PgliteDatabase, PostgresDatabase, openPglite, type Database } from '../src/db/database.js';
import { queryRows } from '../src/db/sql.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/lib/logger.js';
import { ZipReader, ZipWriter } from '../src/modules/backup/archive.js';
import { createBackup, type BackupSummary } from '../src/modules/backup/backup.js';
import {
  backupsDir,
  runScheduledBackup,
  scheduledBackupJob,
  scheduledName,
} from '../src/modules/backup/backup.jobs.js';
import { NOT_BACKED_UP } from '../src/modules/backup/catalog.js';
import { MANIFEST_ENTRY, type Manifest } from '../src/modules/backup/manifest.js';
import { restoreBackup } from '../src/modules/backup/restore.js';
import {
  currentLevel,
  databaseLevel,
  journal,
  migrateTo,
} from '../src/modules/backup/schema-level.js';
import { runBulk } from '../src/modules/bulk/bulk.run.js';
import { runImport } from '../src/modules/imports/run.js';
import { recordScoreEvent } from '../src/modules/scoring/scoring.events.js';
import { takeSnapshot } from '../src/modules/sales-reports/sales-reports.service.js';
import { ownerActor } from '../src/modules/workspaces/workspaces.service.js';
import { buildCli } from '../src/cli/main.js';
import { registerModules } from '../src/modules/index.js';
import { adminQuery, databaseUrl, pgTemplate } from './support/backends.js';
import {
  Client,
  PASSWORD,
  addApiKey,
  addMember,
  setupAdmin,
  uniqueEmail,
} from './support/client.js';
import { testConfig } from './support/harness.js';

/**
 * Backup and restore (#18) across backends: data made through the real HTTP stack on PGlite is
 * backed up, restored into a new PostgreSQL database and compared row by row (every column of
 * every table) and file by file (every byte); the same from PostgreSQL to PGlite; one workspace
 * alone; and the refusals (a non-empty instance, a damaged or truncated file, a newer schema),
 * each leaving the instance as it was. PostgreSQL only: it needs both backends at once.
 */

const FILE_AREAS = ['attachments', 'imports'];
/** Every byte value, twice, and some text: what an attachment's round trip must keep. */
const ATTACHMENT = Buffer.concat([
  Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256)),
  Buffer.from('%PDF-1.4 báo giá tháng 12\n', 'utf8'),
]);
const CSV = [
  'Họ và tên,SĐT,Email',
  'Nguyễn Thị Lan,0912 000 111,lan@example.vn',
  'Sai Số,12345,sai@example.vn',
].join('\r\n');

interface Instance {
  db: Database;
  config: Config;
  dataDir: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sen-backup-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

async function instanceOn(
  db: Database,
  extra: () => Promise<void>,
  dataDir: string = tempDir(db.kind),
): Promise<Instance> {
  registerModules();
  const config = testConfig({ SEN_DATA_DIR: dataDir });
  const app = await buildApp({ config, db, logger: createLogger('silent'), jobs: null });
  await app.ready();
  return {
    db,
    config,
    dataDir,
    app,
    close: async () => {
      await app.close();
      await db.close();
      await extra();
    },
  };
}

/** An in-memory PGlite instance, migrated or not (a new install before its first start). */
async function pgliteInstance(migrated: boolean): Promise<Instance> {
  const db = new PgliteDatabase(await openPglite({}));
  if (migrated) await db.migrate();
  return instanceOn(db, async () => {});
}

/** A new PostgreSQL database: a clone of the migrated template, or empty (never migrated). */
async function postgresInstance(migrated: boolean): Promise<Instance> {
  const name = `sen_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await adminQuery(
    migrated
      ? `CREATE DATABASE ${name} TEMPLATE ${pgTemplate(inject('testRunId'))}`
      : `CREATE DATABASE ${name}`,
  );
  const db = PostgresDatabase.open(databaseUrl(name), 4);
  return instanceOn(db, () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function upload(
  app: FastifyInstance,
  client: Client,
  url: string,
  fileName: string,
  content: Buffer,
) {
  const boundary = `----senTest${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: `sen_session=${client.cookie}`,
      'x-csrf-token': client.csrf ?? '',
      'accept-language': 'en',
    },
  });
  if (res.statusCode !== 201) throw new Error(`upload ${url}: ${res.body}`);
  return res.json() as { id: string };
}

async function ok<T = any>(reply: Promise<{ status: number; body: T }>): Promise<T> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

interface Populated {
  adminEmail: string;
  admin: Client;
  workspaceId: string;
  otherWorkspaceId: string;
  /** A user who is a member of the other workspace only. */
  outsiderEmail: string;
  contactId: string;
  attachmentId: string;
}

/**
 * Data in every table a CRM instance fills: two workspaces, members, a team, a custom role, a
 * pending invitation, an API key, an edited option list, custom fields (one unique), companies
 * (a child created before its parent), contacts (one in the trash) with a company link, a
 * product, a note, attachments, shared and private views, a last-used view, imports (one
 * analysed with its file kept, one run with its rows), duplicate pairs (one dismissed) with the
 * threshold and a merge, a bulk operation run with its records, a scored lead with its scoring
 * rules, settings and score event, assignment rules with a fallback owner and the notification of
 * the lead they assigned, deals (a stage move, a contact with a role, a won one) with a sales
 * target and a forecast snapshot, a lead capture form with a submission, and the audit log all of
 * that wrote.
 */
async function populate(inst: Instance): Promise<Populated> {
  const { app } = inst;
  const { admin, email: adminEmail, session } = await setupAdmin(app, 'Công ty TNHH Hoa Sen');
  const workspaceId = session.workspace.id as string;
  const sales = await addMember(app, admin, 'sales', 'Phạm Văn Bán');
  const manager = await addMember(app, admin, 'manager', 'Lê Thị Quản');
  await ok(
    admin.post('/api/v1/teams', { name: 'Miền Bắc', memberIds: [sales.userId, manager.userId] }),
  );
  const role = await ok(admin.post('/api/v1/roles', { name: 'Kế toán', permissions: {} }));
  await ok(admin.post('/api/v1/invitations', { email: uniqueEmail('pending'), roleId: role.id }));
  await addApiKey(admin, 'Đồng bộ kế toán', ['contacts:read']);
  const stages = await ok(admin.get('/api/v1/field-options/contacts/lifecycleStage'));
  await ok(
    admin.request('PUT', '/api/v1/field-options/contacts/lifecycleStage', {
      options: stages.options.map(
        (o: { key: string; label: unknown; color: string; archived: boolean }, i: number) => ({
          key: o.key,
          label: i === 0 ? { vi: 'Khách tiềm năng mới', en: 'New prospect' } : o.label,
          color: o.color,
          archived: o.archived,
        }),
      ),
    }),
  );
  const tier = await ok(
    admin.post('/api/v1/custom-fields', { object: 'contacts', label: 'Hạng', type: 'text' }),
  );
  const code = await ok(
    admin.post('/api/v1/custom-fields', {
      object: 'contacts',
      label: 'Mã khách',
      type: 'text',
      unique: true,
    }),
  );
  const child = await ok(admin.post('/api/v1/companies', { name: 'Chi nhánh Hải Phòng' }));
  const parent = await ok(
    admin.post('/api/v1/companies', { name: 'Tổng công ty Hoa Sen', taxCode: '0100109106' }),
  );
  await ok(admin.patch(`/api/v1/companies/${child.id}`, { parentId: parent.id }));
  const contact = await ok(
    admin.post('/api/v1/contacts', {
      fullName: 'Nguyễn Thị Hồng Nhung',
      phones: [{ value: '0912 345 678' }],
      emails: [{ value: 'nhung@example.vn' }],
      birthday: '1990-05-17',
      custom: { [tier.key]: 'Vàng', [code.key]: 'KH-001' },
    }),
  );
  await ok(sales.client.post('/api/v1/contacts', { fullName: 'Trần Văn Đức' }));
  const trashed = await ok(admin.post('/api/v1/contacts', { fullName: 'Khách Đã Xoá' }));
  await ok(admin.delete(`/api/v1/contacts/${trashed.id}`));
  await ok(
    admin.post(`/api/v1/contacts/${contact.id}/companies`, {
      companyId: parent.id,
      jobTitle: 'Trưởng phòng mua hàng',
    }),
  );
  const product = await ok(
    admin.post('/api/v1/products', {
      sku: 'TRA-01',
      name: 'Trà sen',
      unit: 'hộp',
      unitPrice: 250_000,
    }),
  );
  // A price list with a price, named by a company (its foreign key to the list).
  const priceList = await ok(admin.post('/api/v1/price-lists', { name: 'Đại lý cấp 1' }));
  await ok(
    admin.request('PUT', `/api/v1/price-lists/${priceList.id}/items`, {
      items: [{ productId: product.id, unitPrice: 230_000 }],
    }),
  );
  await ok(admin.patch(`/api/v1/companies/${child.id}`, { priceListId: priceList.id }));
  // The business profile with its logo (a bytea column), a number format and a used counter.
  await ok(
    admin.request('PUT', '/api/v1/settings/company-profile', {
      legalName: 'Công ty TNHH Sen Việt',
      taxCode: '0100109106',
    }),
  );
  const logoBoundary = 'senLogo';
  const logo = await app.inject({
    method: 'PUT',
    url: '/api/v1/settings/company-profile/logo',
    payload: Buffer.concat([
      Buffer.from(
        `--${logoBoundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\n\r\n`,
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x5c, 0x27, 0x00]),
      Buffer.from(`\r\n--${logoBoundary}--\r\n`),
    ]),
    headers: {
      'content-type': `multipart/form-data; boundary=${logoBoundary}`,
      cookie: `sen_session=${admin.cookie}`,
      'x-csrf-token': admin.csrf ?? '',
    },
  });
  if (logo.statusCode !== 200) throw new Error(`logo: ${logo.body}`);
  await ok(
    admin.patch('/api/v1/settings/numbering/quotes', { format: 'BG-{YY}-{0000}', nextValue: 7 }),
  );
  // Selling documents (#20): stock received, a revised quote, an order delivered and invoiced,
  // a payment allocated to the invoice, customer tiers and the e-invoice provider's settings.
  const warehouse = (await ok(admin.get('/api/v1/stock/warehouses'))).items[0];
  await ok(
    admin.post('/api/v1/stock/receipts', {
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: 12.5 }],
    }),
  );
  const quote = await ok(admin.post('/api/v1/quotes', { companyId: child.id, subject: 'Báo giá' }));
  await ok(
    admin.request('PUT', `/api/v1/quotes/${quote.id}/line-items`, {
      items: [{ productId: product.id, quantity: 2, discount: { kind: 'percent', value: 5 } }],
    }),
  );
  await ok(admin.post(`/api/v1/quotes/${quote.id}/send`));
  await ok(admin.post(`/api/v1/quotes/${quote.id}/revise`));
  await ok(admin.post(`/api/v1/quotes/${quote.id}/send`));
  await ok(admin.post(`/api/v1/quotes/${quote.id}/accept`));
  const order = await ok(admin.post(`/api/v1/quotes/${quote.id}/order`));
  await ok(admin.post(`/api/v1/orders/${order.id}/confirm`));
  await ok(admin.post(`/api/v1/orders/${order.id}/deliveries`, {}));
  const invoice = await ok(admin.post(`/api/v1/orders/${order.id}/invoice`));
  await ok(admin.post(`/api/v1/invoices/${invoice.id}/issue`));
  await ok(
    admin.post('/api/v1/payments', {
      companyId: child.id,
      method: 'bank_transfer',
      amount: 100_000,
      allocations: [{ invoiceId: invoice.id, amount: 50_000 }],
    }),
  );
  await ok(
    admin.request('PUT', '/api/v1/settings/customer-tiers', {
      items: [{ name: 'Vàng', minTotalSpent: 20_000 }],
    }),
  );
  await ok(
    admin.request('PUT', '/api/v1/einvoice/settings', {
      provider: 'viettel',
      baseUrl: 'https://sinvoice.example.vn',
      username: 'sen',
      password: 'mật khẩu',
      supplierTaxCode: '0100109106',
      templateCode: '1/001',
      series: 'K26TSE',
    }),
  );
  // Activities (#21): a meeting with an attendee, linked to the contact and its company, and
  // the admin's calendar feed (its token's hash).
  await ok(
    admin.post('/api/v1/activities', {
      kind: 'meeting',
      title: 'Họp giới thiệu trà sen; quý 1',
      dueAt: '2027-01-05T09:00:00+07:00',
      endAt: '2027-01-05T10:30:00+07:00',
      attendeeIds: [sales.userId],
      description: 'Dòng 1\nDòng 2',
      links: [
        { object: 'contacts', id: contact.id },
        { object: 'companies', id: parent.id },
      ],
    }),
  );
  await ok(admin.post('/api/v1/calendar-feed', {}));
  await ok(
    admin.post(`/api/v1/contacts/${contact.id}/notes`, {
      bodyHtml: '<p>Hẹn gặp <strong>thứ Hai</strong> 🌸</p>',
      pinned: true,
    }),
  );
  const attachment = await upload(
    app,
    admin,
    `/api/v1/contacts/${contact.id}/attachments`,
    'báo giá.pdf',
    ATTACHMENT,
  );
  const view = await ok(
    admin.post('/api/v1/views', {
      object: 'contacts',
      name: 'Khách Hà Nội',
      shared: true,
      definition: { kind: 'table' },
    }),
  );
  await ok(
    sales.client.post('/api/v1/views', {
      object: 'contacts',
      name: 'Của tôi',
      definition: { kind: 'table' },
    }),
  );
  await ok(
    admin.request('PUT', '/api/v1/views/last-used', { object: 'contacts', viewId: view.id }),
  );
  // Imports: one analysed (its upload kept on disk), one run (its rows' outcomes).
  await upload(app, admin, '/api/v1/contacts/imports', 'danh sách.csv', Buffer.from(CSV));
  const run = await upload(app, admin, '/api/v1/contacts/imports', 'chạy.csv', Buffer.from(CSV));
  const analysed = await ok(admin.get(`/api/v1/imports/${run.id}`));
  await ok(
    admin.post(`/api/v1/imports/${run.id}/start`, {
      mapping: analysed.mapping,
      options: { duplicates: 'skip' },
      template: 'Danh sách khách hàng',
    }),
  );
  await runImport(
    inst.db,
    { config: inst.config, logger: createLogger('silent') },
    { importId: run.id, workspaceId },
  );

  // Duplicates and merge: the workspace's threshold, a scan's pairs (one dismissed) and a merge
  // with what its undo needs.
  await ok(admin.request('PUT', '/api/v1/contacts/duplicate-settings', { threshold: 70 }));
  const twin = async () =>
    (
      await ok(
        admin.post('/api/v1/contacts', {
          fullName: 'Đỗ Văn Trùng',
          phones: [{ value: '0977 000 111' }],
        }),
      )
    ).id as string;
  const [keep, gone, third] = [await twin(), await twin(), await twin()];
  await ok(admin.post('/api/v1/contacts/duplicate-pairs/scan'));
  await ok(admin.post('/api/v1/contacts/duplicate-pairs/dismiss', { recordIds: [keep, third] }));
  await ok(admin.post('/api/v1/contacts/merge', { survivorId: keep, mergedIds: [gone] }));
  // A bulk change on a search, run: the operation and each record's outcome.
  const bulk = await ok(
    admin.post('/api/v1/contacts/bulk-operations', {
      action: 'add_tag',
      tag: 'sao-luu',
      q: 'Trùng',
    }),
  );
  await runBulk(inst.db, { operationId: bulk.id, workspaceId });
  // Leads and their scoring: a field rule and an event rule, thresholds with a decay, a lead
  // scored by them and the score event it had.
  await ok(
    admin.post('/api/v1/settings/scoring/leads/rules', {
      kind: 'field',
      condition: { field: 'source', op: 'is', value: 'referral' },
      points: 20,
    }),
  );
  await ok(
    admin.post('/api/v1/settings/scoring/leads/rules', {
      kind: 'event',
      eventKey: 'form_submitted',
      points: 10,
    }),
  );
  await ok(
    admin.request('PUT', '/api/v1/settings/scoring/leads/settings', {
      gradeA: 60,
      gradeB: 40,
      gradeC: 20,
      decayPerWeek: 2,
    }),
  );
  const lead = await ok(
    admin.post('/api/v1/leads', {
      fullName: 'Ngô Thị Tiềm Năng',
      source: 'referral',
      utmSource: 'zalo',
    }),
  );
  const adminId = session.user.id as string;
  await inst.db.tenant({ workspaceId, userId: adminId }, (tx) =>
    recordScoreEvent(
      tx,
      ownerActor({ id: adminId, name: 'Nguyễn Văn An' }, workspaceId, 'api', null),
      'leads',
      lead.id,
      'form_submitted',
    ),
  );

  // Assignment rules: a rule, the fallback owner, and a lead they assigned (its new owner
  // notified, the assignment audited).
  await ok(
    admin.post('/api/v1/settings/assignment/leads/rules', {
      name: 'Facebook',
      condition: { field: 'source', op: 'is', value: 'facebook' },
      targetType: 'user',
      userId: sales.userId,
    }),
  );
  await ok(
    admin.request('PUT', '/api/v1/settings/assignment/leads/fallback', {
      fallbackUserId: manager.userId,
    }),
  );
  await ok(admin.post('/api/v1/leads', { fullName: 'Đinh Văn Phân', source: 'facebook' }));

  // Deals in the default pipeline: one moved a stage (its stage history) with a contact in a
  // role, one won; a salesperson's target and the forecast snapshot they make.
  const pipeline = (await ok(admin.get('/api/v1/pipelines'))).items[0];
  const dealContact = await ok(admin.post('/api/v1/contacts', { fullName: 'Trần Văn Quyết' }));
  const deal = await ok(
    admin.post('/api/v1/deals', { name: 'Đơn hàng quý 1', amount: 120_000_000 }),
  );
  await ok(admin.patch(`/api/v1/deals/${deal.id}`, { stageId: pipeline.stages[2].id }));
  await ok(
    admin.post(`/api/v1/deals/${deal.id}/contacts`, {
      contactId: dealContact.id,
      role: 'Người quyết định',
    }),
  );
  const won = await ok(
    admin.post('/api/v1/deals', { name: 'Hợp đồng đại lý', amount: 45_000_000 }),
  );
  await ok(admin.patch(`/api/v1/deals/${won.id}`, { status: 'won' }));
  await ok(
    admin.request('PUT', '/api/v1/sales-targets', {
      userId: sales.userId,
      month: new Date().toISOString().slice(0, 7),
      amount: 500_000_000,
    }),
  );
  await inst.db.tenant({ workspaceId, userId: null }, (tx) => takeSnapshot(tx));

  // A lead capture form and a submission to it (the lead it made, the stored submission).
  const form = await ok(
    admin.post('/api/v1/lead-forms', {
      name: 'Đăng ký tư vấn',
      fields: [
        { key: 'fullName', label: { vi: 'Họ và tên', en: 'Name' }, required: true },
        { key: 'email', label: { vi: 'Email', en: 'Email' } },
      ],
    }),
  );
  const submitted = await app.inject({
    method: 'POST',
    url: `/api/v1/public/forms/${form.publicKey}/submissions`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'fullName=L%C3%BD+Th%E1%BB%8B+Form&email=form%40example.vn&utm_source=zalo',
  });
  if (submitted.statusCode !== 200) throw new Error(`form: ${submitted.body}`);

  // A second workspace, with a member of its own and an attachment.
  const other = await ok(admin.post('/api/v1/workspaces', { name: 'Chi nhánh Sài Gòn' }));
  const otherWorkspaceId = other.workspace.id as string;
  await ok(admin.post('/api/v1/auth/switch-workspace', { workspaceId: otherWorkspaceId }));
  const outsider = await addMember(app, admin, 'sales', 'Võ Văn Ngoài');
  const otherContact = await ok(admin.post('/api/v1/contacts', { fullName: 'Khách Sài Gòn' }));
  await upload(
    app,
    admin,
    `/api/v1/contacts/${otherContact.id}/attachments`,
    'hợp đồng.txt',
    Buffer.from('Hợp đồng chi nhánh Sài Gòn'),
  );
  await ok(admin.post('/api/v1/auth/switch-workspace', { workspaceId }));
  return {
    adminEmail,
    admin,
    workspaceId,
    otherWorkspaceId,
    outsiderEmail: outsider.email,
    contactId: contact.id,
    attachmentId: attachment.id,
  };
}

type Snapshot = Map<string, string[]>;

/**
 * Every row of every table (all columns, generated ones too), as row_to_json text in UTC,
 * sorted: written independently of the code under test. Tables a backup leaves out by design
 * (sign-in throttling) are not compared.
 */
function snapshot(
  db: Database,
  where: (table: string) => string = () => 'true',
): Promise<Snapshot> {
  return db.system(async (tx) => {
    await tx.execute(sql`SELECT set_config('TimeZone', 'UTC', true)`);
    const tables = await queryRows<{ t: string }>(
      tx,
      sql`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    const out: Snapshot = new Map();
    for (const { t } of tables) {
      if (NOT_BACKED_UP.has(t)) continue;
      const rows = await queryRows<{ r: string }>(
        tx,
        sql.raw(
          `SELECT row_to_json(x)::text AS r FROM public."${t}" x WHERE ${where(t)} ORDER BY 1`,
        ),
      );
      out.set(
        t,
        rows.map((r) => r.r),
      );
    }
    return out;
  });
}

/** Every file of the file areas, by path relative to the data dir. */
function files(dataDir: string, workspaceId?: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const area of FILE_AREAS) {
    const root = path.join(dataDir, area);
    if (!fs.existsSync(root)) continue;
    for (const ws of fs.readdirSync(root)) {
      if (workspaceId && ws !== workspaceId) continue;
      for (const name of fs.readdirSync(path.join(root, ws))) {
        out.set(`${area}/${ws}/${name}`, fs.readFileSync(path.join(root, ws, name)));
      }
    }
  }
  return out;
}

function expectSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, bytes] of expected) {
    expect(Buffer.compare(actual.get(name)!, bytes), name).toBe(0);
  }
}

async function expectEmpty(inst: Instance) {
  const snap = await snapshot(inst.db);
  const nonEmpty = [...snap].filter(([, rows]) => rows.length > 0).map(([t]) => t);
  expect(nonEmpty).toEqual([]);
  expect(files(inst.dataDir).size).toBe(0);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** The instance restored works: sign in, read, write (sequences), download a file. */
async function expectWorking(inst: Instance, data: Populated) {
  const client = new Client(inst.app);
  const signIn = await client.post('/api/v1/auth/sign-in', {
    email: data.adminEmail,
    password: PASSWORD,
  });
  expect(signIn.status).toBe(200);
  const contact = await client.get(`/api/v1/contacts/${data.contactId}`);
  expect(contact.status).toBe(200);
  expect(contact.body.displayName).toBe('Nguyễn Thị Hồng Nhung');
  const created = await client.post('/api/v1/contacts', { fullName: 'Khách Sau Khôi Phục' });
  expect(created.status).toBe(201);
  const download = await inst.app.inject({
    method: 'GET',
    url: `/api/v1/attachments/${data.attachmentId}/download`,
    headers: { cookie: `sen_session=${client.cookie}` },
  });
  expect(download.statusCode).toBe(200);
  expect(Buffer.compare(download.rawPayload, ATTACHMENT)).toBe(0);
  // The session the source issued is valid here too: the move does not sign anyone out.
  const carried = new Client(inst.app);
  carried.cookie = data.admin.cookie;
  expect((await carried.get('/api/v1/auth/session')).status).toBe(200);
}

/** A copy of a backup with its manifest changed (the rest of the entries as they were). */
async function withManifest(file: string, change: (m: Manifest) => void): Promise<string> {
  const reader = await ZipReader.open(file);
  const out = path.join(tempDir('edited'), 'edited.zip');
  const writer = new ZipWriter(out);
  try {
    for (const name of reader.entries.keys()) {
      if (name === MANIFEST_ENTRY) continue;
      const entry = writer.entry(name);
      for await (const chunk of await reader.open(name)) await entry.write(chunk as Buffer);
      await entry.end();
    }
    const manifest = JSON.parse(await reader.text(MANIFEST_ENTRY, 1 << 24)) as Manifest;
    change(manifest);
    await writer.add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest)));
    await writer.finish();
  } finally {
    reader.close();
  }
  return out;
}

// Heavy: several PGlite and PostgreSQL instances per test, on a machine shared with other runs.
describe('backup and restore', { timeout: 180_000 }, () => {
  let lite: Instance;
  let pgSource: Instance;
  let liteData: Populated;
  let pgData: Populated;
  const open: Instance[] = [];
  const track = (i: Instance) => (open.push(i), i);

  beforeAll(async () => {
    lite = track(await pgliteInstance(true));
    pgSource = track(await postgresInstance(true));
    liteData = await populate(lite);
    pgData = await populate(pgSource);
  }, 300_000);
  afterAll(async () => {
    for (const i of open) await i.close().catch(() => {});
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function backupOf(inst: Instance, workspaceId?: string): Promise<BackupSummary> {
    const out = path.join(tempDir('file'), 'backup.zip');
    return createBackup(inst, { out, workspaceId });
  }

  it('fills every table the test means to cover', async () => {
    for (const inst of [lite, pgSource]) {
      const snap = await snapshot(inst.db);
      const empty = [...snap].filter(([, rows]) => rows.length === 0).map(([t]) => t);
      // exports and einvoice_submissions: other features' tables, filled by their own tests
      // (a submission needs a provider's server); here only compared.
      expect(empty.filter((t) => t !== 'exports' && t !== 'einvoice_submissions')).toEqual([]);
      // Two attachments and the analysed import's upload (a run import's file is removed).
      expect(files(inst.dataDir).size).toBe(3);
    }
  });

  it('PGlite → a new PostgreSQL database: every row and every file, and it works', async () => {
    const backup = await backupOf(lite);
    expect(backup.scope).toEqual({ kind: 'instance' });
    expect(fs.statSync(backup.file).mode & 0o777).toBe(0o600);
    const target = track(await postgresInstance(false));
    const result = await restoreBackup(target, backup.file);
    expect(result.source.backend).toBe('pglite');
    expect(result.rows).toBe(backup.rows);
    expect(result.files).toBe(backup.files);
    expect(await snapshot(target.db)).toEqual(await snapshot(lite.db));
    expectSameFiles(files(target.dataDir), files(lite.dataDir));
    expect(await databaseLevel(target.db)).toEqual(currentLevel());
    await expectWorking(target, liteData);
  });

  it('PostgreSQL → a new PGlite database: every row and every file, and it works', async () => {
    const backup = await backupOf(pgSource);
    const target = track(await pgliteInstance(false));
    const result = await restoreBackup(target, backup.file);
    expect(result.source.backend).toBe('postgres');
    expect(await snapshot(target.db)).toEqual(await snapshot(pgSource.db));
    expectSameFiles(files(target.dataDir), files(pgSource.dataDir));
    await expectWorking(target, pgData);
  });

  it('one workspace: its rows, its members, its files; nothing of the other workspace', async () => {
    const backup = await backupOf(pgSource, pgData.workspaceId);
    expect(backup.scope).toMatchObject({ kind: 'workspace', workspaceId: pgData.workspaceId });
    // Into an instance that has started once (migrated, empty).
    const target = track(await pgliteInstance(true));
    await restoreBackup(target, backup.file);
    const ws = pgData.workspaceId;
    const expected = await snapshot(pgSource.db, (t) => {
      if (t === 'workspaces') return `id = '${ws}'`;
      if (t === 'users') {
        return `id IN (SELECT user_id FROM workspace_members WHERE workspace_id = '${ws}')`;
      }
      return NOT_BACKED_UP.has(t) ? 'false' : `workspace_id = '${ws}'`;
    });
    expect(await snapshot(target.db)).toEqual(expected);
    const users = (await snapshot(target.db)).get('users')!.join('\n');
    expect(users).toContain(pgData.adminEmail);
    expect(users).not.toContain(pgData.outsiderEmail);
    expectSameFiles(files(target.dataDir), files(pgSource.dataDir, ws));
    expect(files(target.dataDir).size).toBeLessThan(files(pgSource.dataDir).size);
    await expectWorking(target, pgData);
  });

  it('refuses an instance that has data, and changes nothing in it', async () => {
    const backup = await backupOf(lite);
    const before = await snapshot(pgSource.db);
    const err = await refusal(restoreBackup(pgSource, backup.file));
    expect(err.code).toBe('CONFLICT');
    expect(err.messageIn('en')).toMatch(/already has data \(.*workspaces.*\)/);
    expect(err.messageIn('vi')).toMatch(/đã có dữ liệu/);
    expect(await snapshot(pgSource.db)).toEqual(before);
  });

  it('refuses a truncated or damaged file and leaves the instance empty', async () => {
    const backup = await backupOf(lite);
    const target = track(await pgliteInstance(false));
    const bytes = fs.readFileSync(backup.file);

    const truncated = path.join(tempDir('bad'), 'truncated.zip');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const cut = await refusal(restoreBackup(target, truncated));
    expect(cut.code).toBe('BAD_REQUEST');
    expect(cut.messageIn('en')).toMatch(/damaged or incomplete.*Nothing was restored/);
    expect(cut.messageIn('vi')).toMatch(/bị hỏng hoặc không đầy đủ/);

    // One byte changed inside the attachment (stored as is, after every table): the tables
    // went in before the file was checked, and all of them go back out.
    const damaged = path.join(tempDir('bad'), 'damaged.zip');
    const at = bytes.indexOf(ATTACHMENT.subarray(0, 64));
    expect(at).toBeGreaterThan(0);
    const copy = Buffer.from(bytes);
    copy[at + 100] = copy[at + 100]! ^ 0xff;
    fs.writeFileSync(damaged, copy);
    const bad = await refusal(restoreBackup(target, damaged));
    expect(bad.messageIn('en')).toMatch(/damaged or incomplete \(attachments\/.* checksum\)/);
    await expectEmpty(target);

    const notZip = path.join(tempDir('bad'), 'notes.zip');
    fs.writeFileSync(notZip, 'not a zip at all');
    expect((await refusal(restoreBackup(target, notZip))).messageIn('en')).toMatch(/damaged/);
    await expectEmpty(target);

    // Left empty indeed: the good file restores into it.
    await restoreBackup(target, backup.file);
    expect(await snapshot(target.db)).toEqual(await snapshot(lite.db));
  });

  it('refuses a backup from a newer Sen (schema or format)', async () => {
    const backup = await backupOf(lite);
    const target = track(await pgliteInstance(false));
    const newer = await withManifest(backup.file, (m) => {
      m.schema = { migrations: m.schema.migrations + 1, last: '9999_future', when: Date.now() };
    });
    const schemaErr = await refusal(restoreBackup(target, newer));
    expect(schemaErr.messageIn('en')).toMatch(/newer Sen \(schema 9999_future\)/);
    const format = await withManifest(backup.file, (m) => {
      m.formatVersion = 99;
    });
    expect((await refusal(restoreBackup(target, format))).messageIn('en')).toMatch(/format 99/);
    // Refused before anything was done: not even migrated.
    expect(await databaseLevel(target.db)).toEqual({ migrations: 0, last: '', when: 0 });
  });

  it('restores a backup made at an older schema level, then migrates it', async () => {
    // The level of an earlier release: the last migration before the newest that completes a
    // table (its RLS and grants), as every release does.
    const tags = journal().map((e) => e.tag);
    const older = tags.findLastIndex((t, i) => i < tags.length - 1 && t.endsWith('_rls')) + 1;
    expect(older).toBeGreaterThan(0);
    const source = track(await pgliteInstance(false));
    await migrateTo(source.db, older);
    // Rows written the way that schema had them (setup's tables date from the first migrations).
    await source.db.system(async (tx) => {
      await tx.execute(
        sql`INSERT INTO workspaces (name, locale, currency, timezone) VALUES ('Cũ', 'vi', 'VND', 'Asia/Ho_Chi_Minh')`,
      );
      await tx.execute(
        sql`INSERT INTO users (email, name, password_hash, locale) VALUES ('cu@example.vn', 'Người Cũ', 'x', 'vi')`,
      );
    });
    const backup = await backupOf(source);
    const target = track(await postgresInstance(false));
    const result = await restoreBackup(target, backup.file);
    expect(result.schema.backup).not.toBe(result.schema.now);
    expect(await databaseLevel(target.db)).toEqual(currentLevel());
    const users = (await snapshot(target.db)).get('users')!;
    expect(users.join()).toContain('cu@example.vn');
    // An older backup into a database already at a newer level: refused.
    const started = track(await pgliteInstance(true));
    const err = await refusal(restoreBackup(started, backup.file));
    expect(err.messageIn('en')).toMatch(/older than this database's/);
  });

  it('scheduled backups: on by the configuration, written whole, the newest kept', async () => {
    const config = { ...lite.config, backupKeep: 2 };
    const dir = backupsDir(config.dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const stale = path.join(dir, `.${scheduledName(new Date(0))}.partial-1234abcd`);
    fs.writeFileSync(stale, 'half a backup');
    fs.writeFileSync(path.join(dir, 'before-upgrade.zip'), 'kept');
    const runs = [];
    for (const day of [1, 2, 3]) {
      runs.push(
        await runScheduledBackup({ db: lite.db, config }, new Date(Date.UTC(2027, 0, day))),
      );
    }
    expect(runs[2]!.removed).toEqual([scheduledName(new Date(Date.UTC(2027, 0, 1)))]);
    expect(fs.readdirSync(dir).sort()).toEqual(
      [
        'before-upgrade.zip',
        scheduledName(new Date(Date.UTC(2027, 0, 2))),
        scheduledName(new Date(Date.UTC(2027, 0, 3))),
      ].sort(),
    );
    // A scheduled backup is a backup like any other.
    const target = track(await postgresInstance(false));
    await restoreBackup(target, runs[2]!.summary.file);
    expect(await snapshot(target.db)).toEqual(await snapshot(lite.db));

    // pg-boss gets the schedule from the configuration, and loses it when turned off.
    const schedules = async () =>
      (
        (await pgSource.db.executeSql(`SELECT name, cron FROM pgboss.schedule`)) as {
          rows: { name: string; cron: string }[];
        }
      ).rows.filter((r) => r.name === scheduledBackupJob.name);
    const start = async (backupSchedule: string | null) => {
      const runner = new JobRunner(
        {
          db: pgSource.db,
          logger: createLogger('silent'),
          config: { ...pgSource.config, backupSchedule },
        },
        [scheduledBackupJob as never],
        { work: false },
      );
      await runner.start();
      await runner.stop();
    };
    await start('15 20 * * *');
    expect(await schedules()).toEqual([{ name: 'backup.scheduled', cron: '15 20 * * *' }]);
    await start(null);
    expect(await schedules()).toEqual([]);
  });

  it('sen backup and sen restore: PGlite data dir → PostgreSQL, as the README says', async () => {
    const dataDir = tempDir('cli');
    const source = await PgliteDatabase.open(dataDir);
    await source.migrate();
    const inst = await instanceOn(source, async () => {}, dataDir);
    await populate(inst);
    const expected = await snapshot(source);
    await inst.close();

    const out = path.join(tempDir('cli-out'), 'move.zip');
    const name = `sen_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const env = { ...process.env };
    try {
      process.env.SEN_DATA_DIR = dataDir;
      process.env.LOG_LEVEL = 'silent';
      delete process.env.DATABASE_URL;
      await buildCli().parseAsync(['node', 'sen', 'backup', '--out', out]);
      expect(log.mock.calls.flat().join('\n')).toMatch(
        /Backed up the whole instance to .*move\.zip[\s\S]*\d+ tables, [\d,]+ rows, 3 files/,
      );
      const pgDir = tempDir('cli-pg');
      process.env.SEN_DATA_DIR = pgDir;
      process.env.DATABASE_URL = databaseUrl(name);
      log.mockClear();
      await buildCli().parseAsync(['node', 'sen', 'restore', out]);
      expect(log.mock.calls.flat().join('\n')).toMatch(
        /Restored the whole instance from .*move\.zip \(made .* on pglite\) into postgres/,
      );
      const db = PostgresDatabase.open(databaseUrl(name), 2);
      try {
        expect(await snapshot(db)).toEqual(expected);
      } finally {
        await db.close();
      }
      expectSameFiles(files(pgDir), files(dataDir));
    } finally {
      process.env = env;
      log.mockRestore();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
