import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../../core/context.js';
import { defineJob } from '../../core/jobs.js';
import type { Actor } from '../../core/permissions.js';
import type { Database } from '../../db/database.js';
import { asDate, queryOne, queryRows } from '../../db/sql.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { registerNotificationKind } from '../notifications/kinds.js';
import { activitiesObject } from './activities.object.js';
import type { ActivityResponse } from './activities.schemas.js';
import { calendar, type CalendarEvent } from './ical.js';
import { kindLabels } from './activities.fields.js';

/**
 * My day: the caller's open activities (they are the assignee) by time, in the workspace's
 * time zone: overdue (a task or call whose time has passed), today (anything due today, and
 * today's meetings even when they started), upcoming (the next 7 days).
 */
export async function myDay(
  ctx: AppContext,
  actor: Actor,
): Promise<{
  overdue: ActivityResponse[];
  today: ActivityResponse[];
  upcoming: ActivityResponse[];
}> {
  if (actor.userId === null) throw new AppError('FORBIDDEN');
  const kind = activitiesObject.kind;
  const rows = await ctx.db.read(actor, (tx) =>
    queryRows<Record<string, unknown> & { bucket: 'overdue' | 'today' | 'upcoming' }>(
      tx,
      sql`WITH b AS (
            SELECT date_trunc('day', now() AT TIME ZONE w.timezone) AT TIME ZONE w.timezone AS today
              FROM workspaces w WHERE w.id = (SELECT sen_workspace_id()))
          SELECT ${kind.columns(actor)},
                 CASE WHEN r.kind <> 'meeting' AND r.due_at < now() THEN 'overdue'
                      WHEN r.due_at < b.today + interval '1 day' THEN 'today'
                      ELSE 'upcoming' END AS bucket
            FROM activities r, b
           WHERE r.owner_id = ${actor.userId}::uuid AND r.deleted_at IS NULL AND r.status = 'open'
             AND r.due_at IS NOT NULL AND r.due_at < b.today + interval '8 days'
             AND (r.kind <> 'meeting' OR r.due_at >= b.today)
           ORDER BY r.due_at, r.id
           LIMIT 500`,
    ),
  );
  const out = { overdue: [], today: [], upcoming: [] } as {
    overdue: ActivityResponse[];
    today: ActivityResponse[];
    upcoming: ActivityResponse[];
  };
  for (const row of rows) out[row.bucket].push(kind.present(row) as ActivityResponse);
  return out;
}

/** The reminder, in the reader's language: "Sắp đến hạn: Gọi lại chị Nhung (09:00 8/12)". */
export const reminderKind = registerNotificationKind({
  key: 'activity_reminder',
  render: ({ params, locale }) => {
    const title = typeof params.title === 'string' ? params.title : '';
    const kind = (params.kind as keyof typeof kindLabels | undefined) ?? 'task';
    const label = (kindLabels[kind] ?? kindLabels.task)[locale];
    const due = typeof params.dueAt === 'string' ? new Date(params.dueAt) : null;
    const tz = typeof params.timeZone === 'string' ? params.timeZone : 'Asia/Ho_Chi_Minh';
    const when = due
      ? new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'vi-VN', {
          hour: '2-digit',
          minute: '2-digit',
          day: 'numeric',
          month: 'numeric',
          timeZone: tz,
        }).format(due)
      : '';
    return locale === 'en'
      ? `Coming up: ${label.toLowerCase()} "${title}"${when ? ` at ${when}` : ''}`
      : `Sắp đến giờ: ${label.toLowerCase()} "${title}"${when ? ` lúc ${when}` : ''}`;
  },
});

/**
 * Send the reminders that are due: every open activity whose reminder time has come (and
 * whose time has not passed by more than a day: a reminder is useless later) is claimed
 * (`reminded_at`) and its assignee notified in the same statement, across workspaces, as
 * sen_system. Claiming and notifying together make it idempotent: a second scan, on this node
 * or another, finds nothing; a new due time clears the claim (activities.service.ts).
 */
export async function sendReminders(db: Database): Promise<number> {
  const row = await db.system(async (tx) => {
    // Claiming a reminder is not an edit of the activity: its version stays, so a form open
    // on it saves without a conflict.
    await tx.execute(sql`SELECT set_config('sen.keep_version', 'on', true)`);
    return queryOne<{ n: number | string }>(
      tx,
      sql`WITH due AS (
            UPDATE activities a SET reminded_at = now()
             WHERE a.deleted_at IS NULL AND a.status = 'open' AND a.reminder_minutes IS NOT NULL
               AND a.reminded_at IS NULL AND a.owner_id IS NOT NULL
               AND a.due_at <= now() + make_interval(mins => a.reminder_minutes)
               AND a.due_at > now() - interval '1 day'
            RETURNING a.workspace_id, a.id, a.owner_id, a.title, a.kind, a.due_at),
          sent AS (
            INSERT INTO notifications (workspace_id, user_id, kind, params, record_object,
                                       record_id, record_name, actor_name)
            SELECT d.workspace_id, d.owner_id, 'activity_reminder',
                   jsonb_build_object('title', d.title, 'kind', d.kind,
                                      'dueAt', to_char(d.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                      'timeZone', w.timezone),
                   'activities', d.id, d.title, NULL
              FROM due d
              JOIN workspaces w ON w.id = d.workspace_id
              JOIN workspace_members m ON m.workspace_id = d.workspace_id
                                      AND m.user_id = d.owner_id AND m.status = 'active'
            RETURNING 1)
          SELECT count(*) AS n FROM sent`,
    );
  });
  return Number(row?.n ?? 0);
}

export const remindersJob = defineJob({
  name: 'activities.reminders',
  payload: z.object({}),
  schedule: '* * * * *',
  handler: async (_payload, { db, logger }) => {
    const n = await sendReminders(db);
    if (n > 0) logger.info({ reminders: n }, 'activity reminders sent');
  },
});

// ---- The personal calendar feed ----

export const feedStatus = z.object({
  active: z.boolean(),
  createdAt: z.string().nullable(),
});
export const feedCreated = z.object({
  /** The secret address, shown once: only its SHA-256 is kept. */
  url: z.string(),
  createdAt: z.string(),
});

export const FEED_PATH = '/ical';

function requireUser(actor: Actor): string {
  if (actor.userId === null) throw new AppError('FORBIDDEN');
  return actor.userId;
}

export async function getFeed(ctx: AppContext, actor: Actor): Promise<z.infer<typeof feedStatus>> {
  const userId = requireUser(actor);
  const row = await ctx.db.read(actor, (tx) =>
    queryOne<{ created_at: string | Date }>(
      tx,
      sql`SELECT created_at FROM calendar_feeds WHERE user_id = ${userId}::uuid`,
    ),
  );
  return { active: !!row, createdAt: row ? asDate(row.created_at).toISOString() : null };
}

/** A new secret address (the previous one stops working). */
export async function createFeed(
  ctx: AppContext,
  actor: Actor,
  origin: string,
): Promise<z.infer<typeof feedCreated>> {
  const userId = requireUser(actor);
  const token = newToken(32);
  const row = await ctx.db.tenant(actor, (tx) =>
    queryOne<{ created_at: string | Date }>(
      tx,
      sql`INSERT INTO calendar_feeds (workspace_id, user_id, token_hash)
          VALUES (${actor.workspaceId}::uuid, ${userId}::uuid, ${hashToken(token)})
          ON CONFLICT (workspace_id, user_id)
            DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
          RETURNING created_at`,
    ),
  );
  return {
    url: `${origin}${FEED_PATH}/${token}.ics`,
    createdAt: asDate(row!.created_at).toISOString(),
  };
}

export async function revokeFeed(ctx: AppContext, actor: Actor): Promise<void> {
  const userId = requireUser(actor);
  await ctx.db.tenant(actor, (tx) =>
    tx.execute(sql`DELETE FROM calendar_feeds WHERE user_id = ${userId}::uuid`),
  );
}

interface FeedRow {
  id: string;
  kind: 'task' | 'call' | 'meeting';
  title: string;
  status: 'open' | 'done';
  due_at: string | Date;
  end_at: string | Date | null;
  description: string | null;
  location: string | null;
  online_url: string | null;
  updated_at: string | Date;
}

/**
 * The feed of a secret token, or null (unknown or revoked token, member no longer active):
 * the member's tasks and calls with a time (as 30-minute VEVENTs: Google Calendar ignores
 * VTODO) and the meetings they organise or attend, from 60 days back to a year ahead. Read as
 * sen_system (there is no session), the workspace and the member written in every condition.
 */
export async function feedCalendar(
  db: Database,
  token: string,
  origin: string,
): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return db.system(async (tx) => {
    const member = await queryOne<{ workspace_id: string; user_id: string; name: string }>(
      tx,
      sql`SELECT f.workspace_id, f.user_id, w.name FROM calendar_feeds f
            JOIN workspace_members m ON m.workspace_id = f.workspace_id AND m.user_id = f.user_id
                                    AND m.status = 'active'
            JOIN workspaces w ON w.id = f.workspace_id
           WHERE f.token_hash = ${hashToken(token)}`,
    );
    if (!member) return null;
    const rows = await queryRows<FeedRow>(
      tx,
      sql`SELECT a.id, a.kind, a.title, a.status, a.due_at, a.end_at, a.description, a.location,
                 a.online_url, a.updated_at
            FROM activities a
           WHERE a.workspace_id = ${member.workspace_id}::uuid AND a.deleted_at IS NULL
             AND a.due_at IS NOT NULL
             AND a.due_at BETWEEN now() - interval '60 days' AND now() + interval '366 days'
             AND (a.owner_id = ${member.user_id}::uuid
                  OR (a.kind = 'meeting' AND ${member.user_id}::uuid = ANY(a.attendee_ids)))
           ORDER BY a.due_at, a.id
           LIMIT 2000`,
    );
    const events: CalendarEvent[] = rows.map((r) => {
      const start = asDate(r.due_at);
      const end = r.end_at ? asDate(r.end_at) : new Date(start.getTime() + 30 * 60_000);
      const done = r.status === 'done' && r.kind === 'task';
      return {
        uid: `${r.id}@sen-crm`,
        start,
        end: end > start ? end : new Date(start.getTime() + 30 * 60_000),
        summary: `${done ? '✓ ' : ''}${r.title}`,
        description: [r.description, `${origin}/activities/${r.id}`].filter(Boolean).join('\n\n'),
        location: r.location ?? r.online_url,
        url: r.online_url ?? `${origin}/activities/${r.id}`,
        modified: asDate(r.updated_at),
        categories: [kindLabels[r.kind].vi],
      };
    });
    return calendar(`Sen CRM · ${member.name}`, events);
  });
}
