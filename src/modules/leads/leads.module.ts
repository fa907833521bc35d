import type { SenModule } from '../index.js';
import { leadsObject } from './leads.object.js';
import { leadsRoutes } from './leads.routes.js';

/** Leads: the record object and its conversion (leads.convert.ts). */
export const leadsModule: SenModule = {
  name: 'leads',
  recordObjects: [leadsObject],
  routes: leadsRoutes,
};
