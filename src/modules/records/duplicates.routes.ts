import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import type { RecordObjectDefinition } from './define.js';
import { findDuplicates } from './duplicates.js';

const duplicatesResponse = z.object({
  items: z.array(
    z.object({
      key: z.string(),
      value: z.string(),
      records: z.array(z.object({ id: z.uuid(), name: z.string() })),
      outsideScope: z.boolean(),
    }),
  ),
});

/**
 * POST /:object/duplicates: which of the typed values (by declared duplicate key) other live
 * records already hold. A POST because the values (phones, emails) do not belong in a URL.
 */
export function duplicatesRoutes(
  fastify: FastifyInstance,
  ctx: AppContext,
  def: RecordObjectDefinition,
): void {
  const keys = def.duplicateKeys ?? [];
  if (keys.length === 0) return;
  const values = z.array(z.string().max(320)).max(20).optional();
  const body = z.strictObject({
    values: z.strictObject(Object.fromEntries(keys.map((k) => [k.key, values]))),
    /** The record being edited: it does not count as its own duplicate. */
    excludeId: z.uuid().optional(),
  });
  fastify.withTypeProvider<ZodTypeProvider>().post(
    `/${def.key}/duplicates`,
    {
      config: { access: { object: def.key, action: 'read' } },
      schema: {
        tags: [def.key],
        description:
          'Live records that already hold one of the values (by the keys the object declares: ' +
          `${keys.map((k) => k.key).join(', ')}). Names only of records the caller may see.`,
        body,
        response: { 200: duplicatesResponse, ...errorResponses },
      },
    },
    async (request) =>
      findDuplicates(
        ctx,
        actorOf(request),
        def,
        request.body as Parameters<typeof findDuplicates>[3],
      ),
  );
}
