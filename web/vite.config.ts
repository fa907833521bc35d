import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import postcssPresetMantine from 'postcss-preset-mantine';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The API server Vite proxies to (`SEN_API_URL` to use another port). */
const api = process.env.SEN_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [react()],
  css: { postcss: { plugins: [postcssPresetMantine()] } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // .vite/manifest.json: which chunks each page loads (the web bundle benchmark reads it).
    manifest: true,
    chunkSizeWarningLimit: 1500,
    // Chunks: Rolldown's default (a chunk per set of pages sharing modules; each route is lazy,
    // routes.tsx), except for the modules the entry imports statically: every page loads those
    // first anyway, and by default they were cut into a chunk per set of pages that also import
    // them (9 files for the entry); one chunk is fewer requests and less gzip overhead (measured:
    // sign-in 220.8 → 217.7 kB in 24 → 19 files, home 246.0 → 242.7 kB in 37 → 32 files, the
    // contacts kanban 59 → 54 files). A vendor group (React, the router, i18next, TanStack
    // Query) was measured and made the first page 4 kB gzip larger (it carries the whole of each
    // library), so none.
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'index', tags: ['$initial'] }] } },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': api, '/health': api },
  },
});
