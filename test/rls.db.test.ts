import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../src/db/database.js';
import { teams } from '../src/db/schema/index.js';
import { pgErrorCode, prepared, queryRows } from '../src/db/sql.js';
import { setupAdmin, type Client } from './support/client.js';
import { createTestApp, type TestApp } from './support/harness.js';

const countTeams = prepared('test_count_teams', (tx) =>
  tx.select({ n: sql<number>`count(*)::int` }).from(sql`teams`),
);

let teamNameBuilds = 0;
const teamName = prepared('test_team_name', (tx) => {
  teamNameBuilds++;
  return tx
    .select({ name: teams.name })
    .from(teams)
    .where(eq(teams.id, sql.placeholder('id')));
});

/** Row-level security, proven at the database level on the current backend. */
describe('multi-tenancy in the database', () => {
  let t: TestApp;
  let admin: Client;
  let wsA: string;
  let wsB: string;
  let userId: string;
  let teamA: string;
  let teamB: string;

  beforeAll(async () => {
    t = await createTestApp();
    const s = await setupAdmin(t.app, 'Workspace A');
    admin = s.admin;
    userId = s.session.user.id;
    wsA = s.session.workspace.id;
    teamA = (await admin.post('/api/v1/teams', { name: 'Team A' })).body.id;
    const created = await admin.post('/api/v1/workspaces', { name: 'Workspace B' });
    expect(created.status).toBe(201);
    wsB = created.body.workspace.id;
    teamB = (await admin.post('/api/v1/teams', { name: 'Team B' })).body.id;
  });
  afterAll(() => t?.close());

  it('forces RLS on every table of the public schema', async () => {
    const rows = await t.ctx.db.system((tx) =>
      queryRows<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        tx,
        sql`SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`,
      ),
    );
    expect(rows.length).toBeGreaterThanOrEqual(11);
    for (const r of rows) {
      expect({ table: r.relname, rls: r.relrowsecurity, forced: r.relforcerowsecurity }).toEqual({
        table: r.relname,
        rls: true,
        forced: true,
      });
    }
  });

  it("reads the app's context in policies once per statement (InitPlan), never per row", async () => {
    const policies = await t.ctx.db.system((tx) =>
      queryRows<{ table: string; policy: string; expr: string }>(
        tx,
        sql`SELECT tablename AS table, policyname AS policy,
                   coalesce(qual, '') || ' ' || coalesce(with_check, '') AS expr
              FROM pg_policies WHERE schemaname = 'public' AND 'sen_app' = ANY(roles)`,
      ),
    );
    expect(policies.length).toBeGreaterThanOrEqual(18);
    const bare = policies.filter((p) =>
      /sen_(workspace|user)_id\(\)/.test(p.expr.replace(/SELECT sen_(workspace|user)_id\(\)/g, '')),
    );
    expect(bare.map((p) => `${p.table}.${p.policy}`)).toEqual([]);
  });

  it('runs tenant queries as a non-superuser role', async () => {
    const [row] = await t.ctx.db.tenant({ workspaceId: wsA, userId }, (tx) =>
      queryRows<{ u: string; su: boolean }>(
        tx,
        sql`SELECT current_user AS u, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su`,
      ),
    );
    expect(row).toEqual({ u: 'sen_app', su: false });
  });

  it('returns 0 rows when no workspace is set', async () => {
    const counts = await t.ctx.db.system(async (tx) => {
      const all = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM teams`);
      await tx.execute(sql`SET LOCAL ROLE sen_app`);
      const tables = [
        'teams',
        'roles',
        'workspace_members',
        'workspaces',
        'audit_log',
        'invitations',
        'api_keys',
      ];
      const visible: Record<string, number> = {};
      for (const table of tables) {
        const [r] = await queryRows<{ n: number }>(
          tx,
          sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`,
        );
        visible[table] = r?.n ?? -1;
      }
      return { all: all[0]?.n, visible };
    });
    expect(counts.all).toBe(2);
    expect(Object.values(counts.visible)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("hides another workspace's rows", async () => {
    const seen = await t.ctx.db.tenant({ workspaceId: wsA, userId }, async (tx) => ({
      teams: await queryRows<{ id: string }>(tx, sql`SELECT id FROM teams`),
      byId: await queryRows(tx, sql`SELECT id FROM teams WHERE id = ${teamB}`),
      workspaces: await queryRows<{ id: string }>(tx, sql`SELECT id FROM workspaces`),
    }));
    expect(seen.teams.map((r) => r.id)).toEqual([teamA]);
    expect(seen.byId).toEqual([]);
    expect(seen.workspaces.map((r) => r.id)).toEqual([wsA]);
  });

  it('refuses a cross-workspace insert', async () => {
    const err = await t.ctx.db
      .tenant({ workspaceId: wsA, userId }, (tx) =>
        tx.execute(sql`INSERT INTO teams (workspace_id, name) VALUES (${wsB}, 'Intruder')`),
      )
      .catch((e: unknown) => e);
    expect(pgErrorCode(err)).toBe('42501');
  });

  it("cannot update another workspace's row, nor move a row to another workspace", async () => {
    const updated = await t.ctx.db.tenant({ workspaceId: wsA, userId }, (tx) =>
      queryRows(tx, sql`UPDATE teams SET name = 'Hijacked' WHERE id = ${teamB} RETURNING id`),
    );
    expect(updated).toEqual([]);
    const err = await t.ctx.db
      .tenant({ workspaceId: wsA, userId }, (tx) =>
        tx.execute(sql`UPDATE teams SET workspace_id = ${wsB} WHERE id = ${teamA}`),
      )
      .catch((e: unknown) => e);
    expect(pgErrorCode(err)).toBe('42501');
    const names = await t.ctx.db.system((tx) =>
      queryRows<{ name: string }>(tx, sql`SELECT name FROM teams ORDER BY name`),
    );
    expect(names.map((r) => r.name)).toEqual(['Team A', 'Team B']);
  });

  it('keeps the audit log append-only and password hashes unreadable for the app role', async () => {
    const ctx = { workspaceId: wsA, userId };
    const upd = await t.ctx.db
      .tenant(ctx, (tx) => tx.execute(sql`UPDATE audit_log SET action = 'x'`))
      .catch((e: unknown) => e);
    expect(pgErrorCode(upd)).toBe('42501');
    const del = await t.ctx.db
      .tenant(ctx, (tx) => tx.execute(sql`DELETE FROM audit_log`))
      .catch((e: unknown) => e);
    expect(pgErrorCode(del)).toBe('42501');
    const pw = await t.ctx.db
      .tenant(ctx, (tx) => tx.execute(sql`SELECT password_hash FROM users`))
      .catch((e: unknown) => e);
    expect(pgErrorCode(pw)).toBe('42501');
  });

  it('read() sees one workspace, refuses writes and leaves no context behind', async () => {
    const ctx = { workspaceId: wsA, userId };
    const seen = await t.ctx.db.read(ctx, async (tx) => ({
      teams: await queryRows<{ id: string }>(tx, sql`SELECT id FROM teams`),
      who: await queryRows<{ u: string }>(tx, sql`SELECT current_user AS u`),
    }));
    expect(seen.teams.map((r) => r.id)).toEqual([teamA]);
    expect(seen.who).toEqual([{ u: 'sen_app' }]);
    const write = await t.ctx.db
      .read(ctx, (tx) => tx.execute(sql`UPDATE teams SET name = 'Changed' WHERE id = ${teamA}`))
      .catch((e: unknown) => e);
    expect(pgErrorCode(write)).toBe('25006'); // read_only_sql_transaction
    const failed = await t.ctx.db
      .read(ctx, (tx) => tx.execute(sql`SELECT 1/0`))
      .catch((e: unknown) => e);
    expect(pgErrorCode(failed)).toBe('22012');
    // Whatever connection the pool hands out next has no workspace, and is writable again.
    for (let i = 0; i < 12; i++) {
      const [row] = await t.ctx.db.appQuery<{ ws: string | null; ro: string; n: number }>(
        'test_context_after_read',
        `SELECT current_setting('sen.workspace_id', true) AS ws,
                current_setting('transaction_read_only') AS ro,
                (SELECT count(*)::int FROM teams) AS n`,
        [],
      );
      expect([row?.ws ?? '', row?.ro, row?.n]).toEqual(['', 'off', 0]);
    }
    const names = await t.ctx.db.system((tx) =>
      queryRows<{ name: string }>(tx, sql`SELECT name FROM teams ORDER BY name`),
    );
    expect(names.map((r) => r.name)).toEqual(['Team A', 'Team B']);
  });

  it('read() keeps answering right on connections reused after failures, named statements too', async () => {
    const ctxA = { workspaceId: wsA, userId };
    const ctxB = { workspaceId: wsB, userId };
    const count = (tx: Tx) => countTeams(tx, {});
    // More rounds than the pool has connections: every connection sees a failure, then reads.
    for (let i = 0; i < 25; i++) {
      const failed = await t.ctx.db
        .read(ctxA, (tx) => tx.execute(sql`SELECT no_such_column FROM teams`))
        .catch((e: unknown) => e);
      expect(pgErrorCode(failed)).toBe('42703');
      const [a, b] = await Promise.all([t.ctx.db.read(ctxA, count), t.ctx.db.read(ctxB, count)]);
      expect([a, b]).toEqual([[{ n: 1 }], [{ n: 1 }]]);
      const ids = await t.ctx.db.read(ctxB, (tx) =>
        queryRows<{ id: string }>(tx, sql`SELECT id FROM teams`),
      );
      expect(ids).toEqual([{ id: teamB }]);
    }
  });

  it('read() keeps one handle per connection: prepared statements built once per connection, named on PostgreSQL; a handle kept past its read() refuses to query', async () => {
    const ctxA = { workspaceId: wsA, userId };
    const reads = 40;
    for (let i = 0; i < reads / 2; i++) {
      const [a, b] = await Promise.all([
        t.ctx.db.read(ctxA, (tx) => teamName(tx, { id: teamA })),
        t.ctx.db.read({ workspaceId: wsB, userId }, (tx) => teamName(tx, { id: teamA })),
      ]);
      expect([a, b]).toEqual([[{ name: 'Team A' }], []]);
    }
    const named = await t.ctx.db.read(ctxA, async (tx) => {
      await teamName(tx, { id: teamA });
      return queryRows<{ name: string }>(
        tx,
        sql`SELECT name FROM pg_prepared_statements WHERE name = 'test_team_name'`,
      );
    });
    if (t.ctx.db.kind === 'postgres') {
      // Built on the connections the reads used (the pool has 10 at most), not per read.
      expect(teamNameBuilds).toBeGreaterThan(0);
      expect(teamNameBuilds).toBeLessThanOrEqual(10);
      expect(named).toEqual([{ name: 'test_team_name' }]);
    } else {
      // PGlite: a handle per transaction, statements unnamed.
      expect(teamNameBuilds).toBe(reads + 1);
      expect(named).toEqual([]);
    }
    expect(() => prepared('test_team_name', (tx) => tx.select().from(teams))).toThrow(
      /defined twice/,
    );

    let kept: Tx | undefined;
    await t.ctx.db.read(ctxA, async (tx) => {
      kept = tx;
    });
    await expect(kept?.select({ id: teams.id }).from(teams)).rejects.toThrow();
    // The connection still serves reads.
    expect(await t.ctx.db.read(ctxA, (tx) => teamName(tx, { id: teamA }))).toEqual([
      { name: 'Team A' },
    ]);
  });
});
