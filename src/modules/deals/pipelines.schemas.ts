import { z } from 'zod';

const name = z.string().trim().min(1).max(100);
const probability = z.number().int().min(0).max(100);
const rottingDays = z.number().int().min(1).max(365).nullable();

export const stageInput = z.strictObject({
  /** An existing stage of the pipeline (renamed, moved, its probability changed); none: new. */
  id: z.uuid().optional(),
  name,
  probability,
});

export const pipelineCreateBody = z.strictObject({
  name,
  rottingDays: rottingDays.optional(),
  /** In order; at least one. */
  stages: z
    .array(stageInput.omit({ id: true }))
    .min(1)
    .max(30),
});

export const pipelinePatchBody = z.strictObject({
  name: name.optional(),
  rottingDays: rottingDays.optional(),
});

/**
 * The whole ordered list of a pipeline's stages: stages named by id are kept (renamed,
 * reordered, reprobabilised), stages without id are added, stages left out are deleted — their
 * deals move to the stage `moves` names for them (required when they hold deals).
 */
export const stagesBody = z.strictObject({
  stages: z.array(stageInput).min(1).max(30),
  moves: z.record(z.uuid(), z.uuid()).optional(),
});

export const pipelineOrderBody = z.strictObject({ ids: z.array(z.uuid()).min(1).max(100) });

export const pipelineDeleteQuery = z.strictObject({
  /** The pipeline the deleted pipeline's deals move to (into its first stage). */
  moveTo: z.uuid().optional(),
});

export const stageView = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  /** Deals in the stage (open or closed from it). */
  dealCount: z.number().int(),
});

export const pipelineView = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  rottingDays: z.number().int().nullable(),
  dealCount: z.number().int(),
  stages: z.array(stageView),
});
export type PipelineView = z.infer<typeof pipelineView>;
export type StagesInput = z.infer<typeof stagesBody>;
