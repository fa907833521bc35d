import type { SenModule } from '../index.js';
import { receivablesRoutes } from './receivables.routes.js';

/** Receivables (#20): aging per customer, the overdue list, statements, customer tiers. */
export const receivablesModule: SenModule = { name: 'receivables', routes: receivablesRoutes };
