import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../core/context.js';
import type { PermissionObject } from '../../core/permissions.js';
import { einvoiceRoutes } from './einvoice.routes.js';
import { PERMISSION } from './einvoice.service.js';

/**
 * Who may do what with legal e-invoices: read a submission and its files, issue (create),
 * change the provider settings (update), cancel (delete). Admins hold all; managers may read,
 * issue and cancel; nobody else by default (a role gets it in the role matrix).
 */
export const einvoicePermission: PermissionObject = {
  key: PERMISSION,
  actions: ['read', 'create', 'update', 'delete'],
  scoped: false,
  defaults: {
    manager: { read: true, create: true, delete: true },
  },
};

/**
 * The e-invoice module's entry for src/modules/index.ts: the settings and the submission routes.
 * Issuing is the invoices object's: it builds the document and calls issueEInvoice.
 */
export const einvoiceModule = {
  name: 'einvoice',
  permissionObjects: [einvoicePermission],
  routes: (app: FastifyInstance, ctx: AppContext) => einvoiceRoutes(app, ctx),
};
