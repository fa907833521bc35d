import type { FastifyInstance } from 'fastify';
import type { JobDefinition } from '../core/jobs.js';
import { registerPermissionObject, type PermissionObject } from '../core/permissions.js';
import type { AppContext } from '../core/context.js';
import { registerWorkspaceSetup, type WorkspaceSetup } from '../core/workspace-setup.js';
import { activitiesModule } from './activities/activities.module.js';
import { dealsModule } from './deals/deals.module.js';
import { salesReportsModule } from './sales-reports/sales-reports.module.js';
import { leadFormsModule } from './lead-forms/lead-forms.module.js';
import { priceListsModule } from './price-lists/price-lists.module.js';
import { numberingModule } from './numbering/numbering.module.js';
import { companyProfileModule } from './company-profile/company-profile.module.js';
import { stockModule } from './stock/stock.module.js';
import { quotesModule } from './quotes/quotes.module.js';
import { ordersModule } from './orders/orders.module.js';
import { invoicesModule } from './invoices/invoices.module.js';
import { paymentsModule } from './payments/payments.module.js';
import { receivablesModule } from './receivables/receivables.module.js';
import { einvoiceModule } from './einvoice/einvoice.module.js';
import { lineItemsRoutes } from './line-items/line-items.routes.js';
import { apiKeysRoutes } from './api-keys/api-keys.routes.js';
import { assignmentRoutes } from './assignment/assignment.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authJobs } from './auth/auth.jobs.js';
import { authRoutes } from './auth/auth.routes.js';
import { backupJobs } from './backup/backup.jobs.js';
import { customFieldsRoutes } from './custom-fields/custom-fields.routes.js';
import { fieldOptionsRoutes } from './field-options/field-options.routes.js';
import { membersRoutes } from './members/members.routes.js';
import { mergeRoutes } from './merge/merge.routes.js';
import { attachmentsJobs } from './notes/attachments.jobs.js';
import { attachmentsRoutes } from './notes/attachments.routes.js';
import { notesRoutes } from './notes/notes.routes.js';
import { notificationsRoutes } from './notifications/notifications.routes.js';
import { companiesObject } from './companies/companies.object.js';
import { contactsObject } from './contacts/contacts.object.js';
import { registerRecordObjectDefinition, type RecordObjectDefinition } from './records/define.js';
import { recordPermissionObjects } from './records/objects.js';
import { productsObject } from './products/products.object.js';
import { leadsModule } from './leads/leads.module.js';
import { scoringModule } from './scoring/scoring.module.js';
import { bulkRoutes } from './bulk/bulk.routes.js';
import { bulkJobs } from './bulk/bulk.run.js';
import { resumeBulk } from './bulk/bulk.service.js';
import { exportsRoutes } from './exports/exports.routes.js';
import { exportsJobs } from './exports/exports.run.js';
import { resumeExports } from './exports/exports.service.js';
import { importsRoutes } from './imports/imports.routes.js';
import { resumeImports } from './imports/imports.service.js';
import { importsJobs } from './imports/run.js';
import { recordsRoutes } from './records/records.routes.js';
import { recordsJobs } from './records/trash.js';
import { rolesRoutes } from './roles/roles.routes.js';
import { searchRoutes } from './search/search.routes.js';
import { settingsObjects } from './settings-objects.js';
import { setupRoutes } from './setup/setup.routes.js';
import { teamsRoutes } from './teams/teams.routes.js';
import { timelineRoutes } from './timeline/timeline.routes.js';
import { viewsRoutes } from './views/views.routes.js';
import { workspacesRoutes } from './workspaces/workspaces.routes.js';

/**
 * A module plugs into Sen with its record objects (declared with defineRecordObject: routes,
 * fields, permissions, search, timeline and web pages come from the declaration), its other
 * permission objects, its routes (mounted under /api/v1) and its background jobs. Adding a CRM
 * object (products, deals, tickets…) = adding an entry here.
 */
export interface SenModule {
  name: string;
  recordObjects?: RecordObjectDefinition[];
  permissionObjects?: PermissionObject[];
  routes?: (app: FastifyInstance, ctx: AppContext) => void;
  /** Routes at the site's root, outside /api/v1 (a form's hosted page, /f/:key). */
  pages?: (app: FastifyInstance, ctx: AppContext) => void;
  jobs?: JobDefinition<never>[];
  /** What the module puts into every new workspace (core/workspace-setup.ts). */
  onWorkspaceCreated?: WorkspaceSetup;
  /** Run once the job queue has started (a node with jobs only): resume interrupted work. */
  onStart?: (ctx: AppContext) => Promise<unknown>;
}

export const modules: SenModule[] = [
  { name: 'setup', routes: setupRoutes },
  { name: 'auth', routes: authRoutes, jobs: authJobs },
  { name: 'workspaces', routes: workspacesRoutes, permissionObjects: settingsObjects },
  { name: 'members', routes: membersRoutes },
  { name: 'roles', routes: rolesRoutes },
  { name: 'teams', routes: teamsRoutes },
  { name: 'api-keys', routes: apiKeysRoutes },
  { name: 'audit', routes: auditRoutes },
  {
    name: 'records',
    recordObjects: [contactsObject, companiesObject],
    permissionObjects: recordPermissionObjects,
    routes: recordsRoutes,
    jobs: recordsJobs,
  },
  { name: 'search', routes: searchRoutes },
  { name: 'custom-fields', routes: customFieldsRoutes },
  { name: 'field-options', routes: fieldOptionsRoutes },
  { name: 'notes', routes: notesRoutes },
  { name: 'attachments', routes: attachmentsRoutes, jobs: attachmentsJobs },
  { name: 'timeline', routes: timelineRoutes },
  { name: 'views', routes: viewsRoutes },
  { name: 'products', recordObjects: [productsObject] },
  leadsModule,
  dealsModule,
  salesReportsModule,
  scoringModule,
  // Lead capture forms (Settings → Biểu mẫu thu thập, the hosted page, the public endpoint).
  leadFormsModule,
  // Price lists per customer group (#20; Settings → Bảng giá, pricesFor() for quotes).
  priceListsModule,
  // Selling settings (#20): document numbering (nextNumber) and the business profile for PDFs.
  numberingModule,
  companyProfileModule,
  // Stock per warehouse (#20): levels, movements, warehouses; the service orders call.
  stockModule,
  // Quotes (#20): line items, status and discount approval, numbering, expiry.
  quotesModule,
  // Orders and contracts (#20): from quotes, stock reserved, deliveries, renewals.
  ordersModule,
  // Invoices (#20): from orders, issue and void, VietQR PDF, overdue.
  invoicesModule,
  // Payments (#20): allocated to invoices, credit, reversal.
  paymentsModule,
  // Receivables (công nợ) with aging, statements and customer tiers (#20).
  receivablesModule,
  // E-invoice provider adapters (#20; docs/einvoice.md).
  einvoiceModule,
  // Activities (#21): tasks, calls, meetings on any record; My day, reminders, calendar feed.
  activitiesModule,
  // Line items of every record object that declares them (quotes; later orders and invoices).
  { name: 'line-items', routes: lineItemsRoutes },
  { name: 'imports', routes: importsRoutes, jobs: importsJobs, onStart: resumeImports },
  { name: 'exports', routes: exportsRoutes, jobs: exportsJobs, onStart: resumeExports },
  { name: 'bulk', routes: bulkRoutes, jobs: bulkJobs, onStart: resumeBulk },
  { name: 'backup', jobs: backupJobs },
  { name: 'notifications', routes: notificationsRoutes },
  // Assignment rules of the record objects above that declare `assignment` (leads).
  { name: 'assignment', routes: assignmentRoutes },
  // Duplicates and merge for every record object above (after them: it reads the registry).
  { name: 'merge', routes: mergeRoutes },
];

let registered = false;
/** Register every module's permission objects (idempotent; called at boot and in tests). */
export function registerModules(): void {
  if (registered) return;
  registered = true;
  for (const m of modules) {
    for (const o of m.recordObjects ?? []) registerRecordObjectDefinition(o);
    for (const o of m.permissionObjects ?? []) registerPermissionObject(o);
    if (m.onWorkspaceCreated) registerWorkspaceSetup(m.onWorkspaceCreated);
  }
}

export const allJobs = (): JobDefinition<never>[] => modules.flatMap((m) => m.jobs ?? []);
