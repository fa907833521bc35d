import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from '../support/client.js';
import { createTestDatabase, type TestDatabase } from '../support/harness.js';
import {
  builtEntry,
  call,
  freePorts,
  Node,
  sessionCookie,
  sleep,
  type Session,
} from '../support/nodes.js';

/**
 * Issue #18: "kill the server (SIGKILL) in the middle of a big import, start it again: the job
 * resumes, and at the end there are no duplicates and no lost rows". A real `sen start`
 * process on this project's backend (PGlite in a data folder, or a PostgreSQL database), killed
 * while the import runs, then started again on the same data.
 */
describe('an import survives SIGKILL', { timeout: 240_000 }, () => {
  const backend = process.env.SEN_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';
  let database: TestDatabase | null = null;
  let dataDir: string;
  let node: Node | null = null;
  let port: number;
  const ROWS = 4000;

  const start = async () => {
    const target = database?.url ?? { dataDir };
    // Uploaded files live in the data folder on both backends.
    const n = new Node('crash', port, target, { SEN_DATA_DIR: dataDir });
    await n.waitReady(90_000);
    return n;
  };

  beforeAll(async () => {
    if (!fs.existsSync(builtEntry)) {
      throw new Error(`The server is not built (${builtEntry}). Run \`npm run build:server\`.`);
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-crash-'));
    if (backend === 'postgres') database = await createTestDatabase();
    [port] = (await freePorts(1)) as [number];
  });
  afterAll(async () => {
    if (node?.running) node.child.kill('SIGKILL');
    await node?.exit;
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after the kill: every row once, counts that add up', async () => {
    node = await start();
    const email = uniqueEmail('crash');
    const setup = await call(node, 'POST', '/api/v1/setup', {
      body: {
        workspaceName: 'Công ty Sập Nguồn',
        name: 'Quản Trị',
        email,
        password: PASSWORD,
        locale: 'vi',
      },
    });
    expect(setup.status).toBe(201);
    const me = await call(node, 'GET', '/api/v1/auth/session', {
      session: { cookie: sessionCookie(setup), csrf: '' },
    });
    const session: Session = { cookie: sessionCookie(setup), csrf: me.body.csrfToken };

    const lines = ['Họ và tên,Email,SĐT'];
    for (let i = 1; i <= ROWS; i++) {
      lines.push(`Khách Hàng ${i},khach${i}@sap-nguon.vn,09${String(30000000 + i)}`);
    }
    const form = new FormData();
    form.append('file', new Blob([lines.join('\n')], { type: 'text/csv' }), 'lon.csv');
    const uploaded = await fetch(`${node.url}/api/v1/contacts/imports`, {
      method: 'POST',
      headers: {
        cookie: `sen_session=${session.cookie}`,
        'x-csrf-token': session.csrf,
        'accept-language': 'en',
      },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const imp = (await uploaded.json()) as { id: string; mapping: (string | null)[] };
    const started = await call(node, 'POST', `/api/v1/imports/${imp.id}/start`, {
      session,
      body: { mapping: imp.mapping, options: { duplicates: 'skip' } },
    });
    expect(started.status).toBe(202);

    // Kill the server once the import has committed some batches but not all.
    let seen = 0;
    for (let i = 0; i < 600 && seen === 0; i++) {
      await sleep(50);
      const progress = await call(node, 'GET', `/api/v1/imports/${imp.id}`, { session });
      seen = progress.body.rowsDone;
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(ROWS);
    node.child.kill('SIGKILL');
    await node.exit;

    node = await start();
    let status = '';
    let body: Record<string, number | string> = {};
    for (let i = 0; i < 1200 && status !== 'done' && status !== 'failed'; i++) {
      await sleep(100);
      const progress = await call(node, 'GET', `/api/v1/imports/${imp.id}`, { session });
      body = progress.body;
      status = progress.body.status;
    }
    expect(body).toMatchObject({
      status: 'done',
      rowsDone: ROWS,
      created: ROWS,
      skipped: 0,
      failed: 0,
    });
    const count = await call(node, 'GET', '/api/v1/contacts/count?q=sap-nguon.vn', { session });
    expect(count.body.count).toBe(ROWS);
    // Every row once: each email is on exactly one contact.
    const dup = await call(node, 'GET', '/api/v1/contacts?q=khach1234%40sap-nguon.vn', { session });
    expect(dup.body.items).toHaveLength(1);
    expect(node.errors()).toEqual([]);
  });
});
