import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantPolicies, workspaceId } from '../../db/schema/common.js';
import { workspaces } from '../../db/schema/index.js';

/**
 * Duplicates and merge (#18): docs/ARCHITECTURE.md, "Duplicates and merge".
 *
 * Per workspace and record object: the fuzzy-name threshold an admin tunes and when the pairs
 * were last computed.
 */
export const duplicateSettings = pgTable(
  'duplicate_settings',
  {
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    /** pg_trgm similarity of two names from which a pair is a possible duplicate. */
    threshold: real('threshold').notNull().default(0.6),
    scannedAt: timestamp('scanned_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'duplicate_settings_pkey', columns: [t.workspaceId, t.object] }),
    foreignKey({
      name: 'duplicate_settings_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    check('duplicate_settings_threshold_range', sql`threshold >= 0.3 AND threshold <= 1`),
    ...tenantPolicies(),
  ],
);

export interface PairEvidence {
  /** Declared exact keys both records hold: the key and the (normalised) value. */
  keys: { key: string; value: string }[];
  /** pg_trgm similarity of the two records' folded names (0..1). */
  nameSimilarity: number;
  /** Relations (by key) through which both records link the same record (same company…). */
  sharedLinks: string[];
}

/**
 * Possible duplicates found by the last scan of an object (record_a < record_b). A dismissed
 * pair ("not duplicates") stays, with who dismissed it, through later scans.
 */
export const duplicatePairs = pgTable(
  'duplicate_pairs',
  {
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    recordA: uuid('record_a').notNull(),
    recordB: uuid('record_b').notNull(),
    /** Per mille (0..1000): an integer, so it is an exact keyset cursor. */
    score: integer('score').notNull(),
    evidence: jsonb('evidence').$type<PairEvidence>().notNull(),
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
    dismissedBy: uuid('dismissed_by'),
  },
  (t) => [
    primaryKey({
      name: 'duplicate_pairs_pkey',
      columns: [t.workspaceId, t.object, t.recordA, t.recordB],
    }),
    foreignKey({
      name: 'duplicate_pairs_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    check('duplicate_pairs_ordered', sql`record_a < record_b`),
    index('duplicate_pairs_rank_idx').on(
      t.workspaceId,
      t.object,
      t.score.desc(),
      t.recordA,
      t.recordB,
    ),
    index('duplicate_pairs_record_b_idx').on(t.workspaceId, t.recordB),
    ...tenantPolicies(),
  ],
);

export interface MergeMoved {
  /** Rows of child tables (notes, attachments) re-pointed from a merged record (`from`). */
  children: { table: string; rows: { id: string; from: string }[] }[];
  /**
   * Per relation end: its link rows naming a merged record as they were (re-pointed or dropped
   * as colliding), and the other records the survivor was linked to by the merge.
   */
  links: {
    relation: string;
    side: 'from' | 'to';
    rows: Record<string, unknown>[];
    added: string[];
  }[];
  /** Declared references (mergeRefs) re-pointed: table.column → ids of the rows. */
  refs: { table: string; column: string; rows: { id: string; from: string }[] }[];
  /** Saved views whose filters named a merged record, as they were. */
  views: { id: string; definition: unknown }[];
  /** The unique custom values of the survivor and the merged records, as they were. */
  uniqueValues: Record<string, unknown>[];
  /** The merged records' rows before the merge (to_jsonb), written back by the undo. */
  mergedBefore: Record<string, Record<string, unknown>>;
}

/** One merge, with what its undo needs. */
export const recordMerges = pgTable(
  'record_merges',
  {
    id: id(),
    workspaceId: workspaceId(),
    object: text('object').notNull(),
    survivorId: uuid('survivor_id').notNull(),
    mergedIds: uuid('merged_ids').array().notNull(),
    /** The survivor's row before the merge (to_jsonb of the whole row). */
    survivorBefore: jsonb('survivor_before').$type<Record<string, unknown>>().notNull(),
    /** The survivor's updated_at right after the merge: an undo requires it unchanged. */
    survivorUpdatedAt: timestamp('survivor_updated_at', { withTimezone: true }).notNull(),
    moved: jsonb('moved').$type<MergeMoved>().notNull(),
    mergedBy: uuid('merged_by'),
    createdAt: createdAt(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: uuid('undone_by'),
  },
  (t) => [
    foreignKey({
      name: 'record_merges_workspace_fk',
      columns: [t.workspaceId],
      foreignColumns: [workspaces.id],
    }).onDelete('cascade'),
    index('record_merges_survivor_idx').on(t.workspaceId, t.object, t.survivorId),
    index('record_merges_merged_idx').using('gin', t.mergedIds),
    ...tenantPolicies(),
  ],
);

export type RecordMergeRow = typeof recordMerges.$inferSelect;
