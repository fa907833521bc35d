import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { AppContext } from '../../core/context.js';
import { recordAudit } from '../../core/audit.js';
import { loadRecords } from '../records/kinds.js';
import { loadAccessibleRecord } from '../records/access.js';
import type { RecordObjectDefinition } from '../records/define.js';
import { getRecordObject, type RecordObject } from '../records/registry.js';
import { relationsOf, type RelationEnd } from '../relations/registry.js';
import type { PairEvidence } from './merge.table.js';
import * as repo from './pairs.repository.js';

export function objectOf(def: RecordObjectDefinition): RecordObject {
  const object = getRecordObject(def.key);
  if (!object) throw new AppError('NOT_FOUND');
  return object;
}

export interface PairView {
  score: number;
  evidence: PairEvidence;
  dismissed: boolean;
  records: Record<string, unknown>[];
}

const CURSOR = /^(\d{1,4}):([0-9a-f-]{36}):([0-9a-f-]{36})$/;

function decodeCursor(raw: string | undefined): { score: number; a: string; b: string } | null {
  if (!raw) return null;
  const m = CURSOR.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m?.[1] || !m[2] || !m[3]) {
    throw new AppError('VALIDATION_FAILED', {
      details: {
        fields: [{ path: 'cursor', message: 'Invalid cursor', reason: 'invalid_cursor' }],
      },
    });
  }
  return { score: Number(m[1]), a: m[2], b: m[3] };
}

const encodeCursor = (p: { score: number; record_a: string; record_b: string }) =>
  Buffer.from(`${p.score}:${p.record_a}:${p.record_b}`, 'utf8').toString('base64url');

/**
 * GET /:object/duplicate-pairs: the last scan's pairs, best first, keyset-paged, of two live
 * records the caller may both see; with both records as the object presents them.
 */
export async function listDuplicatePairs(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
  q: { cursor?: string | undefined; limit: number; dismissed?: boolean | undefined },
): Promise<{
  items: PairView[];
  nextCursor: string | null;
  threshold: number;
  scannedAt: string | null;
}> {
  authorize(actor, def.key, 'read');
  const object = objectOf(def);
  const after = decodeCursor(q.cursor);
  const ownerCol = object.columns.ownerId.name;
  const scope = scopeCondition(actor, def.key, sql`x`)
    ? (alias: SQL) =>
        scopeCondition(actor, def.key, sql`${alias}.${sql.identifier(ownerCol)}`) ?? sql`true`
    : null;
  return ctx.db.read(actor, async (tx) => {
    const settings = await repo.loadSettings(tx, def.key);
    const rows = await repo.listPairs(tx, object, {
      scope,
      dismissed: q.dismissed ?? false,
      after,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const ids = [...new Set(page.flatMap((p) => [p.record_a, p.record_b]))];
    const records = await loadRecords<Record<string, unknown>>(tx, actor, def.kind, ids);
    const byId = new Map(records.map((r) => [r.id as string, r]));
    const last = page.at(-1);
    return {
      items: page.flatMap((p) => {
        const a = byId.get(p.record_a);
        const b = byId.get(p.record_b);
        if (!a || !b) return [];
        return [
          {
            score: p.score / 1000,
            evidence: p.evidence,
            dismissed: p.dismissed,
            records: [a, b],
          },
        ];
      }),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
      threshold: Math.round(settings.threshold * 100),
      scannedAt: settings.scanned_at,
    };
  });
}

/** The object's rule for pairs by name (define.ts: fuzzyDuplicates). */
function fuzzyOf(def: RecordObjectDefinition): { sameLink: RelationEnd | null } | false {
  if (def.fuzzyDuplicates === false) return false;
  const key = def.fuzzyDuplicates?.sameLink;
  if (!key) return { sameLink: null };
  const end = relationsOf(def.key).find((e) => e.relation.key === key);
  if (!end) throw new Error(`${def.key}: fuzzyDuplicates.sameLink names no relation ${key}`);
  return { sameLink: end };
}

/**
 * POST /:object/duplicate-pairs/scan: compute the object's pairs in the caller's workspace now
 * (every record, whatever the caller's scope: the list shows each caller only theirs).
 */
export async function scanDuplicatePairs(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
): Promise<{ pairs: number; scannedAt: string | null }> {
  authorize(actor, def.key, 'read');
  const object = objectOf(def);
  const { threshold } = await ctx.db.read(actor, (tx) => repo.loadSettings(tx, def.key));
  const pairs = await ctx.db.system((tx) =>
    repo.scanPairs(tx, object, {
      workspaceId: actor.workspaceId,
      keys: def.duplicateKeys ?? [],
      relations: relationsOf(def.key),
      fuzzy: fuzzyOf(def),
      threshold,
    }),
  );
  // Fresh statistics for the list's plan (as the connecting user: ANALYZE needs the owner).
  await ctx.db.executeSql('ANALYZE duplicate_pairs');
  const settings = await ctx.db.tenant(actor, async (tx) => {
    await repo.saveSettings(tx, {
      workspaceId: actor.workspaceId,
      object: def.key,
      scanned: true,
    });
    return repo.loadSettings(tx, def.key);
  });
  return { pairs, scannedAt: settings.scanned_at };
}

/** The two ids of a pair in the stored order, both readable by the caller. */
async function pairOf(
  tx: Parameters<typeof loadAccessibleRecord>[0],
  actor: Actor,
  def: RecordObjectDefinition,
  ids: [string, string],
): Promise<[string, string]> {
  const [x, y] = ids.map((id) => id.toLowerCase()) as [string, string];
  if (x === y) {
    throw new AppError('VALIDATION_FAILED', {
      details: { fields: [{ path: 'recordIds', message: 'Two different records' }] },
    });
  }
  for (const id of [x, y]) await loadAccessibleRecord(tx, actor, def.key, id, 'read');
  return x < y ? [x, y] : [y, x];
}

/** POST /:object/duplicate-pairs/dismiss: "not duplicates", remembered through later scans. */
export async function dismissDuplicatePair(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
  recordIds: [string, string],
  dismissed: boolean,
): Promise<void> {
  authorize(actor, def.key, 'read');
  await ctx.db.tenant(actor, async (tx) => {
    const [a, b] = await pairOf(tx, actor, def, recordIds);
    if (dismissed) {
      await repo.dismissPair(tx, {
        workspaceId: actor.workspaceId,
        object: def.key,
        a,
        b,
        userId: actor.userId,
      });
    } else if (!(await repo.restorePair(tx, { object: def.key, a, b }))) {
      throw new AppError('NOT_FOUND');
    }
    await recordAudit(tx, actor, {
      action: dismissed ? 'dismiss_duplicate' : 'undismiss_duplicate',
      objectType: def.key,
      objectId: a,
      changes: { duplicateOf: { from: null, to: b } },
    });
  });
}

/** PUT /:object/duplicate-settings: the fuzzy threshold in per cent (workspace settings). */
export async function updateDuplicateSettings(
  ctx: AppContext,
  actor: Actor,
  def: RecordObjectDefinition,
  percent: number,
): Promise<{ threshold: number; scannedAt: string | null }> {
  authorize(actor, 'workspace', 'update');
  const threshold = percent / 100;
  return ctx.db.tenant(actor, async (tx) => {
    const before = await repo.loadSettings(tx, def.key);
    await repo.saveSettings(tx, { workspaceId: actor.workspaceId, object: def.key, threshold });
    const after = await repo.loadSettings(tx, def.key);
    await recordAudit(tx, actor, {
      action: 'update',
      objectType: 'duplicate_settings',
      objectId: actor.workspaceId,
      changes: { [`${def.key}.threshold`]: { from: before.threshold, to: after.threshold } },
    });
    return { threshold: Math.round(after.threshold * 100), scannedAt: after.scanned_at };
  });
}
