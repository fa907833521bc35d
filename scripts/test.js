#!/usr/bin/env node
// `npm test`: build, then run every test project and print how many tests ran on each backend.
// Database tests run on BOTH PGlite and PostgreSQL (TEST_DATABASE_URL). Without a reachable
// PostgreSQL this says so loudly, and fails when CI=true.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'test-output');
fs.mkdirSync(outDir, { recursive: true });
const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const extraArgs = process.argv.slice(2);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    return String(err?.message ?? err);
  } finally {
    await client.end().catch(() => {});
  }
}

if (!process.env.SEN_SKIP_BUILD && run('npm', ['run', 'build']) !== 0) {
  console.error('\nBuild failed.');
  process.exit(1);
}

const reachable = await postgresReachable();
const projects = ['unit', 'pglite', 'postgres', 'e2e'];
const summary = [];
let failed = false;

for (const project of projects) {
  if (project === 'postgres' && reachable !== true) {
    const banner = '!'.repeat(78);
    console.error(
      `\n${banner}\n!! PostgreSQL is NOT reachable at ${pgUrl}\n!! (${reachable})\n!! Database tests ran on PGlite only. Set TEST_DATABASE_URL or start PostgreSQL.\n${banner}\n`,
    );
    summary.push({
      project,
      passed: 0,
      failed: 0,
      skipped: 0,
      note: 'NOT RUN: PostgreSQL unreachable',
    });
    if (ci) failed = true;
    continue;
  }
  const report = path.join(outDir, `vitest-${project}.json`);
  fs.rmSync(report, { force: true });
  const status = run(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...extraArgs,
    ],
    { TEST_DATABASE_URL: pgUrl },
  );
  let passed = 0,
    fail = 0,
    skipped = 0;
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    fail = json.numFailedTests;
    skipped = json.numPendingTests + json.numTodoTests;
  }
  if (status !== 0 || fail > 0) failed = true;
  // A skipped test never counts as passing.
  if (skipped > 0) failed = true;
  summary.push({
    project,
    passed,
    failed: fail,
    skipped,
    note: status === 0 ? '' : `exit ${status}`,
  });
}

console.log('\nTest summary');
console.table(summary);
const db = summary.filter((s) => s.project === 'pglite' || s.project === 'postgres');
console.log(`Database tests: ${db.map((s) => `${s.passed} on ${s.project}`).join(', ')}`);
const total = summary.reduce((a, s) => ({ p: a.p + s.passed, f: a.f + s.failed }), { p: 0, f: 0 });
console.log(`${total.p} passed, ${total.f} failed${failed ? ' — FAILED' : ''}`);
process.exit(failed ? 1 : 0);
