import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/core/context.js';
import { PostgresDatabase } from '../../src/db/database.js';
import { queryRows } from '../../src/db/sql.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/lib/logger.js';
import { registerModules } from '../../src/modules/index.js';
import { setupAdmin, type Client } from '../support/client.js';
import { createTestDatabase, testConfig, type TestDatabase } from '../support/harness.js';

/**
 * The public forms' rate limits hold across app nodes: two apps, each with its own connection
 * pool, on one PostgreSQL database count into the same windows (form_rate_windows), one after
 * the other and all at once. PostgreSQL only (two pools on one server).
 */
describe('form rate limits across two app nodes', () => {
  let database: TestDatabase;
  let second: PostgresDatabase;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let admin: Client;

  beforeAll(async () => {
    registerModules();
    database = await createTestDatabase();
    if (!database.url) throw new Error('needs the postgres backend');
    second = PostgresDatabase.open(database.url, 5);
    const logger = createLogger('silent');
    const node = async (db: AppContext['db']) => {
      const app = await buildApp({ config: testConfig(), db, logger, jobs: null });
      await app.ready();
      return app;
    };
    a = await node(database.db);
    b = await node(second);
    admin = (await setupAdmin(a)).admin;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await second?.close();
    await database?.drop();
  });

  async function newForm(name: string, ratePerIp: number, ratePerForm: number) {
    const res = await admin.post('/api/v1/lead-forms', {
      name,
      fields: [
        { key: 'fullName', label: { vi: 'Họ và tên', en: 'Name' }, required: true },
        { key: 'phone', label: { vi: 'Điện thoại', en: 'Phone' } },
      ],
      ratePerIp,
      ratePerForm,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; publicKey: string };
  }

  const submit = (app: FastifyInstance, key: string, ip: string, name: string) =>
    app
      .inject({
        method: 'POST',
        url: `/api/v1/public/forms/${key}/submissions`,
        remoteAddress: ip,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ fullName: name }),
      })
      .then((r) => r.statusCode);

  const stored = async (formId: string) =>
    Number(
      (
        await database.db.system((tx) =>
          queryRows<{ n: number }>(
            tx,
            sql`SELECT count(*)::int AS n FROM form_submissions WHERE form_id = ${formId}`,
          ),
        )
      )[0]!.n,
    );

  /** Start well inside a minute: the windows are whole minutes. */
  async function insideAMinute() {
    const into = Date.now() % 60_000;
    if (into > 45_000) await new Promise((r) => setTimeout(r, 60_500 - into));
  }

  it('counts one client IP on both nodes together', { timeout: 90_000 }, async () => {
    const form = await newForm('Hai máy chủ', 4, 1000);
    await insideAMinute();
    const ip = '198.51.100.20';
    const codes = [];
    for (let i = 0; i < 6; i++)
      codes.push(await submit(i % 2 ? b : a, form.publicKey, ip, `K ${i}`));
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
    expect(await stored(form.id)).toBe(4);
  });

  it(
    'lets exactly the form limit through when 30 clients hit both nodes at once',
    { timeout: 90_000 },
    async () => {
      const form = await newForm('Đồng thời', 100, 12);
      await insideAMinute();
      const codes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          submit(i % 2 ? b : a, form.publicKey, `198.51.100.${100 + i}`, `Khách ${i}`),
        ),
      );
      expect(codes.filter((c) => c === 200)).toHaveLength(12);
      expect(codes.filter((c) => c === 429)).toHaveLength(18);
      expect(await stored(form.id)).toBe(12);
    },
  );
});
