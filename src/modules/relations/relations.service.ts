import { redact } from '../records/field-access.js';
import { sql, type SQL } from 'drizzle-orm';
import { auditChange } from '../../core/audit.js';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { authorize, can, type Actor } from '../../core/permissions.js';
import { scopeCondition } from '../../core/scope.js';
import type { Tx } from '../../db/database.js';
import { loadAccessibleRecord } from '../records/access.js';
import { recordObjectDefinition } from '../records/define.js';
import { FieldResolver, listPage, type ListParams } from '../records/list.js';
import { invalid } from '../records/normalize.js';
import { getRecordObject, type RecordObject } from '../records/registry.js';
import type { Relation } from './define.js';
import * as repo from './relations.repository.js';

/**
 * The generic service of every declared relation (define.ts): list, link, unlink and the
 * related panel, with the rules of define.ts (permissions, primary link, audit on `from`).
 */

function objectOf(key: string): RecordObject {
  const object = getRecordObject(key);
  if (!object) throw new Error(`unknown record object ${key}`);
  return object;
}

/** The `to` records the caller may see, as a condition on `t` (null: none at all). */
function targetScope(actor: Actor, target: RecordObject): SQL | undefined | null {
  if (!can(actor, target.key, 'read')) return null;
  const owner = sql`${sql.identifier('t')}.${sql.identifier(target.columns.ownerId.name)}`;
  return scopeCondition(actor, target.key, owner) ?? undefined;
}

async function presented(tx: Tx, actor: Actor, rel: Relation, fromId: string) {
  const target = objectOf(rel.to.object);
  const scope = targetScope(actor, target);
  return { items: scope === null ? [] : await repo.presentedLinks(tx, rel, target, fromId, scope) };
}

export async function listLinks(ctx: AppContext, actor: Actor, rel: Relation, fromId: string) {
  authorize(actor, rel.from.object, 'read');
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, rel.from.object, fromId, 'read');
    return presented(tx, actor, rel, fromId);
  });
}

/**
 * Link a `from` record to a `to` record, or change the link's attributes: attributes not sent
 * keep their value (a new link: `initial`); the first link is the primary one.
 */
export async function link(
  ctx: AppContext,
  actor: Actor,
  rel: Relation,
  fromId: string,
  input: Record<string, unknown>,
) {
  authorize(actor, rel.from.object, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    await linkIn(tx, actor, rel, fromId, input);
    return presented(tx, actor, rel, fromId);
  });
}

/** link() inside the caller's transaction (an import row links a contact to its company). */
export async function linkIn(
  tx: Tx,
  actor: Actor,
  rel: Relation,
  fromId: string,
  input: Record<string, unknown>,
): Promise<void> {
  authorize(actor, rel.from.object, 'update');
  const toId = input[rel.to.idField] as string;
  await loadAccessibleRecord(tx, actor, rel.from.object, fromId, 'update');
  try {
    await loadAccessibleRecord(tx, actor, rel.to.object, toId, 'read');
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      throw invalid(rel.to.idField, rel.to.notFound, 'not_found');
    }
    throw err;
  }
  const before = await repo.linksOf(tx, rel, fromId);
  const existing = before.find((l) => l[rel.to.idField] === toId);
  const values: Record<string, unknown> = {};
  for (const a of rel.attributes) {
    const sent = input[a.key];
    values[a.key] =
      sent !== undefined
        ? a.normalize
          ? (a.normalize as (v: unknown) => unknown)(sent)
          : sent
        : existing
          ? existing[a.key]
          : (a.initial ?? null);
  }
  let primary: boolean | null = null;
  if (rel.primary) {
    const field = rel.primary.field;
    primary =
      (input[field] as boolean | undefined) ??
      (existing?.[field] as boolean | undefined) ??
      !before.some((l) => l[field] === true);
  }
  await repo.upsertLink(tx, rel, {
    workspaceId: actor.workspaceId,
    fromId,
    toId,
    values,
    primary,
  });
  await linksChanged(tx, actor, rel, fromId, before);
}

export async function unlink(
  ctx: AppContext,
  actor: Actor,
  rel: Relation,
  fromId: string,
  toId: string,
): Promise<void> {
  authorize(actor, rel.from.object, 'update');
  await ctx.db.tenant(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, rel.from.object, fromId, 'update');
    const before = await repo.linksOf(tx, rel, fromId);
    if (!(await repo.deleteLink(tx, rel, fromId, toId))) throw new AppError('NOT_FOUND');
    await linksChanged(tx, actor, rel, fromId, before);
  });
}

/**
 * After a link was added, changed or removed: one link stays primary, the `from` record counts
 * as updated (updated_at/by), and the audit log records its links before → after.
 */
async function linksChanged(
  tx: Tx,
  actor: Actor,
  rel: Relation,
  fromId: string,
  before: repo.LinkSnapshot[],
): Promise<void> {
  await repo.ensurePrimaryLink(tx, rel, objectOf(rel.to.object), fromId);
  await repo.touchRecord(tx, objectOf(rel.from.object), fromId, actor.userId);
  const after = await repo.linksOf(tx, rel, fromId);
  const field = rel.from.segment;
  await auditChange(tx, actor, rel.from.object, fromId, { [field]: before }, { [field]: after });
}

/**
 * The related panel of a `to` record: the `from` records linked to it, paged, filtered and
 * sorted like their list (the `from` object's visibility scope applies), each presented as in
 * its list with the link's attributes.
 */
export async function relatedRecords(
  ctx: AppContext,
  actor: Actor,
  rel: Relation,
  toId: string,
  params: ListParams,
) {
  authorize(actor, rel.from.object, 'read');
  const def = recordObjectDefinition(rel.from.object);
  if (!def) throw new Error(`unknown record object ${rel.from.object}`);
  const { kind } = def;
  const source = objectOf(rel.from.object);
  return ctx.db.read(actor, async (tx) => {
    await loadAccessibleRecord(tx, actor, rel.to.object, toId, 'read');
    const page = await listPage<{ id: string; relationLink: Record<string, unknown> | null }>(
      tx,
      actor,
      new FieldResolver(rel.from.object),
      { ...params, trash: false },
      sql`${kind.columns(actor)}, ${repo.linkValues(rel, source, toId)} AS "relationLink"`,
      repo.linkedTo(rel, source, toId),
    );
    const items = page.rows.map((row) => {
      const link = row.relationLink ?? {};
      const values: Record<string, unknown> = {};
      for (const a of rel.attributes) values[a.key] = link[a.key] ?? null;
      if (rel.primary) values[rel.primary.field] = link[rel.primary.field] ?? false;
      return {
        ...redact(actor, kind.key, kind.present(row) as Record<string, unknown>),
        ...values,
      };
    });
    return { items, nextCursor: page.nextCursor };
  });
}
