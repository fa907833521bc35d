/**
 * An import's run as it goes (progress bar, rows per second, time left) and its report once it
 * is done: created / updated / skipped / failed counts that add up to the rows, the error file,
 * undo (confirmed) and the way back to the list. The history page reuses the undo and error-file
 * buttons.
 */
import { Alert, Button, Card, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp, IconCheck, IconDownload } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  errorFileUrl,
  isActive,
  useRefreshAfterRun,
  useUndoImport,
  type ImportJob,
} from '../../api/imports';
import type { ObjectMeta } from '../../api/records';
import { ConfirmModal } from '../../components/ConfirmModal';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { countedRows, durationText, manyOf, OUTCOME_COLORS } from './importText';

/** Refreshes the object's lists when the import followed here stops moving. */
function useRefreshWhenSettled(meta: ObjectMeta, imp: ImportJob) {
  const refresh = useRefreshAfterRun(meta.key);
  const wasActive = useRef(isActive(imp.status));
  useEffect(() => {
    const active = isActive(imp.status);
    if (wasActive.current && !active) refresh();
    wasActive.current = active;
  }, [imp.status, refresh]);
}

export function ImportRun({
  meta,
  imp,
  onAnother,
}: {
  meta: ObjectMeta;
  imp: ImportJob;
  onAnother: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  useRefreshWhenSettled(meta, imp);
  const finished = imp.status === 'done' || imp.status === 'undoing' || imp.status === 'undone';
  const percent = finished
    ? 100
    : imp.totalRows > 0
      ? Math.min(100, Math.round((imp.rowsDone / imp.totalRows) * 100))
      : 0;
  const many = manyOf(meta, i18n.language);

  return (
    <Stack gap="md">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs">
          <Text fw={600}>{t(`imports.status.${imp.status}`)}</Text>
          <Text size="sm" c="dimmed">
            {t('imports.run.rows', {
              done: fmt.number(finished ? countedRows(imp) : imp.rowsDone),
              total: fmt.number(imp.totalRows),
            })}
          </Text>
        </Group>
        <Progress
          value={percent}
          size="lg"
          striped={imp.status === 'running' || imp.status === 'queued'}
          animated={imp.status === 'running' || imp.status === 'queued'}
          color={imp.status === 'failed' ? 'red' : finished ? 'teal' : 'blue'}
          aria-label={t('imports.run.progress')}
        />
        <Group gap="md">
          {imp.rowsPerSecond !== null && (
            <Text size="sm" c="dimmed">
              {t('imports.run.rate', { rate: fmt.number(imp.rowsPerSecond) })}
            </Text>
          )}
          {imp.secondsLeft !== null && imp.status === 'running' && (
            <Text size="sm" c="dimmed">
              {t('imports.run.left', { time: durationText(t, imp.secondsLeft) })}
            </Text>
          )}
        </Group>
      </Stack>

      {imp.status === 'failed' && (
        <Alert color="red" icon={<IconAlertTriangle />} title={t('imports.run.failed')}>
          {imp.error ? imp.error.message[i18n.language === 'en' ? 'en' : 'vi'] : null}
        </Alert>
      )}

      {(finished || imp.status === 'failed') && <ImportCounts imp={imp} />}

      {imp.status === 'undone' && (
        <Alert color="gray" icon={<IconArrowBackUp />}>
          {t('imports.report.undone')}
        </Alert>
      )}

      {!isActive(imp.status) && (
        <Group gap="xs">
          <ErrorFileButton imp={imp} />
          <UndoButton meta={meta} imp={imp} />
          <Button component={Link} to={`/${meta.key}`} variant="light">
            {t('imports.report.toList', { many })}
          </Button>
          <Button variant="default" onClick={onAnother}>
            {t('imports.report.another')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The four counts, each with its outcome's colour, and the rows they add up to. */
export function ImportCounts({ imp }: { imp: ImportJob }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const counts = [
    ['created', imp.created],
    ['updated', imp.updated],
    ['skipped', imp.skipped],
    ['failed', imp.failed],
  ] as const;
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {counts.map(([key, n]) => (
          <Card key={key} withBorder padding="sm" data-count={key}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t(`imports.outcomes.${key}`)}
            </Text>
            <Text size="xl" fw={700} c={n > 0 ? OUTCOME_COLORS[key] : undefined}>
              {fmt.number(n)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Group gap={6}>
        <IconCheck size={16} aria-hidden />
        <Text size="sm" c="dimmed">
          {t('imports.report.total', { count: countedRows(imp), n: fmt.number(countedRows(imp)) })}
        </Text>
      </Group>
    </Stack>
  );
}

/** "Tải tệp lỗi": the failed and skipped rows with their reasons (only when there are some). */
export function ErrorFileButton({ imp, compact }: { imp: ImportJob; compact?: boolean }) {
  const { t } = useTranslation();
  if (imp.failed + imp.skipped === 0) return null;
  return (
    <Button
      component="a"
      href={errorFileUrl(imp.id)}
      download
      variant="default"
      size={compact ? 'xs' : 'sm'}
      leftSection={<IconDownload size={16} />}
      aria-label={compact ? t('imports.report.errorFileOf', { name: imp.fileName }) : undefined}
    >
      {t('imports.report.errorFile')}
    </Button>
  );
}

/** "Hoàn tác" with its confirmation (only while the import can be undone). */
export function UndoButton({
  meta,
  imp,
  compact,
}: {
  meta: ObjectMeta;
  imp: ImportJob;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [opened, setOpened] = useState(false);
  const undo = useUndoImport(meta.key);
  const onError = useErrorHandler();
  if (!imp.canUndo) return null;
  return (
    <>
      <Button
        color="red"
        variant="light"
        size={compact ? 'xs' : 'sm'}
        leftSection={<IconArrowBackUp size={16} />}
        aria-label={compact ? t('imports.report.undoOf', { name: imp.fileName }) : undefined}
        onClick={() => setOpened(true)}
      >
        {t('imports.report.undo')}
      </Button>
      <ConfirmModal
        opened={opened}
        title={t('imports.report.undoTitle')}
        confirmLabel={t('imports.report.undo')}
        loading={undo.isPending}
        onClose={() => setOpened(false)}
        onConfirm={() =>
          undo.mutate(imp.id, {
            onSuccess: () => {
              setOpened(false);
              notifySuccess(t('imports.report.undoStarted'));
            },
            onError: (err) => onError(err),
          })
        }
      >
        {t('imports.report.undoBody', {
          name: imp.fileName,
          created: fmt.number(imp.created),
          updated: fmt.number(imp.updated),
          many: manyOf(meta, i18n.language),
        })}
      </ConfirmModal>
    </>
  );
}
