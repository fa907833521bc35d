import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { actorOf } from '../../http/request.js';
import { errorResponses } from '../../http/schemas.js';
import { vietnameseBanks } from './company-profile.banks.js';
import {
  banksView,
  companyProfileBody,
  companyProfileView,
  logoQuery,
} from './company-profile.schemas.js';
import * as service from './company-profile.service.js';
import { LOGO_MAX_BYTES } from './company-profile.table.js';

const badUpload = {
  vi: 'Tệp tải lên không đọc được: cần đúng một phần "file" trong nội dung multipart/form-data hoàn chỉnh.',
  en: 'The upload cannot be read: send exactly one "file" part in a complete multipart/form-data body.',
};

/** The logo is served as an image only, never as a page of ours. */
const IMAGE_CSP = "default-src 'none'; sandbox";

/** Settings → Thông tin doanh nghiệp: the business profile the PDFs and VietQR use. */
export function companyProfileRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['company-profile'];
  const read = { access: { object: service.COMPANY_PROFILE, action: 'read' } } as const;
  const update = { access: { object: service.COMPANY_PROFILE, action: 'update' } } as const;
  const base = '/settings/company-profile';

  app.get(
    base,
    {
      config: read,
      schema: {
        tags,
        description:
          "The workspace's business profile as quotes, invoices and VietQR use it (defaults until an admin saves it).",
        response: { 200: companyProfileView, ...errorResponses },
      },
    },
    async (request) => service.getProfile(ctx, actorOf(request)),
  );

  app.put(
    base,
    {
      config: update,
      schema: {
        tags,
        body: companyProfileBody,
        description:
          'Set the fields the body names (null or an empty string clears a text field; the others keep their value). The tax code is checked (check digit), the phone stored as E.164, the account holder upper case without diacritics; a bank account needs both its bank and its number.',
        response: { 200: companyProfileView, ...errorResponses },
      },
    },
    async (request) => service.saveProfile(ctx, actorOf(request), request.body),
  );

  // multipart/form-data is accepted by the logo upload only (its own plugin scope).
  void app.register(async (scope) => {
    await scope.register(multipart, {
      // One byte over the limit is enough to know the file is too big (answered 400, not 413).
      limits: { fileSize: LOGO_MAX_BYTES + 1, files: 1, fields: 0, parts: 1, headerPairs: 20 },
      throwFileSizeLimit: false,
    });
    scope.withTypeProvider<ZodTypeProvider>().put(
      `${base}/logo`,
      {
        config: update,
        schema: {
          tags,
          consumes: ['multipart/form-data'],
          description: `The logo: one PNG or JPEG file (sniffed from its bytes) of at most ${LOGO_MAX_BYTES} bytes in a multipart/form-data body; anything else is 400 with a field error on \`file\`.`,
          response: { 200: companyProfileView, ...errorResponses },
        },
      },
      async (request) => {
        if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
        const file = await request.file().catch(() => {
          throw new AppError('BAD_REQUEST', { text: badUpload });
        });
        if (!file) throw new AppError('BAD_REQUEST', { text: badUpload });
        const data = await file.toBuffer().catch(() => {
          throw new AppError('BAD_REQUEST', { text: badUpload });
        });
        return service.saveLogo(ctx, actorOf(request), data, file.file.truncated);
      },
    );
  });

  app.delete(
    `${base}/logo`,
    {
      config: update,
      schema: {
        tags,
        description: 'Remove the logo.',
        response: { 200: companyProfileView, ...errorResponses },
      },
    },
    async (request) => service.deleteLogo(ctx, actorOf(request)),
  );

  app.get(
    `${base}/logo`,
    {
      config: read,
      schema: {
        tags,
        querystring: logoQuery,
        description:
          "The logo image (PNG or JPEG); 404 without one. `v` (from the profile's `logo.url`) only versions the URL for caching.",
        response: { 200: z.any().describe('The image'), ...errorResponses },
      },
      onSend: async (_request, reply, payload) => {
        if (reply.statusCode === 200) void reply.header('content-security-policy', IMAGE_CSP);
        return payload;
      },
    },
    async (request, reply) => {
      const logo = await service.getLogo(ctx, actorOf(request));
      return reply
        .header('content-type', logo.logoType)
        .header('cache-control', 'private, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .send(logo.logo);
    },
  );

  app.get(
    '/settings/banks',
    {
      config: read,
      schema: {
        tags,
        description:
          'Vietnamese banks that receive VietQR transfers (NAPAS BIN, short and full name), for the profile’s bank.',
        response: { 200: banksView, ...errorResponses },
      },
    },
    async () => ({ items: [...vietnameseBanks] }),
  );
}
