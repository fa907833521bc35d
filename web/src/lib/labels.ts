import type { TFunction } from 'i18next';

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
