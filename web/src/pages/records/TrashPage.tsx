/** `/trash`: deleted records of every object, restorable until they are purged after 30 days. */
import { Badge, Button, Card, Stack, Table, Tabs, Text } from '@mantine/core';
import { IconRestore } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  recordName,
  useRecordList,
  useRestoreRecord,
  type RecordObjectKey,
  useObjectMeta,
  useObjects,
} from '../../api/records';
import { useCan } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

export const PURGE_DAYS = 30;
const DAY = 24 * 3600 * 1000;

export function daysLeft(deletedAt: string, now = Date.now()): number {
  const left = Math.ceil((new Date(deletedAt).getTime() + PURGE_DAYS * DAY - now) / DAY);
  return Math.max(0, left);
}

export function TrashPage() {
  const { t } = useTranslation();
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  // Every record object the user may read (GET /objects).
  const objects = useObjects().data ?? [];
  return (
    <Stack maw={1100}>
      <PageHeader title={t('records.trash.title')} description={t('records.trash.description')} />
      <Tabs defaultValue={objects[0]?.key ?? null} keepMounted={false}>
        <Tabs.List>
          {objects.map((o) => (
            <Tabs.Tab key={o.key} value={o.key}>
              {o.label.many[lang]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {objects.map((o) => (
          <Tabs.Panel key={o.key} value={o.key} pt="md">
            <TrashList object={o.key} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}

function TrashList({ object }: { object: RecordObjectKey }) {
  const titleField = useObjectMeta(object)?.presentation.titleField;
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useRecordList(object, { trash: true, limit: 50 });
  const restore = useRestoreRecord(object);
  const canRestore = useCan(object, 'delete');
  const onError = useErrorHandler();
  if (list.isPending) return <InlineLoader />;
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.pages.flatMap((p) => p.items);

  return (
    <Card withBorder padding={0} radius="md">
      {items.length === 0 ? (
        <Text p="md" c="dimmed" size="sm">
          {t('records.trash.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('records.trash.name')}</Table.Th>
                <Table.Th>{t('records.trash.deletedAt')}</Table.Th>
                <Table.Th>{t('records.trash.daysLeft')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => {
                const name = recordName(r, titleField) || t('records.unnamed');
                const left = r.deletedAt ? daysLeft(r.deletedAt) : PURGE_DAYS;
                return (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.deletedAt ? fmt.dateTime(r.deletedAt) : '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={left <= 3 ? 'red' : left <= 7 ? 'orange' : 'gray'}
                        variant="light"
                      >
                        {t('records.trash.days', { count: left })}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {canRestore && (
                        <Button
                          size="xs"
                          variant="light"
                          leftSection={<IconRestore size={14} />}
                          loading={restore.isPending && restore.variables === r.id}
                          aria-label={t('records.trash.restoreName', { name })}
                          onClick={() =>
                            restore.mutate(r.id, {
                              onSuccess: () => notifySuccess(t('records.trash.restored', { name })),
                              onError: (err) => onError(err),
                            })
                          }
                        >
                          {t('records.trash.restore')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Button
          variant="subtle"
          m="sm"
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {t('records.kanban.loadMore')}
        </Button>
      )}
    </Card>
  );
}
