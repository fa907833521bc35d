import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/schemas.js';
import { getProvince, listProvinces, searchUnits, wardsOf } from '../../lib/vn/admin-units.js';
import { invalid, messages } from './normalize.js';

/**
 * Vietnam's administrative units (after the July 2025 reform) for address pickers: any signed-in
 * user may read them; searching ignores diacritics ("hoan kiem" finds Phường Hoàn Kiếm).
 */
const province = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  fullName: z.string(),
  type: z.string(),
});

const ward = z.object({
  code: z.string(),
  name: z.string(),
  fullName: z.string(),
  type: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
});

export function vnRoutes(fastify: FastifyInstance): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['vn'];

  app.get(
    '/vn/provinces',
    {
      config: { access: 'member' },
      schema: {
        tags,
        querystring: z.strictObject({ q: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(province) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query.q?.trim();
      const items = q
        ? searchUnits(q, { level: 'province', limit: 34 }).flatMap((m) => {
            const p = getProvince(m.code);
            return p ? [p] : [];
          })
        : listProvinces();
      return { items: items.map((p) => ({ ...p })) };
    },
  );

  app.get(
    '/vn/wards',
    {
      config: { access: 'member' },
      schema: {
        tags,
        querystring: z.strictObject({
          provinceCode: z.string().max(10).optional(),
          q: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        response: { 200: z.object({ items: z.array(ward) }), ...errorResponses },
      },
    },
    async (request) => {
      const { provinceCode, limit } = request.query;
      const q = request.query.q?.trim();
      const p = provinceCode ? getProvince(provinceCode) : null;
      if (provinceCode && !p)
        throw invalid('provinceCode', messages.unknownProvince, 'unknown_province');
      if (q) {
        const matches = searchUnits(q, {
          level: 'ward',
          limit: limit ?? 20,
          ...(provinceCode ? { provinceCode } : {}),
        });
        return {
          items: matches.map((m) => ({
            code: m.code,
            name: m.name,
            fullName: m.fullName,
            type: m.type,
            provinceCode: m.provinceCode,
            provinceName: m.provinceName,
          })),
        };
      }
      if (!p) {
        throw invalid(
          'provinceCode',
          { vi: 'Cần chọn tỉnh/thành phố.', en: 'Choose a province.' },
          'required',
        );
      }
      const wards = wardsOf(p.code);
      return {
        items: (limit ? wards.slice(0, limit) : wards).map((w) => ({
          code: w.code,
          name: w.name,
          fullName: w.fullName,
          type: w.type,
          provinceCode: w.provinceCode,
          provinceName: p.fullName,
        })),
      };
    },
  );
}
