#!/usr/bin/env node
// `npm run fuzz`: the OpenAPI guard (test/guard.db.test.ts) with many more property runs and a
// new seed each time (or SEN_FUZZ_SEED to replay one). Prints the seed first.
import { spawnSync } from 'node:child_process';

const seed = process.env.SEN_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.SEN_FUZZ_RUNS ?? '200';
const backend = process.env.SEN_FUZZ_BACKEND ?? 'pglite';
console.log(`fuzz: seed ${seed}, ${runs} runs per operation and caller, on ${backend}`);
console.log(`replay: SEN_FUZZ_SEED=${seed} SEN_FUZZ_RUNS=${runs} npm run fuzz`);
const r = spawnSync(
  'npx',
  ['vitest', 'run', '--project', backend, 'test/guard.db.test.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, SEN_FUZZ_SEED: seed, SEN_FUZZ_RUNS: runs },
  },
);
process.exit(r.status ?? 1);
