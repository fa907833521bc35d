import type { JobDefinition } from '../../core/jobs.js';
import type { SenModule } from '../index.js';
import { remindersJob } from './activities.features.js';
import { activitiesObject } from './activities.object.js';
import { activitiesRoutes, calendarFeedPages } from './activities.routes.js';

/**
 * Activities (#21): tasks, calls and meetings as one record object, linked to records of any
 * object; My day, reminders (the `activities.reminders` job, every minute) and the personal
 * calendar feed (GET /ical/<token>.ics).
 */
export const activitiesModule: SenModule = {
  name: 'activities',
  recordObjects: [activitiesObject],
  routes: activitiesRoutes,
  pages: calendarFeedPages,
  jobs: [remindersJob] as unknown as JobDefinition<never>[],
};
