import type { SenModule } from '../index.js';
import { activitiesObject } from './activities.object.js';

/**
 * Activities (#21): tasks, calls and meetings as one record object, linked to records of any
 * object; My day, reminders and the personal calendar feed.
 */
export const activitiesModule: SenModule = {
  name: 'activities',
  recordObjects: [activitiesObject],
};
