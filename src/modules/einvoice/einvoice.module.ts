import type { PermissionObject } from '../../core/permissions.js';
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
 * The e-invoice module's entry for src/modules/index.ts. No routes yet: the invoices object
 * (#20) calls the service (issueEInvoice with the document it builds, cancelEInvoice,
 * refreshEInvoiceStatus, fetchEInvoiceDocument) from its own routes; settings routes follow.
 */
export const einvoiceModule = {
  name: 'einvoice',
  permissionObjects: [einvoicePermission],
};
