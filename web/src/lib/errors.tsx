import { Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/client';

/** The subset of a Mantine form the error handler needs. */
export interface ErrorTarget {
  getValues: () => object;
  setFieldError: (path: string, error: string) => void;
}

export interface HandleErrorOptions {
  /** Form whose fields receive the API's per-field validation messages. */
  form?: ErrorTarget;
  /** Maps API field paths to form field paths, when they differ. */
  fieldMap?: Record<string, string>;
  /** Form paths that have an input; by default the form's top-level keys. */
  fields?: string[];
  /** Title of the notification for errors that are not per field. */
  title?: string;
}

function showErrorNotification(
  t: TFunction,
  title: string,
  message: string,
  requestId: string | null,
) {
  notifications.show({
    color: 'red',
    title,
    autoClose: 10_000,
    message: (
      <Stack gap={2}>
        <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
          {message}
        </Text>
        {requestId && (
          <Text size="xs" c="dimmed">
            {t('errors.requestId', { id: requestId })}
          </Text>
        )}
      </Stack>
    ),
  });
}

export function handleError(t: TFunction, err: unknown, options: HandleErrorOptions = {}): void {
  const title = options.title ?? t('errors.title');
  if (err instanceof ApiError) {
    const fields = err.fieldErrors;
    if (options.form && fields.length > 0) {
      const known = options.fields ?? Object.keys(options.form.getValues());
      const unmatched: string[] = [];
      for (const f of fields) {
        const path = options.fieldMap?.[f.path] ?? f.path;
        if (known.includes(path)) options.form.setFieldError(path, f.message);
        else unmatched.push(`${f.path}: ${f.message}`);
      }
      if (unmatched.length === 0) return;
      showErrorNotification(t, title, [err.message, ...unmatched].join('\n'), err.requestId);
      return;
    }
    const extra = fields.map((f) => `${f.path}: ${f.message}`);
    showErrorNotification(t, title, [err.message, ...extra].join('\n'), err.requestId);
    return;
  }
  if (err instanceof NetworkError) {
    showErrorNotification(t, title, t('errors.network'), null);
    return;
  }
  showErrorNotification(t, title, err instanceof Error ? err.message : String(err), null);
}

/** `const onError = useErrorHandler(); … onError(err, { form })` */
export function useErrorHandler() {
  const { t } = useTranslation();
  return useCallback(
    (err: unknown, options?: HandleErrorOptions) => handleError(t, err, options),
    [t],
  );
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 4000 });
}

/** Done, but with something the user should know (kept on screen longer). */
export function notifyWarning(message: string): void {
  notifications.show({ color: 'yellow', message, autoClose: 8000 });
}
