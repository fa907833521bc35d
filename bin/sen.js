#!/usr/bin/env -S node --max-semi-space-size=64 --max-old-space-size=256
// The `sen` command. Runs the compiled server (npm install builds it via the prepare script).
// --max-semi-space-size=64 (MB): a larger young generation means far fewer scavenges per request
// (each list page allocates ~1 MB of rows and JSON); measured on the records bench: list p50
// 3.7 → 2.8 ms, p95 7.4 → 5.7 ms. --max-old-space-size=256 (MB): V8 otherwise lets garbage pile up
// in the old generation long before collecting it (an 80,000-row import peaked at 203 MB of heap
// that a full GC brought back to 45 MB; RSS 335 → 278 MB with the cap, no slower). `npm start`
// and `npm run bench` pass the same flags.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/server/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('Sen is not built yet. Run `npm run build` (npm install does it for you).');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
