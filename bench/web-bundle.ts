/**
 * The web bundle benchmark (issue #17), part of `npm run bench` (or alone: `npm run bench -- web`).
 *
 * Builds the web app with Vite (web/vite.config.ts, into a temporary folder, with its build
 * manifest) and measures the initial JavaScript of the first page a person lands on: the entry
 * chunk and the chunks it imports statically, plus the route's own lazy chunks (the router loads
 * them before it shows the page) and the chunks those import statically. Chunks loaded later
 * (other pages, the other language) do not count. Sizes are gzip (zlib's default level, as Vite
 * reports them).
 *
 * Pages: the sign-in page (`/sign-in`, a signed-out visitor) and the home page of a signed-in user
 * (`/`: the app layout and the home page). Baseline, in the same run: every JavaScript chunk of
 * the build together, which is what the app weighed as one bundle before it was split.
 *
 * Goal: each page's initial JavaScript ≤ 250 kB gzip (1 kB = 1,000 bytes, as Vite prints).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { build, type Manifest } from 'vite';
import { fmt, formatTable } from './stats.js';

export const GOAL_KB = 250;

const root = path.resolve(import.meta.dirname, '..');
const webRoot = path.join(root, 'web');

/** The pages measured, with the route modules the router loads for them (web/src/routes.tsx). */
export const PAGES: { label: string; modules: string[] }[] = [
  { label: 'sign-in page (/sign-in)', modules: ['src/pages/auth/SignInPage.tsx'] },
  {
    label: 'home, signed in (/)',
    modules: ['src/layout/AppLayout.tsx', 'src/pages/HomePage.tsx'],
  },
];

class WebBenchError extends Error {}

export interface PageWeight {
  files: string[];
  raw: number;
  gzip: number;
}

/** The JS files a page loads first: the entry's and the route modules' static import closure. */
export function initialFiles(manifest: Manifest, modules: readonly string[]): string[] {
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
  if (entries.length !== 1) {
    throw new WebBenchError(`expected one entry chunk in the manifest, found ${entries.length}`);
  }
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new WebBenchError(`${key} is not in the build manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entries[0]![0]);
  for (const m of modules) {
    const chunk = manifest[m];
    if (!chunk?.isDynamicEntry) {
      throw new WebBenchError(
        `${m} is not a lazy chunk of its own in the build: is its route still lazy (web/src/routes.tsx)?`,
      );
    }
    visit(m);
  }
  return [...files].filter((f) => f.endsWith('.js'));
}

function weigh(outDir: string, files: readonly string[]): PageWeight {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(outDir, f));
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes).length;
  }
  return { files: [...files], raw, gzip };
}

const kb = (bytes: number) => fmt(bytes / 1000, 1);

/** Builds the web app, prints the table; true when every page meets the goal. */
export async function runWebBundleBench(): Promise<boolean> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sen-bench-web-'));
  try {
    await build({
      configFile: path.join(webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, manifest: true },
    });
    const manifest = JSON.parse(
      fs.readFileSync(path.join(outDir, '.vite', 'manifest.json'), 'utf8'),
    ) as Manifest;
    const allJs = [...new Set(Object.values(manifest).map((c) => c.file))].filter((f) =>
      f.endsWith('.js'),
    );
    const all = weigh(outDir, allJs);

    console.log('Sen benchmark: web bundle, initial JavaScript of the first page (issue #17)');
    console.log(
      `  build       vite build (web/vite.config.ts), ${allJs.length} JavaScript chunks; ` +
        'gzip at zlib’s default level',
    );
    console.log('');

    let met = true;
    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const page of PAGES) {
      const w = weigh(outDir, initialFiles(manifest, page.modules));
      const ok = w.gzip <= GOAL_KB * 1000;
      met &&= ok;
      rows.push([
        page.label,
        String(w.files.length),
        kb(w.raw),
        kb(w.gzip),
        `${fmt((100 * w.gzip) / all.gzip, 1)} %`,
      ]);
      verdicts.push(
        `  ${page.label.padEnd(26)} ${kb(w.gzip).padStart(6)} kB  ${ok ? 'met' : 'NOT met'}`,
      );
    }
    rows.push([
      'all chunks (one bundle) ¹',
      String(allJs.length),
      kb(all.raw),
      kb(all.gzip),
      '100.0 %',
    ]);
    console.log(formatTable(['page', 'JS files', 'raw kB', 'gzip kB', '% of one bundle'], rows));
    console.log(
      '¹ every JavaScript chunk of the same build: what the first page loaded before the routes ' +
        'were split.',
    );
    console.log('');
    console.log(`Goal (initial JavaScript ≤ ${GOAL_KB} kB gzip): ${met ? 'met' : 'NOT met'}`);
    for (const v of verdicts) console.log(v);
    return met;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
