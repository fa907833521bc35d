import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../core/context.js';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import type { PermissionObject } from '../../core/permissions.js';
import { registerTimelineProvider, targetMatch } from '../timeline/registry.js';
import { hostedFormRoutes, publicFormRoutes } from './lead-forms.public.js';
import * as repo from './lead-forms.repository.js';
import { leadFormsRoutes } from './lead-forms.routes.js';
import { PERMISSION } from './lead-forms.service.js';

/**
 * Who keeps the lead capture forms: admins, managers and marketing (who run the lead funnel);
 * nobody else sees them (a form's submissions are on its records' timelines for the others).
 */
export const leadFormsPermission: PermissionObject = {
  key: PERMISSION,
  actions: ['read', 'create', 'update', 'delete'],
  scoped: false,
  defaults: {
    manager: { read: true, create: true, update: true, delete: true },
    marketing: { read: true, create: true, update: true, delete: true },
  },
};

/**
 * A form's submission on the timeline of the record it became or joined (a new lead, an open
 * lead, a contact): the form's name, what became of it and the answers in words.
 */
registerTimelineProvider({
  type: 'form_submission',
  sql: (targets) => sql`
    SELECT s.submitted_at AS occurred_at, 'form_submission:' || s.id AS id,
           'form_submission'::text AS type, NULL::uuid AS actor_id, f.name AS actor_name,
           s.record_type, s.record_id,
           jsonb_build_object('formId', f.id, 'formName', f.name, 'outcome', s.outcome,
                              'values', s.values, 'utmSource', s.utm_source,
                              'utmMedium', s.utm_medium, 'utmCampaign', s.utm_campaign,
                              'referrer', s.referrer, 'landingPage', s.landing_page) AS data
      FROM form_submissions s JOIN lead_forms f ON f.id = s.form_id
     WHERE ${targetMatch(sql`s.record_type`, sql`s.record_id`, targets)}`,
});

/** Rate-limit windows older than 10 minutes (a window is one minute) are deleted. */
export const rateWindowsCleanupJob = defineJob({
  name: 'lead-forms.rate-windows-cleanup',
  payload: z.object({}),
  schedule: '*/10 * * * *',
  handler: async (_payload, { db, logger }) => {
    const n = await db.system((tx) =>
      repo.deleteWindowsBefore(tx, new Date(Date.now() - 10 * 60_000)),
    );
    if (n > 0) logger.info({ windows: n }, 'old form rate-limit windows deleted');
  },
});

/** The lead capture forms module's entry in src/modules/index.ts. */
export const leadFormsModule = {
  name: 'lead-forms',
  permissionObjects: [leadFormsPermission],
  routes: (app: FastifyInstance, ctx: AppContext) => {
    leadFormsRoutes(app, ctx);
    publicFormRoutes(app, ctx);
  },
  pages: hostedFormRoutes,
  jobs: [rateWindowsCleanupJob] as unknown as JobDefinition<never>[],
};
