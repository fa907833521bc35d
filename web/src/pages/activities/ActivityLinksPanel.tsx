import { ActionIcon, Anchor, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useObjects, useUpdateRecord } from '../../api/records';
import { useErrorHandler } from '../../lib/errors';
import { RecordPicker } from '../records/inputs';
import type { PanelProps } from '../records/panels';

type ActivityLink = { object: string; id: string; name: string };

/**
 * An activity's related records (of any object): each links to its record page; who may
 * change the activity adds one (an object, then a record of it through search) or removes one.
 * The server keeps the set (`links` on PATCH replaces it) and shows only what the reader may see.
 */
export function ActivityLinksPanel({ record, canUpdate }: PanelProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const objects = (useObjects().data ?? []).filter((o) => o.key !== 'activities');
  const update = useUpdateRecord('activities');
  const onError = useErrorHandler();
  const [object, setObject] = useState<string | null>('contacts');
  const links = (record.links ?? []) as ActivityLink[];
  const label = (key: string) => objects.find((o) => o.key === key)?.label.one[lang] ?? '';
  const save = (next: { object: string; id: string }[]) =>
    update.mutate(
      {
        id: String(record.id),
        input: { links: next.map((l) => ({ object: l.object, id: l.id })) },
        version: Number(record.version),
      },
      { onError: (e) => onError(e) },
    );
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-label={t('activities.links.title')}
    >
      <Title order={2} size="h5" mb="xs">
        {t('activities.links.title')}
      </Title>
      <Stack gap={6}>
        {links.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('activities.links.empty')}
          </Text>
        )}
        {links.map((l) => (
          <Group key={`${l.object}:${l.id}`} justify="space-between" wrap="nowrap">
            <Text size="sm" truncate>
              <Text span size="xs" c="dimmed">
                {label(l.object)}:{' '}
              </Text>
              <Anchor component={Link} to={`/${l.object}/${l.id}`}>
                {l.name}
              </Anchor>
            </Text>
            {canUpdate && (
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                aria-label={t('activities.links.remove', { name: l.name })}
                onClick={() => save(links.filter((x) => x !== l))}
              >
                <IconX size={14} />
              </ActionIcon>
            )}
          </Group>
        ))}
        {canUpdate && (
          <Group gap="xs" grow align="flex-end">
            <Select
              label={t('activities.links.object')}
              data={objects.map((o) => ({ value: o.key, label: o.label.one[lang] }))}
              value={object}
              onChange={setObject}
              allowDeselect={false}
            />
            {object && (
              <RecordPicker
                key={object}
                label={t('activities.links.add')}
                types={object}
                value={null}
                onChange={(id) => {
                  if (id) save([...links, { object, id, name: '' }]);
                }}
              />
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
