import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import {
  errorResponse,
  errorResponses,
  idParams,
  iso,
  isoDate,
  isoOrNull,
} from '../../http/schemas.js';
import { eInvoiceAdapters } from './einvoice.registry.js';
import { settingsInputSchema } from './einvoice.schemas.js';
import * as service from './einvoice.service.js';
import { submissionStatuses } from './einvoice.table.js';

const both = z.object({ vi: z.string(), en: z.string() });

const providerView = z.object({
  key: z.string(),
  name: both,
  docs: z.string(),
  defaultBaseUrl: z.string(),
});

const settingsView = z.object({
  provider: z.string(),
  providerName: both,
  baseUrl: z.string(),
  username: z.string(),
  hasPassword: z.boolean(),
  supplierTaxCode: z.string(),
  templateCode: z.string(),
  series: z.string(),
  enabled: z.boolean(),
  updatedAt: isoDate,
});

export const submissionView = z.object({
  id: z.uuid(),
  object: z.literal('invoices'),
  recordId: z.uuid(),
  provider: z.string(),
  transactionId: z.string(),
  status: z.enum(submissionStatuses),
  attempts: z.number().int(),
  templateCode: z.string().nullable(),
  series: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  lookupCode: z.string().nullable(),
  taxAuthorityCode: z.string().nullable(),
  providerStatus: z.string().nullable(),
  issuedAt: isoDate.nullable(),
  cancelledAt: isoDate.nullable(),
  cancelReason: z.string().nullable(),
  errorCode: z.string().nullable(),
  errorText: z.string().nullable(),
  updatedAt: isoDate,
});

/** What a call to the provider may answer besides the usual errors. */
export const providerErrors = {
  422: errorResponse,
  502: errorResponse,
  504: errorResponse,
} as const;

const presentSettings = (s: service.PresentedSettings) => ({ ...s, updatedAt: iso(s.updatedAt) });
export const presentSubmission = (s: service.PresentedSubmission) => ({
  ...s,
  issuedAt: isoOrNull(s.issuedAt),
  cancelledAt: isoOrNull(s.cancelledAt),
  updatedAt: iso(s.updatedAt),
});

/**
 * The workspace's e-invoice provider (Settings → Hóa đơn điện tử) and the legal e-invoice of a
 * Sen invoice (`:id` is the invoice's id): its submission, a status refresh, cancel, and the
 * signed XML or PDF. Issuing is the invoices object's (it builds the document); docs/einvoice.md.
 */
export function einvoiceRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['einvoice'];
  const access = (action: 'read' | 'create' | 'update' | 'delete') => ({
    access: { object: service.PERMISSION, action },
  });

  app.get(
    '/einvoice/providers',
    {
      config: access('update'),
      schema: {
        tags,
        description:
          'The e-invoice providers Sen has an adapter for, with their API documentation.',
        response: { 200: z.object({ items: z.array(providerView) }), ...errorResponses },
      },
    },
    async () => ({
      items: eInvoiceAdapters().map((a) => ({
        key: a.key,
        name: a.name,
        docs: a.docs,
        defaultBaseUrl: a.defaultBaseUrl,
      })),
    }),
  );

  app.get(
    '/einvoice/settings',
    {
      config: access('update'),
      schema: {
        tags,
        description:
          "The workspace's e-invoice provider settings (null before they are set). The password is never returned: hasPassword says one is stored.",
        response: { 200: z.object({ settings: settingsView.nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const settings = await service.getEInvoiceSettings(ctx, actorOf(request));
      return { settings: settings && presentSettings(settings) };
    },
  );

  app.put(
    '/einvoice/settings',
    {
      config: access('update'),
      schema: {
        tags,
        description:
          'Set the provider (a key from /einvoice/providers), its API base URL (public addresses only unless SEN_OUTBOUND_ALLOW names it), the account, the supplier tax code, template code (mẫu số) and series (ký hiệu). The password is stored encrypted; leave it out to keep the stored one.',
        body: settingsInputSchema.strict(),
        response: { 200: settingsView, ...errorResponses, 422: errorResponse, 503: errorResponse },
      },
    },
    async (request) =>
      presentSettings(await service.saveEInvoiceSettings(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/einvoice/invoices/:id',
    {
      config: access('read'),
      schema: {
        tags,
        params: idParams,
        description:
          "The legal e-invoice submission of a Sen invoice: status, the provider's number and lookup code, the last error. 404 before it is submitted.",
        response: { 200: submissionView, ...errorResponses },
      },
    },
    async (request) => {
      const s = await service.getEInvoiceSubmission(ctx, actorOf(request), request.params.id);
      if (!s) return notSubmitted();
      return presentSubmission(s);
    },
  );

  app.post(
    '/einvoice/invoices/:id/status',
    {
      config: access('read'),
      schema: {
        tags,
        params: idParams,
        description:
          'Ask the provider for the e-invoice’s state now (issued, cancelled, replaced, adjusted).',
        response: { 200: submissionView, ...errorResponses, ...providerErrors },
      },
    },
    async (request) =>
      presentSubmission(
        await service.refreshEInvoiceStatus(ctx, actorOf(request), request.params.id),
      ),
  );

  app.post(
    '/einvoice/invoices/:id/cancel',
    {
      config: access('delete'),
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(1).max(500) }),
        description: 'Cancel (hủy) the issued e-invoice at the provider, with the reason.',
        response: { 200: submissionView, ...errorResponses, ...providerErrors },
      },
    },
    async (request) =>
      presentSubmission(
        await service.cancelEInvoice(ctx, actorOf(request), request.params.id, request.body.reason),
      ),
  );

  app.get(
    '/einvoice/invoices/:id/document',
    {
      config: access('read'),
      schema: {
        tags,
        params: idParams,
        querystring: z.strictObject({ kind: z.enum(['xml', 'pdf']) }),
        description: 'The signed XML or the PDF of the e-invoice, fetched from the provider.',
        response: {
          200: z.any().describe('The file (as an attachment)'),
          ...errorResponses,
          ...providerErrors,
        },
      },
    },
    async (request, reply) => {
      const file = await service.fetchEInvoiceDocument(
        ctx,
        actorOf(request),
        request.params.id,
        request.query.kind,
      );
      const name = file.fileName.replace(/[^\w.-]/g, '_');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.data);
    },
  );
}

function notSubmitted(): never {
  throw service.notSubmittedError();
}
