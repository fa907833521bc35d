import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_BACKUP_SCHEDULE, loadConfig } from '../src/config/env.js';
import { scopeCondition } from '../src/modules/backup/backup.js';
import { pruneBackups, scheduledName } from '../src/modules/backup/backup.jobs.js';
import {
  foreignKeyOrder,
  selfReferenceColumns,
  type Catalog,
  type ForeignKey,
  type Table,
} from '../src/modules/backup/catalog.js';

const table = (name: string, columns: [string, boolean][], primaryKey = ['id']): Table => ({
  name,
  columns: columns.map(([n, notNull]) => ({ name: n, type: 'uuid', notNull })),
  primaryKey,
  hasWorkspaceId: columns.some(([n]) => n === 'workspace_id'),
  identityAlways: false,
});

const workspaces = table('workspaces', [['id', true]]);
const users = table('users', [['id', true]]);
const members = table(
  'workspace_members',
  [
    ['workspace_id', true],
    ['user_id', true],
  ],
  ['workspace_id', 'user_id'],
);
const companies = table('companies', [
  ['id', true],
  ['workspace_id', true],
  ['parent_id', false],
]);
const limits = table('throttle', [['key', true]], ['key']);
const fks: ForeignKey[] = [
  {
    table: 'workspace_members',
    columns: ['workspace_id'],
    refTable: 'workspaces',
    refColumns: ['id'],
  },
  { table: 'workspace_members', columns: ['user_id'], refTable: 'users', refColumns: ['id'] },
  { table: 'companies', columns: ['workspace_id'], refTable: 'workspaces', refColumns: ['id'] },
  {
    table: 'companies',
    columns: ['workspace_id', 'parent_id'],
    refTable: 'companies',
    refColumns: ['workspace_id', 'id'],
  },
];

describe('backup: catalogue rules', () => {
  it('orders tables after the tables they reference, itself aside', () => {
    const order = foreignKeyOrder([members, companies, users, workspaces, limits], fks).map(
      (t) => t.name,
    );
    expect(order.indexOf('workspaces')).toBeLessThan(order.indexOf('workspace_members'));
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('workspace_members'));
    expect(order.indexOf('workspaces')).toBeLessThan(order.indexOf('companies'));
    expect(order).toHaveLength(5);
  });

  it('refuses a cycle between two tables', () => {
    const a = table('a', [['id', true]]);
    const b = table('b', [['id', true]]);
    const cycle: ForeignKey[] = [
      { table: 'a', columns: ['id'], refTable: 'b', refColumns: ['id'] },
      { table: 'b', columns: ['id'], refTable: 'a', refColumns: ['id'] },
    ];
    expect(() => foreignKeyOrder([a, b], cycle)).toThrow(/cycle among: a, b/);
  });

  it("defers a table's nullable references to itself, never its workspace", () => {
    expect(selfReferenceColumns(companies, fks)).toEqual(['parent_id']);
    expect(selfReferenceColumns(members, fks)).toEqual([]);
  });

  it("scopes a workspace: its row, its rows, the users its rows reference; not the others'", () => {
    const catalog: Catalog = {
      tables: [workspaces, users, members, companies, limits],
      foreignKeys: fks,
      sequences: [],
    };
    const ws = '01890a5d-ac96-774b-bcce-b302099a8057';
    expect(scopeCondition(catalog, companies, undefined)).toBe('true');
    expect(scopeCondition(catalog, workspaces, ws)).toBe(`id = '${ws}'::uuid`);
    expect(scopeCondition(catalog, companies, ws)).toBe(`workspace_id = '${ws}'::uuid`);
    expect(scopeCondition(catalog, users, ws)).toBe(
      `("id") IN (SELECT "user_id" FROM "workspace_members" WHERE workspace_id = '${ws}'::uuid)`,
    );
    expect(scopeCondition(catalog, limits, ws)).toBeNull();
    expect(() => scopeCondition(catalog, companies, "x' OR true --")).toThrow();
  });
});

describe('backup: configuration and retention', () => {
  const base = { NODE_ENV: 'test' };

  it('schedules nightly backups on the embedded database and none on PostgreSQL by default', () => {
    expect(loadConfig(base).backupSchedule).toBe(DEFAULT_BACKUP_SCHEDULE);
    expect(loadConfig(base).backupKeep).toBe(7);
    expect(
      loadConfig({ ...base, DATABASE_URL: 'postgres://sen@localhost/sen' }).backupSchedule,
    ).toBeNull();
    expect(
      loadConfig({
        ...base,
        DATABASE_URL: 'postgres://sen@localhost/sen',
        SEN_BACKUP_SCHEDULE: '30 18 * * 0',
      }).backupSchedule,
    ).toBe('30 18 * * 0');
    expect(loadConfig({ ...base, SEN_BACKUP_SCHEDULE: 'off' }).backupSchedule).toBeNull();
    expect(loadConfig({ ...base, SEN_BACKUP_SCHEDULE: '' }).backupSchedule).toBeNull();
    expect(loadConfig({ ...base, SEN_BACKUP_KEEP: '30' }).backupKeep).toBe(30);
    expect(() => loadConfig({ ...base, SEN_BACKUP_SCHEDULE: 'nightly' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SEN_BACKUP_KEEP: '0' })).toThrow(ConfigError);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-backup-unit-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names scheduled backups by UTC time and keeps the newest N, nothing else touched', async () => {
    expect(scheduledName(new Date('2026-12-07T19:00:05.123Z'))).toBe('sen-20261207T190005Z.zip');
    const names = [1, 2, 3, 4, 5].map((d) => scheduledName(new Date(Date.UTC(2026, 0, d, 19))));
    for (const n of [...names].reverse()) fs.writeFileSync(path.join(dir, n), n);
    fs.writeFileSync(path.join(dir, 'before-upgrade.zip'), 'mine');
    const removed = await pruneBackups(dir, 2);
    expect(removed).toEqual(names.slice(0, 3));
    expect(fs.readdirSync(dir).sort()).toEqual(['before-upgrade.zip', ...names.slice(3)].sort());
  });
});
