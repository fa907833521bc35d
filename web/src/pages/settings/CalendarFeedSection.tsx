import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useCalendarFeed,
  useCreateCalendarFeed,
  useRevokeCalendarFeed,
} from '../../api/activities';
import { CopyField } from '../../components/CopyField';
import { SettingsSection } from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

/**
 * The personal calendar feed (#21): a secret iCalendar address of my tasks and meetings for
 * Google, Apple or Outlook. Only its hash is kept, so the address is shown once, when made;
 * making a new one stops the old one, and revoking stops it.
 */
export function CalendarFeedSection() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const feed = useCalendarFeed();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const onError = useErrorHandler();
  const [url, setUrl] = useState<string | null>(null);
  const active = feed.data?.active ?? false;
  const make = () =>
    create.mutate(undefined, {
      onSuccess: (r) => setUrl(r.url),
      onError: (e) => onError(e),
    });
  const stop = () =>
    revoke.mutate(undefined, {
      onSuccess: () => {
        setUrl(null);
        notifySuccess(t('activities.feed.revoked'));
      },
      onError: (e) => onError(e),
    });
  return (
    <SettingsSection title={t('activities.feed.title')}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('activities.feed.description')}
        </Text>
        {url && (
          <>
            <CopyField label={t('activities.feed.url')} value={url} />
            <Alert color="yellow" variant="light">
              {t('activities.feed.once')}
            </Alert>
          </>
        )}
        {!url && active && feed.data?.createdAt && (
          <Text size="sm">
            {t('activities.feed.since', { when: fmt.dateTime(feed.data.createdAt) })}
          </Text>
        )}
        <Group gap="xs">
          <Button onClick={make} loading={create.isPending}>
            {active ? t('activities.feed.regenerate') : t('activities.feed.create')}
          </Button>
          {active && (
            <Button variant="default" color="red" onClick={stop} loading={revoke.isPending}>
              {t('activities.feed.revoke')}
            </Button>
          )}
        </Group>
      </Stack>
    </SettingsSection>
  );
}
