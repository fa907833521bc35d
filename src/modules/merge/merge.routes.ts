import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, idParams } from '../../http/schemas.js';
import { recordObjectDefinitions, type RecordObjectDefinition } from '../records/define.js';
import { registerPurgeHook } from '../records/trash.js';
import { getRecordObject } from '../records/registry.js';
import { registerTimelineRelation } from '../timeline/registry.js';
import * as merge from './merge.service.js';
import { mergedInto } from './merge.repository.js';
import * as pairs from './pairs.service.js';
import { forgetPairs } from './pairs.repository.js';

const localised = z.object({ vi: z.string(), en: z.string() });
const evidence = z.object({
  keys: z.array(z.object({ key: z.string(), value: z.string() })),
  nameSimilarity: z.number(),
  sharedLinks: z.array(z.string()),
});
const settingsResponse = z.object({
  /** Per cent (30–100). */
  threshold: z.number().int(),
  scannedAt: z.string().nullable(),
});

let hooked = false;
/**
 * Once per process: a survivor's timeline shows the history of the records merged into it (a
 * timeline relation of every object with itself), and purging a record forgets its pairs.
 */
function registerHooks(): void {
  if (hooked) return;
  hooked = true;
  for (const def of recordObjectDefinitions()) {
    registerTimelineRelation({
      object: def.key,
      relatedObject: def.key,
      load: (tx, _actor, recordId) => {
        const object = getRecordObject(def.key);
        return object ? mergedInto(tx, object, recordId) : Promise.resolve([]);
      },
    });
  }
  registerPurgeHook((tx, _object, ids) => forgetPairs(tx, ids));
}

/** The duplicates and merge routes of one record object. */
function objectMergeRoutes(
  fastify: FastifyInstance,
  ctx: AppContext,
  def: RecordObjectDefinition,
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = [def.key];
  const record = def.schemas.response;
  const read = { access: { object: def.key, action: 'read' as const } };

  app.get(
    `/${def.key}/duplicate-pairs`,
    {
      config: read,
      schema: {
        tags,
        description:
          'Possible duplicates found by the last scan, best first: pairs of live records the ' +
          'caller may both see, with the evidence (declared keys both hold, name similarity, ' +
          'shared links) and both records.',
        querystring: z.strictObject({
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
          dismissed: z
            .enum(['true', 'false'])
            .optional()
            .transform((v) => v === 'true'),
        }),
        response: {
          200: settingsResponse.extend({
            items: z.array(
              z.object({
                score: z.number(),
                evidence,
                dismissed: z.boolean(),
                records: z.array(record).describe('The two records of the pair.'),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => pairs.listDuplicatePairs(ctx, actorOf(request), def, request.query),
  );

  app.post(
    `/${def.key}/duplicate-pairs/scan`,
    {
      config: read,
      schema: {
        tags,
        description:
          'Find the possible duplicates among all live records now (declared exact keys and ' +
          'fuzzy names above the workspace threshold); dismissed pairs stay dismissed.',
        response: {
          200: z.object({ pairs: z.number().int(), scannedAt: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => pairs.scanDuplicatePairs(ctx, actorOf(request), def),
  );

  app.post(
    `/${def.key}/duplicate-pairs/dismiss`,
    {
      config: read,
      schema: {
        tags,
        description: 'Mark two records "not duplicates" (or, with dismissed=false, undo that).',
        body: z.strictObject({
          recordIds: z.tuple([z.uuid(), z.uuid()]),
          dismissed: z.boolean().default(true),
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await pairs.dismissDuplicatePair(
        ctx,
        actorOf(request),
        def,
        request.body.recordIds,
        request.body.dismissed,
      );
      return reply.status(204).send(null);
    },
  );

  app.put(
    `/${def.key}/duplicate-settings`,
    {
      config: { access: { object: 'workspace', action: 'update' } },
      schema: {
        tags,
        description:
          'How alike (in per cent, 30–100: pg_trgm similarity × 100) two names must be for a ' +
          'pair by name, in this workspace.',
        body: z.strictObject({ threshold: z.number().int().min(30).max(100) }),
        response: { 200: settingsResponse, ...errorResponses },
      },
    },
    async (request) =>
      pairs.updateDuplicateSettings(ctx, actorOf(request), def, request.body.threshold),
  );

  app.get(
    `/${def.key}/merge-preview`,
    {
      config: read,
      schema: {
        tags,
        description:
          'Records side by side for a merge, and the fields whose value the survivor can take ' +
          'from any of them.',
        querystring: z.strictObject({
          ids: z
            .string()
            .max(400)
            .transform((s) => s.split(','))
            .pipe(z.array(z.uuid()).min(2).max(merge.MAX_MERGE)),
        }),
        response: {
          200: z.object({
            records: z.array(record),
            fields: z.array(z.object({ key: z.string(), label: localised, type: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => merge.mergePreview(ctx, actorOf(request), def, request.query.ids),
  );

  app.post(
    `/${def.key}/merge`,
    {
      config: { access: { object: def.key, action: 'update' } },
      schema: {
        tags,
        description:
          'Merge records into one (update on the survivor, delete on the merged ones): the ' +
          'survivor takes the chosen values, every related thing moves to it, the merged ' +
          'records go to the trash. Undo: POST /merges/:id/undo.',
        body: z.strictObject({
          survivorId: z.uuid(),
          mergedIds: z
            .array(z.uuid())
            .min(1)
            .max(merge.MAX_MERGE - 1),
          values: z.record(z.string().max(100), z.uuid()).default({}),
        }),
        response: {
          200: z.object({ mergeId: z.uuid(), record }),
          ...errorResponses,
        },
      },
    },
    async (request) => merge.mergeRecords(ctx, actorOf(request), def, request.body),
  );

  app.get(
    `/${def.key}/:id/merges`,
    {
      config: read,
      schema: {
        tags,
        params: idParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.uuid(),
                mergedIds: z.array(z.uuid()),
                createdAt: z.string(),
                undone: z.boolean(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => merge.listMerges(ctx, actorOf(request), def, request.params.id),
  );
}

export function mergeRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  registerHooks();
  for (const def of recordObjectDefinitions()) objectMergeRoutes(fastify, ctx, def);
  fastify.withTypeProvider<ZodTypeProvider>().post(
    '/merges/:id/undo',
    {
      config: { access: 'member' },
      schema: {
        tags: ['records'],
        description:
          'Undo a merge while its survivor is unchanged and the merged records are still in ' +
          'the trash (409 otherwise): the merged records come back with their things.',
        params: idParams,
        response: {
          200: z.object({
            object: z.string(),
            survivorId: z.uuid(),
            restoredIds: z.array(z.uuid()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => merge.undoMerge(ctx, actorOf(request), request.params.id),
  );
}
