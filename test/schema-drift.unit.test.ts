import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/lib/paths.js';

/** The Drizzle schema and the migrations in the repo must agree (like a CI schema check). */
describe('schema drift', () => {
  it('drizzle-kit finds nothing to generate', () => {
    // drizzle-kit resolves `out` relative to the project, so the copy lives inside it.
    fs.mkdirSync(path.join(packageRoot, '.sen-test'), { recursive: true });
    const tmp = fs.mkdtempSync(path.join(packageRoot, '.sen-test', 'drift-'));
    fs.cpSync(path.join(packageRoot, 'migrations'), tmp, { recursive: true });
    const out = execFileSync('npx', ['drizzle-kit', 'generate'], {
      cwd: packageRoot,
      env: { ...process.env, SEN_MIGRATIONS_OUT: `./${path.relative(packageRoot, tmp)}` },
      encoding: 'utf8',
    });
    const before = fs.readdirSync(path.join(packageRoot, 'migrations')).sort();
    const after = fs.readdirSync(tmp).sort();
    expect(out).toMatch(/No schema changes/);
    expect(after).toEqual(before);
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);
});
