import { ActionIcon, Anchor, Badge, Card, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import {
  IconCalendarEvent,
  IconCheck,
  IconChecklist,
  IconPhone,
  type Icon,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCompleteActivity, useMyDay, type ActivityItem } from '../../api/activities';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

const kindIcons: Record<ActivityItem['kind'], Icon> = {
  task: IconChecklist,
  call: IconPhone,
  meeting: IconCalendarEvent,
};

/**
 * My day (#21): my open tasks, calls and meetings, overdue first, then today, then the next 7
 * days; each is done in one click. One column of cards, so it reads the same on a phone.
 */
export function MyDayPage() {
  const { t } = useTranslation();
  const day = useMyDay();
  return (
    <Stack maw={760} gap="lg">
      <PageHeader
        title={t('activities.myDay.title')}
        description={t('activities.myDay.description')}
        actions={
          <Anchor component={Link} to="/activities" size="sm">
            {t('activities.myDay.all')}
          </Anchor>
        }
      />
      {day.isPending ? (
        <InlineLoader />
      ) : day.isError ? (
        <QueryError error={day.error} onRetry={() => void day.refetch()} />
      ) : (
        <>
          <Section title={t('activities.myDay.overdue')} items={day.data.overdue} tone="red" />
          <Section title={t('activities.myDay.today')} items={day.data.today} tone="blue" />
          <Section title={t('activities.myDay.upcoming')} items={day.data.upcoming} tone="gray" />
        </>
      )}
    </Stack>
  );
}

function Section({ title, items, tone }: { title: string; items: ActivityItem[]; tone: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Group gap="xs">
        <Title order={2} size="h4">
          {title}
        </Title>
        <Badge color={tone} variant="light">
          {items.length}
        </Badge>
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('activities.myDay.empty')}
        </Text>
      ) : (
        items.map((a) => <ActivityCard key={a.id} activity={a} overdue={tone === 'red'} />)
      )}
    </Stack>
  );
}

function ActivityCard({ activity: a, overdue }: { activity: ActivityItem; overdue: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const complete = useCompleteActivity();
  const onError = useErrorHandler();
  const KindIcon = kindIcons[a.kind];
  const done = () =>
    complete.mutate(
      { id: a.id, version: a.version },
      {
        onSuccess: () => notifySuccess(t('activities.myDay.doneToast', { title: a.title })),
        onError: (e) => onError(e),
      },
    );
  return (
    <Card withBorder padding="sm" radius="md" data-testid="my-day-item">
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Tooltip label={t('activities.myDay.markDone')} withArrow>
          <ActionIcon
            variant="default"
            radius="xl"
            size="lg"
            onClick={done}
            loading={complete.isPending}
            aria-label={t('activities.myDay.markDoneNamed', { title: a.title })}
          >
            <IconCheck size={16} />
          </ActionIcon>
        </Tooltip>
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <KindIcon size={16} aria-label={t(`activities.kinds.${a.kind}`)} />
            <Anchor component={Link} to={`/activities/${a.id}`} fw={500} truncate>
              {a.title}
            </Anchor>
            {a.priority === 'high' && (
              <Badge color="red" variant="light" size="xs">
                {t('activities.priorityHigh')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c={overdue ? 'red' : 'dimmed'}>
            {a.dueAt ? fmt.dateTime(a.dueAt) : ''}
            {a.endAt ? ` – ${fmt.dateTime(a.endAt)}` : ''}
            {a.location ? ` · ${a.location}` : ''}
          </Text>
          {a.links.length > 0 && (
            <Group gap={6}>
              {a.links.map((l) => (
                <Anchor
                  key={`${l.object}:${l.id}`}
                  component={Link}
                  to={`/${l.object}/${l.id}`}
                  size="xs"
                >
                  {l.name}
                </Anchor>
              ))}
            </Group>
          )}
        </Stack>
      </Group>
    </Card>
  );
}
