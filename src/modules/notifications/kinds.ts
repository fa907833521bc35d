import type { Locale, LocalisedText } from '../../core/errors.js';

/**
 * The notification kinds registry. A module that notifies people registers its kinds here
 * (assignment: `record_assigned`, `assignment_fallback`; later mentions, task reminders…):
 * a key, stored in each notification's `kind`, and a renderer that turns the stored params into
 * words in the reader's language when the list is read, so people read names, not keys or ids.
 */
export interface NotificationText {
  /** The notification's params, as stored. */
  params: Record<string, unknown>;
  /** The record it is about, as the reader may see it now (else as it was): its name and object. */
  record: { object: string; name: string | null; objectLabel: LocalisedText | null } | null;
  /** Who caused it, as they were named then. */
  actorName: string | null;
  locale: Locale;
}

export interface NotificationKind {
  key: string;
  render(n: NotificationText): string;
}

const kinds = new Map<string, NotificationKind>();

export function registerNotificationKind(kind: NotificationKind): NotificationKind {
  kinds.set(kind.key, kind);
  return kind;
}

export function notificationKind(key: string): NotificationKind | undefined {
  return kinds.get(key);
}

/** A kind nobody registers any more (its module removed) still reads as something. */
export function renderNotification(kind: string, n: NotificationText): string {
  const found = kinds.get(kind);
  if (found) return found.render(n);
  const name = n.record?.name;
  if (n.locale === 'en') return name ? `Notification about ${name}` : 'Notification';
  return name ? `Thông báo về ${name}` : 'Thông báo';
}

/** A record object's singular label in running text: "khách hàng tiềm năng", "lead". */
export function inText(label: LocalisedText | null, locale: Locale): string {
  const text = label?.[locale] ?? (locale === 'en' ? 'record' : 'bản ghi');
  return text.charAt(0).toLocaleLowerCase(locale) + text.slice(1);
}
