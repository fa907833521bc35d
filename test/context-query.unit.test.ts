import fs from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  PG_VERSION,
  assertPgVersion,
  installedPgVersion,
  queryWithPrelude,
  type Prelude,
} from '../src/db/context-query.js';

/**
 * The wire discipline of queryWithPrelude, against a fake pg connection that records which
 * protocol messages reach the socket (corked writes count once uncorked, unless destroyed).
 * The real exchange with PostgreSQL is covered by the database tests (rls, principal-cache).
 */
function fakeConnection(opts: { failParseOf?: string } = {}) {
  const wire: string[] = [];
  let pending: string[] = [];
  let corked = 0;
  let destroyed = false;
  const connection = {
    parsedStatements: {} as Record<string, string>,
    submittedNamedStatements: {} as Record<string, string>,
    stream: {
      cork: () => void corked++,
      uncork: () => {
        if (--corked === 0 && !destroyed) wire.push(...pending.splice(0));
      },
      destroy: () => {
        destroyed = true;
        pending = [];
      },
    },
    parse: (m: { name?: string; text: string }) => {
      if (m.text === opts.failParseOf) throw new Error('cannot serialise');
      pending.push(`Parse:${m.name ?? ''}`);
    },
    bind: (m: { statement?: string }) => void pending.push(`Bind:${m.statement ?? ''}`),
    describe: () => void pending.push('Describe'),
    execute: () => void pending.push('Execute'),
    sync: () => void pending.push('Sync'),
    close: (m: { name: string }) => void pending.push(`Close:${m.name}`),
    flush: () => void pending.push('Flush'),
    query: () => void pending.push('Query'),
  };
  type Submitted = {
    submit(c: typeof connection): Error | null;
    handleError(e: Error, c: typeof connection): void;
  };
  let last: Submitted | null = null;
  const client = {
    query(q: Submitted) {
      last = q;
      const err = q.submit(connection);
      if (err) q.handleError(err, connection);
    },
  } as unknown as pg.ClientBase;
  return {
    client,
    wire,
    isDestroyed: () => destroyed,
    // The server's answer to the last batch: the prelude's row, then the statement's row.
    answer(preludeValue: string, value: string) {
      const q = last as unknown as {
        handleDataRow(m: { fields: string[] }): void;
        handleCommandComplete(m: { text: string }, c: unknown): void;
        handleRowDescription(m: { fields: unknown[] }): void;
        handleReadyForQuery(c: unknown): void;
      };
      q.handleDataRow({ fields: [preludeValue] });
      q.handleCommandComplete({ text: 'SELECT 1' }, connection);
      q.handleRowDescription({
        fields: [{ name: 'v', dataTypeID: 25, format: 'text', tableID: 0, columnID: 0 }],
      });
      q.handleDataRow({ fields: [value] });
      q.handleCommandComplete({ text: 'SELECT 1' }, connection);
      q.handleReadyForQuery(connection);
    },
  };
}

const prelude = (onValue?: (v: string | null) => void): Prelude => ({
  name: 'ctx',
  text: `SELECT set_config('x', $1, true)`,
  values: ['w'],
  ...(onValue ? { onValue } : {}),
});

describe('queryWithPrelude', () => {
  it('writes prelude and statement with one Sync, prepares the prelude once per connection', async () => {
    const fake = fakeConnection();
    const seen: (string | null)[] = [];
    // The prelude bound and executed, then pg's own messages for the statement, then ONE Sync.
    const pair = ['Bind:ctx', 'Execute', 'Parse:', 'Bind:', 'Describe', 'Execute', 'Sync'];
    const first = queryWithPrelude(
      fake.client,
      { text: 'SELECT $1::text AS v' },
      ['a'],
      prelude((v) => seen.push(v)),
    );
    expect(fake.wire).toEqual(['Close:ctx', 'Parse:ctx', ...pair]);
    fake.answer('from prelude', 'a');
    const result = await first;
    expect(result.rows).toEqual([{ v: 'a' }]); // the prelude's row is not part of the result
    expect(seen).toEqual(['from prelude']);

    fake.wire.length = 0;
    const second = queryWithPrelude(fake.client, { text: 'SELECT 2' }, undefined, prelude());
    expect(fake.wire).toEqual(pair);
    fake.answer('again', 'b');
    expect((await second).rows).toEqual([{ v: 'b' }]);
  });

  it('drops the connection, writing nothing, when the statement cannot be written after its prelude', async () => {
    const fake = fakeConnection({ failParseOf: 'SELECT broken' });
    const failed = queryWithPrelude(fake.client, { text: 'SELECT broken' }, [], prelude());
    await expect(failed).rejects.toThrow('cannot serialise');
    expect(fake.isDestroyed()).toBe(true);
    expect(fake.wire).toEqual([]); // no prelude without its Sync ever reaches the server
  });

  it('refuses, writing nothing, what pg itself would refuse', async () => {
    const fake = fakeConnection();
    const refused = queryWithPrelude(
      fake.client,
      { text: 'SELECT 1', values: 'not an array' as unknown as unknown[] },
      undefined,
      prelude(),
    );
    await expect(refused).rejects.toThrow('Query values must be an array');
    expect(fake.wire).toEqual([]);
    expect(fake.isDestroyed()).toBe(false);
  });
});

/**
 * queryWithPrelude writes through pg's private state. The tests above use a fake connection, so
 * they would pass against any pg: these fail loudly, naming what moved, when the installed pg is
 * not the one the code was written against or lacks what it uses.
 */
describe("pg's private state used by context-query.ts", () => {
  it('is pinned: package.json, package-lock.json and node_modules all hold PG_VERSION', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
    };
    expect(pkg.dependencies.pg, 'package.json must pin pg exactly').toBe(PG_VERSION);
    expect(lock.packages['']?.dependencies?.pg).toBe(PG_VERSION);
    expect(lock.packages['node_modules/pg']?.version).toBe(PG_VERSION);
    expect(installedPgVersion()).toBe(PG_VERSION);
    expect(() => assertPgVersion()).not.toThrow();
  });

  it('start-up refuses another pg version, naming both', () => {
    expect(() => assertPgVersion('8.99.0')).toThrow(
      `Sen needs pg ${PG_VERSION} exactly (src/db/context-query.ts relies on its private state), but found pg 8.99.0`,
    );
  });

  it('a real pg Connection has the fields and methods queryWithPrelude writes to', () => {
    const connection = (new pg.Client() as unknown as { connection: Record<string, unknown> })
      .connection;
    expect(connection.parsedStatements, 'Connection.parsedStatements').toEqual({});
    expect(connection.submittedNamedStatements, 'Connection.submittedNamedStatements').toEqual({});
    for (const method of ['parse', 'bind', 'describe', 'execute', 'close', 'sync', 'flush']) {
      expect(typeof connection[method], `Connection.${method}()`).toBe('function');
    }
    const stream = connection.stream as Record<string, unknown>;
    for (const method of ['cork', 'uncork', 'destroy']) {
      expect(typeof stream[method], `Connection.stream.${method}()`).toBe('function');
    }
    const query = pg.Query.prototype as unknown as Record<string, unknown>;
    for (const method of [
      'submit',
      'handleRowDescription',
      'handleDataRow',
      'handleCommandComplete',
      'handleError',
      'handleReadyForQuery',
    ]) {
      expect(typeof query[method], `Query.prototype.${method}()`).toBe('function');
    }
    const utils = (pg as unknown as { utils?: { prepareValue?: unknown } }).utils;
    expect(typeof utils?.prepareValue, 'pg.utils.prepareValue()').toBe('function');
  });

  it("pg's Query writes a named statement as queryWithPrelude expects, on a real Connection", () => {
    const connection = (new pg.Client() as unknown as { connection: Record<string, unknown> })
      .connection;
    const wire: string[] = [];
    Object.assign(connection, {
      stream: { cork() {}, uncork() {}, destroy() {} },
      parse: (m: { name?: string }) => void wire.push(`Parse:${m.name ?? ''}`),
      bind: (m: { statement?: string }) => void wire.push(`Bind:${m.statement ?? ''}`),
      describe: () => void wire.push('Describe'),
      execute: () => void wire.push('Execute'),
      sync: () => void wire.push('Sync'),
    });
    const query = new pg.Query({ name: 'q', text: 'SELECT $1::int', values: [1] }) as unknown as {
      submit(c: unknown): Error | null;
    };
    expect(query.submit(connection)).toBeNull();
    // The one Sync at the end, which queryWithPrelude's prelude shares.
    expect(wire).toEqual(['Parse:q', 'Bind:q', 'Describe', 'Execute', 'Sync']);
    // pg remembers a named statement it sent here until the server answers (refusal() reads it).
    expect(connection.submittedNamedStatements).toEqual({ q: 'SELECT $1::int' });
  });
});
