import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useObjects } from '../api/records';

/** Permission objects are added by modules over time: unknown ones fall back to their key. */
export function objectLabel(t: TFunction, key: string): string {
  return t(`objects.${key}`, { defaultValue: key });
}

export function actionLabel(t: TFunction, action: string): string {
  return t(`actions.${action}`, { defaultValue: action });
}

/** Audit log object types (singular, e.g. `member`, `api_key`). */
export function auditObjectLabel(t: TFunction, type: string): string {
  return t(`auditObjects.${type}`, { defaultValue: type });
}

export function auditActionLabel(t: TFunction, action: string): string {
  return t(`auditActions.${action}`, { defaultValue: action });
}

/**
 * A changed field's label in the audit log: the record object's own field metadata (standard and
 * custom fields), then the web app's labels for the settings objects, notes and attachments.
 * A key nobody labels shows as words ("lastSeenAt" → "last seen at"), never as code.
 */
export function auditFieldLabel(
  t: TFunction,
  field: string,
  recordLabels: Record<string, string> | undefined,
): string {
  const custom = field.startsWith('custom.') ? field.slice('custom.'.length) : null;
  const fromRecord = recordLabels?.[field] ?? (custom ? recordLabels?.[custom] : undefined);
  if (fromRecord) return fromRecord;
  if (custom) return custom.replace(/_/g, ' ');
  return t(`auditFields.${field}`, { defaultValue: humanizeKey(field) });
}

/** "lastSeenAt" / "last_seen_at" → "last seen at". */
export function humanizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase()
    .trim();
}

/**
 * Object names: a record object's (contacts, products…) from its declaration on the server, in
 * the UI language; the settings objects' from the web app's translations. `many` names the
 * object in permission matrices, `one` an audit entry's object.
 */
export function useObjectLabel(): (key: string, form: 'one' | 'many') => string {
  const { t, i18n } = useTranslation();
  const records = useObjects().data;
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  return (key, form) => {
    const declared = records?.find((o) => o.key === key)?.label[form][lang];
    if (declared) return declared;
    return form === 'many' ? objectLabel(t, key) : auditObjectLabel(t, key);
  };
}
