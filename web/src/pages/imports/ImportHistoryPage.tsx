/**
 * `/:object/imports`: the last 50 imports into an object, newest first: the file, when, the
 * counts, the status, and the error file and undo while they apply. An import still moving is
 * followed until it stops.
 */
import { Alert, Badge, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { IconFileImport, IconLock } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isActive, useImportHistory, useRefreshAfterRun } from '../../api/imports';
import type { ObjectMeta } from '../../api/records';
import { useCan } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useFormat } from '../../lib/format';
import { ErrorFileButton, UndoButton } from './ImportReport';
import { manyOf, OUTCOME_COLORS, STATUS_COLORS } from './importText';

export function ImportHistoryPage({ meta }: { meta: ObjectMeta }) {
  const { t, i18n } = useTranslation();
  const canImport = useCan(meta.key, 'import');
  const many = manyOf(meta, i18n.language);
  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('imports.historyPage.title', { many })}
        description={t('imports.historyPage.description')}
        actions={
          canImport && (
            <>
              <Button
                component={Link}
                to={`/${meta.key}/import`}
                leftSection={<IconFileImport size={16} />}
              >
                {t('imports.action')}
              </Button>
              <Button component={Link} to={`/${meta.key}`} variant="subtle">
                {t('imports.backToList', { many })}
              </Button>
            </>
          )
        }
      />
      {canImport ? (
        <History meta={meta} />
      ) : (
        <Alert color="orange" icon={<IconLock />}>
          {t('imports.forbidden', { many })}
        </Alert>
      )}
    </Stack>
  );
}

function History({ meta }: { meta: ObjectMeta }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const history = useImportHistory(meta.key);
  // An undo finishing here removes records: the object's lists are stale then.
  const refresh = useRefreshAfterRun(meta.key);
  const moving = history.data?.some((i) => isActive(i.status)) ?? false;
  const wasMoving = useRef(moving);
  useEffect(() => {
    if (wasMoving.current && !moving) refresh();
    wasMoving.current = moving;
  }, [moving, refresh]);

  if (history.isPending) return <InlineLoader />;
  if (history.isError) {
    return <QueryError error={history.error} onRetry={() => void history.refetch()} />;
  }
  const items = history.data.filter((i) => i.status !== 'analyzed');
  if (items.length === 0) {
    return (
      <Card withBorder padding="lg">
        <Text c="dimmed" size="sm">
          {t('imports.historyPage.empty')}
        </Text>
      </Card>
    );
  }
  const counts = ['created', 'updated', 'skipped', 'failed'] as const;
  return (
    <Card withBorder padding={0} radius="md">
      <Table.ScrollContainer minWidth={820}>
        <Table verticalSpacing="sm" aria-label={t('imports.history')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.historyPage.file')}</Table.Th>
              <Table.Th>{t('imports.historyPage.date')}</Table.Th>
              <Table.Th>{t('imports.historyPage.counts')}</Table.Th>
              <Table.Th>{t('imports.historyPage.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((imp) => (
              <Table.Tr key={imp.id} data-import={imp.fileName}>
                <Table.Td>
                  <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {imp.fileName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('imports.formats.' + imp.format)} ·{' '}
                    {t('imports.detected.rowsValue', {
                      count: imp.totalRows,
                      n: fmt.number(imp.totalRows),
                    })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    <time dateTime={imp.createdAt}>{fmt.dateTime(imp.createdAt)}</time>
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {counts.map((key) => (
                      <Badge
                        key={key}
                        variant="light"
                        color={imp[key] > 0 ? OUTCOME_COLORS[key] : 'gray'}
                        data-count={key}
                      >
                        {t(`imports.outcomes.${key}`)}: {fmt.number(imp[key])}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge variant="dot" color={STATUS_COLORS[imp.status]}>
                    {t(`imports.status.${imp.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <ErrorFileButton imp={imp} compact />
                    <UndoButton meta={meta} imp={imp} compact />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
