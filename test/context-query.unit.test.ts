import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { queryWithPrelude, type Prelude } from '../src/db/context-query.js';

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
