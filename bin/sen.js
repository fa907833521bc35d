#!/usr/bin/env node
// The `sen` command. Runs the compiled server (npm install builds it via the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/server/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('Sen is not built yet. Run `npm run build` (npm install does it for you).');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
