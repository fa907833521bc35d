import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { PgliteDatabase, PostgresDatabase, openPglite } from '../../src/db/database.js';
import {
  adminQuery,
  databaseUrl,
  ensureTestDir,
  pgTemplate,
  pgliteTemplatePath,
} from './backends.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testRunId: string;
  }
}

/**
 * Migrate once into a template; each test file then gets its own copy (fast and isolated).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureTestDir();
  const runId = randomUUID().replaceAll('-', '').slice(0, 12);
  project.provide('testRunId', runId);
  if (project.name === 'pglite') {
    const client = await openPglite({});
    const db = new PgliteDatabase(client);
    await db.migrate();
    const dump = await client.dumpDataDir('gzip');
    const file = pgliteTemplatePath(runId);
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await db.close();
    return async () => fs.rmSync(file, { force: true });
  }
  const template = pgTemplate(runId);
  await adminQuery(`CREATE DATABASE ${template}`);
  const db = PostgresDatabase.open(databaseUrl(template), 2);
  await db.migrate();
  await db.close();
  return () => adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
}
