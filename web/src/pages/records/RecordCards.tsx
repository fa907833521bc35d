/**
 * A record list on a phone: one card per record instead of the table. The name links to the
 * record, a phone number is a call link (tel:), then the declaration's other subtitle fields
 * (a contact's company) and the owner. The next keyset page loads as the end comes into view.
 */
import { Anchor, Button, Card, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { IconPhone, IconUser } from '@tabler/icons-react';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  fieldLabel,
  recordName,
  type AnyRecord,
  type FieldMeta,
  type ObjectMeta,
} from '../../api/records';
import { useFormat } from '../../lib/format';
import { displayText } from './fields';

export function RecordCards({
  meta,
  fields,
  rows,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  empty,
}: {
  meta: ObjectMeta;
  fields: FieldMeta[];
  rows: AnyRecord[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** Shown instead of "no record matches" when there are no rows (an empty object's first steps). */
  empty?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const object = meta.key;
  const { titleField, subtitleFields } = meta.presentation;
  const byKey = new Map(fields.map((f) => [f.key, f]));
  // The call link: a phone among the subtitle fields, else the record's primary phone.
  const phoneField =
    subtitleFields.map((k) => byKey.get(k)).find((f) => f?.type === 'phone') ??
    fields.find((f) => f.key === 'primaryPhone' && f.type === 'phone');
  const others = subtitleFields
    .map((k) => byKey.get(k))
    .filter((f): f is FieldMeta => f !== undefined && f !== phoneField && f.key !== 'ownerId');
  const ownerField = byKey.get('ownerId');

  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = end.current;
    if (!el || !hasNextPage || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) fetchNextPage();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (rows.length === 0) {
    return (
      <Center py="xl">
        {empty ?? (
          <Text c="dimmed" size="sm">
            {t('records.table.empty')}
          </Text>
        )}
      </Center>
    );
  }
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-record-cards>
      {rows.map((record) => {
        const name = recordName(record, titleField) || t('records.unnamed');
        const raw = phoneField ? record[phoneField.key] : null;
        const phone = phoneField ? displayText(t, fmt, phoneField, record) : '';
        return (
          <Card key={record.id} component="li" withBorder radius="md" padding="sm">
            <Anchor
              component={Link}
              to={`/${object}/${record.id}`}
              fw={600}
              size="md"
              style={{ overflowWrap: 'anywhere' }}
            >
              {name}
            </Anchor>
            {phone && typeof raw === 'string' && raw && (
              <Group gap={6} wrap="nowrap" mt={4}>
                <IconPhone size={16} aria-hidden />
                <Anchor
                  href={`tel:${raw}`}
                  size="sm"
                  aria-label={t('records.cards.call', { name, phone })}
                >
                  {phone}
                </Anchor>
              </Group>
            )}
            {others.map((f) => {
              const value = displayText(t, fmt, f, record);
              return value ? (
                <Text key={f.key} size="sm" mt={2} style={{ overflowWrap: 'anywhere' }}>
                  <Text span c="dimmed" size="sm">
                    {fieldLabel(f, i18n.language)}:
                  </Text>{' '}
                  {value}
                </Text>
              ) : null;
            })}
            {ownerField && (
              <Group gap={6} wrap="nowrap" mt={2}>
                <IconUser size={16} aria-label={fieldLabel(ownerField, i18n.language)} />
                <Text size="sm" c="dimmed">
                  {record.owner?.name ?? t('records.fields.noOwner')}
                </Text>
              </Group>
            )}
          </Card>
        );
      })}
      <div ref={end} />
      {isFetchingNextPage && (
        <Center py="xs">
          <Loader size="xs" aria-label={t('common.loading')} />
        </Center>
      )}
      {hasNextPage && !isFetchingNextPage && (
        <Button variant="subtle" onClick={fetchNextPage}>
          {t('records.kanban.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
