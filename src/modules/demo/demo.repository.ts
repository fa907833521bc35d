import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { queryOne } from '../../db/sql.js';
import { DEMO_TAG } from './generate.js';

/** The SQL of `sen demo`: finding and removing the rows it wrote (tagged DEMO_TAG). */
const demoTag = sql`ARRAY[${DEMO_TAG}]::text[]`;

export async function hasDemoData(tx: Tx): Promise<boolean> {
  const row = await queryOne<{ found: boolean }>(
    tx,
    sql`SELECT EXISTS (SELECT 1 FROM contacts WHERE tags @> ${demoTag})
            OR EXISTS (SELECT 1 FROM companies WHERE tags @> ${demoTag}) AS found`,
  );
  return row?.found === true;
}

/** Delete the demo rows (links cascade) and the notes on them. */
export async function deleteDemoData(tx: Tx): Promise<void> {
  await tx.execute(sql`DELETE FROM notes n USING contacts c
      WHERE n.record_type = 'contacts' AND n.record_id = c.id AND c.tags @> ${demoTag}`);
  await tx.execute(sql`DELETE FROM notes n USING companies c
      WHERE n.record_type = 'companies' AND n.record_id = c.id AND c.tags @> ${demoTag}`);
  await tx.execute(sql`DELETE FROM contacts WHERE tags @> ${demoTag}`);
  await tx.execute(sql`UPDATE companies SET parent_id = NULL WHERE parent_id IN
      (SELECT id FROM companies WHERE tags @> ${demoTag})`);
  await tx.execute(sql`DELETE FROM companies WHERE tags @> ${demoTag}`);
}
