/* eslint-disable */
import pg from 'pg';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/lib/logger.js';
import { startServer } from '../src/server.js';

const DUR = Number(process.env.DUR ?? 5);
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query('DROP DATABASE IF EXISTS sen_dbg WITH (FORCE)');
await admin.query('CREATE DATABASE sen_dbg');
const dbUrl = 'postgres://postgres@127.0.0.1:5432/sen_dbg';
const config = loadConfig({ DATABASE_URL: dbUrl, PORT: '0', HOST: '127.0.0.1', SEN_JOBS: 'false', LOG_LEVEL: 'warn' });
const sen = await startServer(config, createLogger('warn'));
const r = await fetch(`${sen.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspaceName: 'W', name: 'A', email: 'a@example.com', password: 'correct horse battery staple', locale: 'vi' }) });
const tok = r.headers.getSetCookie()[0]!.split(';')[0]!;
const s = await (await fetch(`${sen.url}/api/v1/auth/session`, { headers: { cookie: tok } })).json() as any;
const t = await (await fetch(`${sen.url}/api/v1/teams`, { method: 'POST', headers: { cookie: tok, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'T', memberIds: [s.user.id] }) })).json() as any;
const senUrl = `${sen.url}/api/v1/teams/${t.id}`;

// capture Sen's DB traffic for one request
const proto = pg.Client.prototype as any;
const orig = proto.query;
const seq: { text: string; values?: unknown[] }[] = [];
proto.query = function (...a: any[]) { const q = a[0]; seq.push({ text: typeof q === 'string' ? q : q.text, values: Array.isArray(a[1]) ? a[1] : q.values }); return orig.apply(this, a); };
await fetch(senUrl, { headers: { cookie: tok } });
proto.query = orig;
for (const q of seq) console.log('Q', q.text.replace(/\s+/g, ' ').slice(0, 300), JSON.stringify(q.values));

const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
const TEAM_SQL = 'SELECT id, name, ARRAY(SELECT user_id FROM team_members WHERE team_id = teams.id) AS member_ids FROM teams WHERE id = $1';
const bare = Fastify();
bare.get('/one/:id', async (req: any) => { const { rows } = await pool.query(TEAM_SQL, [req.params.id]); return rows[0]; });
// Sen's exact DB traffic, raw pg
const tx1 = seq.slice(0, 3), tx2 = seq.slice(3, 6);
async function runTx(qs: typeof seq) { const c = await pool.connect(); try { let last; for (const q of qs) last = await c.query(q.text, q.values); return last; } finally { c.release(); } }
bare.get('/six/:id', async () => { await runTx(tx1); const r = await runTx(tx2); return (r as any).rows[0]; });
// one tx, 4 RT: BEGIN+prelude(system), session q, prelude(app) q via SET LOCAL, team q, COMMIT
bare.get('/two/:id', async () => { await pool.query(seq[1]!.text, seq[1]!.values as any); const r = await pool.query(seq[4]!.text, seq[4]!.values as any); return r.rows[0]; });
bare.get('/nodb', async () => ({ status: 'ok' }));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

async function bench(name: string, url: string, headers: Record<string, string> = {}) {
  await autocannon({ url, headers, connections: 20, duration: 2, workers: 1 } as any);
  const res: any = await autocannon({ url, headers, connections: 20, duration: DUR, workers: 1 } as any);
  console.log(name.padEnd(40), String(Math.round(res.requests.total / res.duration)).padStart(7), 'req/s  p50', res.latency.p50, 'non2xx', res.non2xx);
}
const only = process.env.ONLY?.split(',');
const cases: [string, string, Record<string, string>?][] = [
  ['bare nodb', `${bareUrl}/nodb`],
  ['sen /health/live (no db, no auth)', `${sen.url}/health/live`],
  ['bare 1 RT', `${bareUrl}/one/${t.id}`],
  ['bare 2 RT (session q + team q, no tx)', `${bareUrl}/two/${t.id}`],
  ['bare 6 RT (Sen exact DB traffic)', `${bareUrl}/six/${t.id}`],
  ['sen cookie', senUrl, { cookie: tok }],
];
for (const [n, u, h] of cases) if (!only || only.some((o) => n.includes(o))) await bench(n, u, h);
await bare.close(); await pool.end();
await new Promise((r) => setTimeout(r, 500));
await sen.close();
await admin.query('DROP DATABASE IF EXISTS sen_dbg WITH (FORCE)');
await admin.end();
