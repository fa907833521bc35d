import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { PgliteDatabase, PostgresDatabase, openPglite } from '../../src/db/database.js';
import {
  PG_TEMPLATE,
  adminQuery,
  databaseUrl,
  ensureTestDir,
  pgliteTemplatePath,
} from './backends.js';

/**
 * Migrate once into a template; each test file then gets its own copy (fast and isolated).
 */
export default async function setup(project: TestProject): Promise<void> {
  ensureTestDir();
  if (project.name === 'pglite') {
    const client = await openPglite({});
    const db = new PgliteDatabase(client);
    await db.migrate();
    const dump = await client.dumpDataDir('gzip');
    fs.writeFileSync(pgliteTemplatePath, Buffer.from(await dump.arrayBuffer()));
    await db.close();
    return;
  }
  await adminQuery(`DROP DATABASE IF EXISTS ${PG_TEMPLATE} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${PG_TEMPLATE}`);
  const db = PostgresDatabase.open(databaseUrl(PG_TEMPLATE), 2);
  await db.migrate();
  await db.close();
}
