/**
 * Log lines of a request carry its request id, and once it is authenticated its user and
 * workspace (request loggers are made lazily: see LazyChildLogger).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, setupAdmin } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

describe('request logging', () => {
  let t: TestApp;
  let admin: Client;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    t = await createTestApp({}, pino({ level: 'info' }, sink));
    admin = (await setupAdmin(t.app)).admin;
  });
  afterAll(() => t.close());

  const linesOf = (requestId: string) => lines.filter((l) => l.reqId === requestId);

  it('never logs the secret in a calendar feed or invitation URL', async () => {
    const secret = 'bXlzZWNyZXRjYWxlbmRhcnRva2VuMTIzNDU2Nzg5MA';
    const feed = await t.app.inject({ method: 'GET', url: `/ical/${secret}.ics` });
    expect(feed.statusCode).toBe(404);
    const lookup = await t.app.inject({
      method: 'GET',
      url: `/api/v1/invitations/lookup/${secret}`,
    });
    expect(lookup.statusCode).toBe(404);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(secret);
  });

  it('puts the request id on every line, and the user and workspace once authenticated', async () => {
    const session = await admin.get('/api/v1/auth/session');
    const rejected = await admin.request(
      'POST',
      '/api/v1/contacts',
      { displayName: '' },
      {
        'x-request-id': 'test-logging-1',
      },
    );
    expect(rejected.status).toBe(400);
    expect(rejected.headers['x-request-id']).toBe('test-logging-1');
    const own = linesOf('test-logging-1');
    expect(own.map((l) => l.msg)).toEqual([
      'incoming request',
      'request rejected',
      'request completed',
    ]);
    const user = session.body.user.id as string;
    const workspace = session.body.workspace.id as string;
    // "incoming request" is written before authentication; the lines after it name the caller.
    for (const line of own.slice(1)) {
      expect(line).toMatchObject({ userId: user, workspaceId: workspace });
    }
    expect(
      lines.filter((l) => l.req !== undefined || l.res !== undefined).every((l) => l.reqId),
    ).toBe(true);
  });

  it('writes nothing below the configured level', async () => {
    t.ctx.logger.level = 'warn';
    try {
      const before = lines.length;
      expect((await admin.get('/api/v1/contacts')).status).toBe(200);
      expect(lines.length).toBe(before);
    } finally {
      t.ctx.logger.level = 'info';
    }
  });
});
