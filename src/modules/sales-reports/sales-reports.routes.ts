import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../core/context.js';
import { actorOf } from '../../http/request.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import {
  salesReport,
  salesReportExportQuery,
  salesReportQuery,
  targetBody,
  targetsQuery,
  targetsView,
} from './sales-reports.schemas.js';
import { exportFiles } from '../records/export-writers.js';
import { reportFileName, writeReportTable } from './sales-reports.export.js';
import * as service from './sales-reports.service.js';
import * as targets from './targets.service.js';

export function salesReportsRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];

  app.get(
    '/reports/sales',
    {
      config: { access: { object: 'deals', action: 'read' } },
      schema: {
        tags,
        querystring: salesReportQuery,
        description:
          "Forecast and sales figures of a period (month, quarter, year; weeks start on Monday; the workspace's time zone), optionally of one pipeline, owner or team: only the deals and leads the caller may see count.",
        response: { 200: salesReport, ...errorResponses },
      },
    },
    async (request) => service.salesReport(ctx, actorOf(request), request.query),
  );

  app.get(
    '/reports/sales/export',
    {
      config: { access: { object: 'deals', action: 'export' } },
      schema: {
        tags,
        querystring: salesReportExportQuery,
        description:
          'One table of the sales report (the same filters) as a CSV (UTF-8 with BOM) or Excel file.',
      },
    },
    async (request, reply) => {
      const { table, format, ...query } = request.query;
      const report = await service.salesReport(ctx, actorOf(request), query);
      const body = new PassThrough();
      writeReportTable(report, table, format, request.locale, body).catch((err: unknown) => {
        request.log.error({ err }, 'report export failed');
        body.destroy(err instanceof Error ? err : new Error(String(err)));
      });
      return reply
        .header('content-type', exportFiles[format].contentType)
        .header(
          'content-disposition',
          `attachment; filename="${reportFileName(report, table, format)}"`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );

  app.get(
    '/sales-targets',
    {
      config: { access: { object: 'sales_targets', action: 'read' } },
      schema: {
        tags,
        querystring: targetsQuery,
        response: { 200: targetsView, ...errorResponses },
      },
    },
    async (request) => targets.listTargets(ctx, actorOf(request), request.query.year),
  );

  app.put(
    '/sales-targets',
    {
      config: { access: { object: 'sales_targets', action: 'update' } },
      schema: {
        tags,
        body: targetBody,
        description: "Set one member's revenue target for one month (null removes it).",
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await targets.setTarget(ctx, actorOf(request), request.body);
      return reply.status(204).send(null);
    },
  );
}
