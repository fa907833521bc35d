import { sql } from 'drizzle-orm';
import { recordAudit } from '../../core/audit.js';
import { AppError, type LocalisedText } from '../../core/errors.js';
import { authorize, type Actor } from '../../core/permissions.js';
import type { AppContext } from '../../core/context.js';
import type { Tx } from '../../db/database.js';
import { queryRows, uuidArray } from '../../db/sql.js';
import { FieldErrors } from '../records/normalize.js';
import type { PipelineView, StagesInput } from './pipelines.schemas.js';
import type { z } from 'zod';
import type { pipelineCreateBody, pipelinePatchBody } from './pipelines.schemas.js';

const OBJECT = 'pipelines';

const messages = {
  lastPipeline: {
    vi: 'Cần giữ lại ít nhất một quy trình bán hàng.',
    en: 'Keep at least one pipeline.',
  },
  moveToRequired: (n: number): LocalisedText => ({
    vi: `Quy trình này còn ${n} cơ hội: hãy chọn quy trình sẽ nhận chúng.`,
    en: `This pipeline still has ${n} deals: choose the pipeline they move to.`,
  }),
  moveToSelf: {
    vi: 'Hãy chọn một quy trình khác quy trình đang xoá.',
    en: 'Choose a pipeline other than the one being deleted.',
  },
  pipelineNotFound: { vi: 'Không tìm thấy quy trình bán hàng này.', en: 'No such pipeline.' },
  stageNotInPipeline: {
    vi: 'Giai đoạn này không thuộc quy trình đang sửa.',
    en: 'This stage is not one of this pipeline’s stages.',
  },
  stageTwice: { vi: 'Một giai đoạn chỉ được nêu một lần.', en: 'A stage may appear only once.' },
  nameTwice: {
    vi: 'Hai giai đoạn không được trùng tên.',
    en: 'Two stages cannot have the same name.',
  },
  moveRequired: (stage: string, n: number): LocalisedText => ({
    vi: `Giai đoạn "${stage}" còn ${n} cơ hội: hãy chọn giai đoạn sẽ nhận chúng.`,
    en: `Stage "${stage}" still has ${n} deals: choose the stage they move to.`,
  }),
  moveTarget: {
    vi: 'Giai đoạn nhận phải là một giai đoạn còn giữ lại của quy trình này.',
    en: 'Deals can move only to a stage this pipeline keeps.',
  },
  orderIncomplete: {
    vi: 'Thứ tự phải nêu đúng mọi quy trình, mỗi quy trình một lần.',
    en: 'The order must name every pipeline exactly once.',
  },
};

/** The default pipeline of a new workspace, in its language. */
export const defaultPipeline = {
  name: { vi: 'Bán hàng', en: 'Sales' },
  rottingDays: 14,
  stages: [
    { vi: 'Tiếp cận', en: 'Qualification', probability: 10 },
    { vi: 'Tìm hiểu nhu cầu', en: 'Needs analysis', probability: 25 },
    { vi: 'Gửi báo giá', en: 'Proposal sent', probability: 50 },
    { vi: 'Đàm phán', en: 'Negotiation', probability: 75 },
    { vi: 'Chốt hợp đồng', en: 'Commitment', probability: 90 },
  ],
};

/** Create the default pipeline in a new workspace (workspace setup hook). */
export async function createDefaultPipeline(tx: Tx, actor: Actor, locale: 'vi' | 'en') {
  await insertPipeline(tx, actor.workspaceId, {
    name: defaultPipeline.name[locale],
    rottingDays: defaultPipeline.rottingDays,
    stages: defaultPipeline.stages.map((s) => ({ name: s[locale], probability: s.probability })),
  });
}

async function insertPipeline(
  tx: Tx,
  workspaceId: string,
  input: z.infer<typeof pipelineCreateBody>,
): Promise<string> {
  const [p] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO pipelines (workspace_id, name, position, rotting_days)
        VALUES (${workspaceId}, ${input.name}, coalesce((SELECT max(position) + 1 FROM pipelines), 0),
                ${input.rottingDays ?? null})
        RETURNING id`,
  );
  if (!p) throw new Error('pipeline insert returned nothing');
  for (const [i, s] of input.stages.entries()) {
    await tx.execute(
      sql`INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability)
          VALUES (${workspaceId}, ${p.id}, ${s.name}, ${i}, ${s.probability})`,
    );
  }
  return p.id;
}

async function loadPipelines(tx: Tx, ids?: string[]): Promise<PipelineView[]> {
  const rows = await queryRows<{
    id: string;
    name: string;
    position: number;
    rottingDays: number | null;
    stages: PipelineView['stages'];
  }>(
    tx,
    sql`SELECT p.id, p.name, p.position, p.rotting_days AS "rottingDays",
               coalesce((SELECT jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name,
                          'position', s.position, 'probability', s.probability,
                          'dealCount', (SELECT count(*) FROM deals d
                                         WHERE d.stage_id = s.id AND d.deleted_at IS NULL))
                          ORDER BY s.position, s.created_at)
                           FROM pipeline_stages s WHERE s.pipeline_id = p.id), '[]'::jsonb) AS stages
          FROM pipelines p
         WHERE ${ids ? sql`p.id = ANY(${uuidArray(ids)})` : sql`true`}
         ORDER BY p.position, p.created_at`,
  );
  return rows.map((r) => ({
    ...r,
    position: Number(r.position),
    dealCount: r.stages.reduce((n, s) => n + Number(s.dealCount), 0),
  }));
}

async function onePipeline(tx: Tx, id: string): Promise<PipelineView> {
  const [p] = await loadPipelines(tx, [id]);
  if (!p) throw new AppError('NOT_FOUND');
  return p;
}

export async function listPipelines(ctx: AppContext, actor: Actor): Promise<PipelineView[]> {
  authorize(actor, OBJECT, 'read');
  return ctx.db.read(actor, (tx) => loadPipelines(tx));
}

export async function createPipeline(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof pipelineCreateBody>,
): Promise<PipelineView> {
  authorize(actor, OBJECT, 'update');
  checkNames(input.stages);
  return ctx.db.tenant(actor, async (tx) => {
    const id = await insertPipeline(tx, actor.workspaceId, input);
    const view = await onePipeline(tx, id);
    await recordAudit(tx, actor, {
      action: 'create',
      objectType: 'pipeline',
      objectId: id,
      changes: { name: { from: null, to: view.name } },
    });
    return view;
  });
}

export async function updatePipeline(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof pipelinePatchBody>,
): Promise<PipelineView> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const before = await onePipeline(tx, id);
    await tx.execute(
      sql`UPDATE pipelines SET name = ${input.name ?? before.name},
                 rotting_days = ${input.rottingDays === undefined ? before.rottingDays : input.rottingDays},
                 updated_at = now()
           WHERE id = ${id}`,
    );
    const after = await onePipeline(tx, id);
    await recordAudit(tx, actor, {
      action: 'update',
      objectType: 'pipeline',
      objectId: id,
      changes: changesOf(
        { name: before.name, rottingDays: before.rottingDays },
        { name: after.name, rottingDays: after.rottingDays },
      ),
    });
    return after;
  });
}

function changesOf(before: Record<string, unknown>, after: Record<string, unknown>) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => [k, { from: before[k] ?? null, to: after[k] ?? null }]),
  );
}

function checkNames(stages: { name: string }[]): void {
  const errors = new FieldErrors();
  const seen = new Set<string>();
  stages.forEach((s, i) => {
    const key = s.name.trim().toLocaleLowerCase('vi');
    if (seen.has(key)) errors.add(`stages.${i}.name`, messages.nameTwice, 'duplicate');
    seen.add(key);
  });
  errors.throwIfAny();
}

/**
 * Save a pipeline's ordered stages in one go (see stagesBody). Deals of a deleted stage move
 * to the stage `moves` names (recorded in their stage history by the deals trigger); open
 * deals in a stage whose probability changed take the new probability.
 */
export async function saveStages(
  ctx: AppContext,
  actor: Actor,
  pipelineId: string,
  input: StagesInput,
): Promise<PipelineView> {
  authorize(actor, OBJECT, 'update');
  checkNames(input.stages);
  return ctx.db.tenant(actor, async (tx) => {
    const before = await onePipeline(tx, pipelineId);
    const existing = new Map(before.stages.map((s) => [s.id, s]));
    const errors = new FieldErrors();
    const named = new Set<string>();
    input.stages.forEach((s, i) => {
      if (!s.id) return;
      if (!existing.has(s.id))
        errors.add(`stages.${i}.id`, messages.stageNotInPipeline, 'not_found');
      else if (named.has(s.id)) errors.add(`stages.${i}.id`, messages.stageTwice, 'duplicate');
      named.add(s.id);
    });
    const removed = before.stages.filter((s) => !named.has(s.id));
    // Deals in the trash count too (as when a pipeline is deleted): restoring one needs a stage.
    const held = new Map(
      removed.length === 0
        ? []
        : (
            await queryRows<{ stageId: string; n: number }>(
              tx,
              sql`SELECT stage_id AS "stageId", count(*)::int AS n FROM deals
                   WHERE stage_id = ANY(${uuidArray(removed.map((s) => s.id))})
                   GROUP BY stage_id`,
            )
          ).map((r) => [r.stageId, Number(r.n)]),
    );
    for (const s of removed) {
      const target = input.moves?.[s.id];
      const n = held.get(s.id) ?? 0;
      if (n > 0 && !target) {
        errors.add(`moves.${s.id}`, messages.moveRequired(s.name, n), 'required');
      } else if (target && !named.has(target)) {
        errors.add(`moves.${s.id}`, messages.moveTarget, 'invalid');
      }
    }
    errors.throwIfAny();

    // Deals leave the removed stages first (the foreign key keeps them in this pipeline).
    for (const s of removed) {
      const target = input.moves?.[s.id];
      if (target) {
        await tx.execute(
          sql`UPDATE deals SET stage_id = ${target}, updated_at = now(), updated_by = ${actor.userId}
               WHERE stage_id = ${s.id}`,
        );
      }
    }
    if (removed.length > 0) {
      await tx.execute(
        sql`DELETE FROM pipeline_stages WHERE id = ANY(${uuidArray(removed.map((s) => s.id))})`,
      );
    }
    for (const [position, s] of input.stages.entries()) {
      if (s.id) {
        await tx.execute(
          sql`UPDATE pipeline_stages SET name = ${s.name}, position = ${position},
                     probability = ${s.probability}, updated_at = now()
               WHERE id = ${s.id}`,
        );
        if (existing.get(s.id)!.probability !== s.probability) {
          // A derived value: the deals' versions stay (nobody edited them).
          await tx.execute(sql`SELECT set_config('sen.keep_version', 'on', true)`);
          await tx.execute(
            sql`UPDATE deals SET probability = ${s.probability}
                 WHERE stage_id = ${s.id} AND status = 'open'`,
          );
          await tx.execute(sql`SELECT set_config('sen.keep_version', 'off', true)`);
        }
      } else {
        await tx.execute(
          sql`INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability)
              VALUES (${actor.workspaceId}, ${pipelineId}, ${s.name}, ${position}, ${s.probability})`,
        );
      }
    }
    const after = await onePipeline(tx, pipelineId);
    await recordAudit(tx, actor, {
      action: 'update',
      objectType: 'pipeline',
      objectId: pipelineId,
      changes: {
        stages: {
          from: before.stages.map((s) => `${s.name} (${s.probability} %)`).join(' → '),
          to: after.stages.map((s) => `${s.name} (${s.probability} %)`).join(' → '),
        },
      },
    });
    return after;
  });
}

export async function reorderPipelines(
  ctx: AppContext,
  actor: Actor,
  ids: string[],
): Promise<PipelineView[]> {
  authorize(actor, OBJECT, 'update');
  return ctx.db.tenant(actor, async (tx) => {
    const current = await loadPipelines(tx);
    const known = new Set(current.map((p) => p.id));
    if (
      ids.length !== known.size ||
      new Set(ids).size !== ids.length ||
      ids.some((id) => !known.has(id))
    ) {
      const errors = new FieldErrors();
      errors.add('ids', messages.orderIncomplete, 'invalid');
      errors.throwIfAny();
    }
    for (const [position, id] of ids.entries()) {
      await tx.execute(sql`UPDATE pipelines SET position = ${position} WHERE id = ${id}`);
    }
    await recordAudit(tx, actor, {
      action: 'update',
      objectType: 'pipeline',
      objectId: 'order',
      changes: {
        order: {
          from: current.map((p) => p.name).join(', '),
          to: ids.map((id) => current.find((p) => p.id === id)!.name).join(', '),
        },
      },
    });
    return loadPipelines(tx);
  });
}

/** Delete a pipeline; its deals (if any) move to the first stage of `moveTo`. */
export async function deletePipeline(
  ctx: AppContext,
  actor: Actor,
  id: string,
  moveTo: string | undefined,
): Promise<void> {
  authorize(actor, OBJECT, 'update');
  await ctx.db.tenant(actor, async (tx) => {
    const all = await loadPipelines(tx);
    const pipeline = all.find((p) => p.id === id);
    if (!pipeline) throw new AppError('NOT_FOUND');
    const errors = new FieldErrors();
    if (all.length === 1) {
      errors.add('id', messages.lastPipeline, 'last');
      errors.throwIfAny();
    }
    // Deals in the trash count too: restoring one needs a stage to go back to.
    const [{ n }] = (await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM deals WHERE pipeline_id = ${id}`,
    )) as [{ n: number }];
    const target = moveTo ? all.find((p) => p.id === moveTo) : undefined;
    if (moveTo === id) errors.add('moveTo', messages.moveToSelf, 'invalid');
    else if (moveTo && !target) errors.add('moveTo', messages.pipelineNotFound, 'not_found');
    else if (n > 0 && !target) errors.add('moveTo', messages.moveToRequired(n), 'required');
    errors.throwIfAny();
    if (n > 0 && target) {
      const first = target.stages[0]!;
      await tx.execute(
        sql`UPDATE deals SET pipeline_id = ${target.id}, stage_id = ${first.id}, updated_at = now(),
                   updated_by = ${actor.userId}
             WHERE pipeline_id = ${id}`,
      );
    }
    await tx.execute(sql`DELETE FROM pipelines WHERE id = ${id}`);
    await recordAudit(tx, actor, {
      action: 'delete',
      objectType: 'pipeline',
      objectId: id,
      changes: { name: { from: pipeline.name, to: null } },
    });
  });
}
