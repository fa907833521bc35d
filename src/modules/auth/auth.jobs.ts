import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import { deleteExpiredSessions, deleteStaleThrottles } from './auth.repository.js';

/** Hourly: delete sessions past their absolute or idle timeout, and stale sign-in counters. */
export const expiredSessionCleanup = defineJob({
  name: 'auth.expired-session-cleanup',
  payload: z.object({ idleMs: z.number().int().positive().optional() }),
  schedule: '7 * * * *',
  handler: async (payload, { db, logger, config }) => {
    const deleted = await db.system(async (tx) => {
      const n = await deleteExpiredSessions(tx, payload.idleMs ?? config.sessionIdleMs);
      await deleteStaleThrottles(tx);
      return n;
    });
    logger.info({ deleted }, 'expired sessions deleted');
  },
});

export const authJobs = [expiredSessionCleanup] as unknown as JobDefinition<never>[];
