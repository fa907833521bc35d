import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../../lib/paths.js';

/**
 * What a backup file holds (docs/ARCHITECTURE.md, "Backup and restore"):
 *
 * - `manifest.json` (this schema; written last, read first);
 * - `tables/<table>.ndjson`: one line per row, a JSON array of the columns' values as
 *   PostgreSQL's text (the same text on PGlite and PostgreSQL: no JS Date or number in between),
 *   null for NULL; the tables in foreign-key order;
 * - `files.ndjson`: one line per file, `{"path","bytes","sha256"}`;
 * - `files/<area>/<workspace id>/<id>`: the files themselves (attachments, import uploads).
 */
export const BACKUP_FORMAT = 'sen-backup';
/** Raised when a reader of an older format could not read the new one. */
export const BACKUP_FORMAT_VERSION = 1;

export const MANIFEST_ENTRY = 'manifest.json';
export const FILES_ENTRY = 'files.ndjson';
export const tableEntry = (table: string) => `tables/${table}.ndjson`;
export const fileEntry = (relativePath: string) => `files/${relativePath}`;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().min(0);
export const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/);

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int().min(1),
  senVersion: z.string(),
  createdAt: z.string(),
  source: z.object({ backend: z.enum(['pglite', 'postgres']), server: z.string() }),
  /** The schema the rows fit: how many migrations were applied, and the last one. */
  schema: z.object({ migrations: count, last: z.string(), when: z.number().int() }),
  scope: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('instance') }),
    z.object({ kind: z.literal('workspace'), workspaceId: z.uuid(), workspaceName: z.string() }),
  ]),
  tables: z.array(
    z.object({
      name: identifier,
      columns: z.array(z.object({ name: identifier, type: z.string() })),
      rows: count,
      bytes: count,
      sha256,
    }),
  ),
  files: z.object({
    count,
    bytes: count,
    /** The digest of files.ndjson. */
    sha256,
    /** Attachments whose file was not on disk when the backup was made. */
    missing: z.array(z.string()),
  }),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const fileLineSchema = z.object({ path: z.string(), bytes: count, sha256 });

export const senVersion: string = (
  JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
