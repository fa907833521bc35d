import { z } from 'zod';
import { isoDate } from '../../http/schemas.js';

export const notificationListQuery = z.strictObject({
  cursor: z.uuid().optional().describe("The previous page's nextCursor."),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  unread: z.enum(['true', 'false']).optional().describe('true: unread notifications only.'),
});

export const notificationView = z.object({
  id: z.uuid(),
  kind: z.string(),
  /** The notification in the caller's language, written by its kind's renderer. */
  text: z.string(),
  params: z.record(z.string(), z.unknown()),
  /**
   * The record it is about. `available`: the caller can open it now (else it is in the trash,
   * gone, or out of their sight, and `name` is the name it had).
   */
  record: z
    .object({
      object: z.string(),
      id: z.uuid(),
      name: z.string().nullable(),
      available: z.boolean(),
    })
    .nullable(),
  actorName: z.string().nullable(),
  createdAt: isoDate,
  readAt: isoDate.nullable(),
});
export type NotificationView = z.infer<typeof notificationView>;

export const notificationPage = z.object({
  items: z.array(notificationView),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});

export const unreadCountView = z.object({ unreadCount: z.number().int() });
