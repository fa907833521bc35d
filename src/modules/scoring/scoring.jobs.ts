import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.js';
import type { Database } from '../../db/database.js';
import { rescore } from './scoring.compute.js';
import { scoredObjects } from './scoring.registry.js';
import * as repo from './scoring.repository.js';

/** Records rescored per transaction by the jobs (short transactions, bounded memory). */
export const RESCORE_BATCH = 2000;

/**
 * Rescore every live record of an object in one workspace, a batch of RESCORE_BATCH records
 * (in id order) per transaction; returns how many were looked at.
 */
export async function rescoreWorkspace(
  db: Database,
  workspaceId: string,
  object: string,
): Promise<number> {
  let afterId: string | undefined;
  let total = 0;
  for (;;) {
    const ids = await db.tenant({ workspaceId, userId: null }, (tx) =>
      rescore(tx, object, { all: true, limit: RESCORE_BATCH, ...(afterId ? { afterId } : {}) }),
    );
    total += ids.length;
    if (ids.length < RESCORE_BATCH) return total;
    afterId = ids[ids.length - 1];
  }
}

/** After a rule change in a large workspace: rescore all its records of the object. */
export const rescoreJob = defineJob({
  name: 'scoring.rescore',
  payload: z.object({ workspaceId: z.uuid(), object: z.string().max(64) }),
  handler: async ({ workspaceId, object }, { db, logger }) => {
    const n = await rescoreWorkspace(db, workspaceId, object);
    logger.info({ workspaceId, object, records: n }, 'records rescored');
  },
});

/**
 * Daily: the decay takes its points a week at a time, so the workspaces that have one are
 * rescored (rows whose score did not change are not written).
 */
export const decayJob = defineJob({
  name: 'scoring.decay',
  payload: z.object({}),
  // Daily, at night in Vietnam (19:41 UTC = 02:41 ICT).
  schedule: '41 19 * * *',
  handler: async (_payload, { db, logger }) => {
    for (const { object } of scoredObjects()) {
      const workspaces = await db.system((tx) => repo.workspacesWithDecay(tx, object));
      for (const workspaceId of workspaces) {
        const n = await rescoreWorkspace(db, workspaceId, object);
        logger.info({ workspaceId, object, records: n }, 'decay applied');
      }
    }
  },
});

export const scoringJobs = [rescoreJob, decayJob] as unknown as JobDefinition<never>[];
