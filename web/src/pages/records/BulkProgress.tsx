/**
 * A bulk operation's progress (records done of the selection), then its result (changed,
 * already so, failed with the first reasons) and an Undo button; the undo's progress in the same
 * modal. The job goes on if the modal closes.
 */
import { Alert, Button, Group, List, Modal, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isBulkRunning, useBulkOperation, useUndoBulk } from '../../api/bulk';
import type { RecordObjectKey } from '../../api/records';
import { useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

export function BulkProgressModal({
  object,
  id,
  onClose,
}: {
  object: RecordObjectKey;
  id: string | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const onError = useErrorHandler();
  const op = useBulkOperation(object, id);
  const undo = useUndoBulk(id);
  const data = op.data;
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const undoing = data?.status === 'undoing' || data?.status === 'undone';
  const done = data ? (undoing ? data.undone + data.undoFailed : data.done) : 0;
  const of = data ? (undoing ? data.changed : data.total) : 0;
  const percent =
    data && (data.status === 'done' || data.status === 'undone')
      ? 100
      : of > 0
        ? Math.min(100, Math.round((done / of) * 100))
        : 0;
  return (
    <Modal opened={id !== null} onClose={onClose} title={t('bulkOps.title')} centered>
      <Stack gap="md">
        {data && (
          <>
            <Stack gap={6}>
              <Group justify="space-between" gap="xs">
                <Text fw={600}>{t(`bulkOps.status.${data.status}`)}</Text>
                <Text size="sm" c="dimmed" data-testid="bulk-progress-count">
                  {t('bulkOps.rows', { done: fmt.number(done), total: fmt.number(of) })}
                </Text>
              </Group>
              <Progress
                value={percent}
                size="lg"
                striped={isBulkRunning(data.status)}
                animated={isBulkRunning(data.status)}
                color={
                  data.status === 'failed' ? 'red' : isBulkRunning(data.status) ? 'blue' : 'teal'
                }
                aria-label={t('bulkOps.progress')}
              />
            </Stack>
            {isBulkRunning(data.status) && (
              <Text size="sm" c="dimmed">
                {t('bulkOps.background')}
              </Text>
            )}
            {(data.status === 'done' || data.status === 'undone') && (
              <Stack gap={2} role="status">
                <Text size="sm">{t('bulkOps.changed', { count: data.changed })}</Text>
                {data.unchanged > 0 && (
                  <Text size="sm" c="dimmed">
                    {t('bulkOps.unchanged', { count: data.unchanged })}
                  </Text>
                )}
                {data.failed > 0 && (
                  <Text size="sm" c="red">
                    {t('bulkOps.failed', { count: data.failed })}
                  </Text>
                )}
                {data.status === 'undone' && (
                  <Text size="sm" fw={600}>
                    {t('bulkOps.undone', { count: data.undone })}
                  </Text>
                )}
                {data.undoFailed > 0 && (
                  <Text size="sm" c="orange">
                    {t('bulkOps.undoFailed', { count: data.undoFailed })}
                  </Text>
                )}
              </Stack>
            )}
            {data.failures.length > 0 && (
              <List size="xs" c="dimmed" spacing={2}>
                {data.failures.map((f) => (
                  <List.Item key={f.recordId}>{f.reason[lang]}</List.Item>
                ))}
              </List>
            )}
            {data.error && (
              <Alert color="red" icon={<IconAlertTriangle />} title={t('bulkOps.stopped')}>
                {data.error.message[lang]}
              </Alert>
            )}
          </>
        )}
        {op.isError && (
          <Alert color="red" icon={<IconAlertTriangle />}>
            {op.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          {data?.canUndo && (
            <Button
              variant="light"
              color="orange"
              leftSection={<IconArrowBackUp size={16} />}
              loading={undo.isPending}
              onClick={() => undo.mutate(undefined, { onError: (err) => onError(err) })}
            >
              {t('bulkOps.undo')}
            </Button>
          )}
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
