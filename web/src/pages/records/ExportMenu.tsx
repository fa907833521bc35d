/**
 * The list's export action: CSV, Excel (XLSX) and, for objects that offer it (GET /objects
 * `exportFormats`), vCard, of the current view (its filter, sort, search and columns). A small
 * view downloads at once; a large one runs as a job on the server, followed in a modal (its
 * progress, then the download link, valid 24 hours).
 */
import { Alert, Button, Group, Menu, Modal, Progress, Stack, Text } from '@mantine/core';
import {
  IconAddressBook,
  IconAlertTriangle,
  IconChevronDown,
  IconDownload,
  IconFileSpreadsheet,
  IconFileTypeCsv,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  download,
  isRunning,
  useExportJob,
  useStartExport,
  type ExportFormat,
  type ExportRequest,
} from '../../api/exports';
import type { FilterNode, ObjectMeta } from '../../api/records';
import { useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

const FORMAT_ICONS: Record<ExportFormat, typeof IconFileTypeCsv> = {
  csv: IconFileTypeCsv,
  xlsx: IconFileSpreadsheet,
  vcf: IconAddressBook,
};

export interface ExportView {
  filter: FilterNode | undefined;
  sort: string | undefined;
  q: string;
  columns: string[];
}

export function ExportMenu({ meta, view }: { meta: ObjectMeta; view: ExportView }) {
  const { t } = useTranslation();
  const onError = useErrorHandler();
  const start = useStartExport(meta.key);
  const [jobId, setJobId] = useState<string | null>(null);

  const run = (format: ExportFormat) => {
    const body: ExportRequest = {
      format,
      ...(view.filter ? { filter: view.filter as ExportRequest['filter'] } : {}),
      ...(view.sort ? { sort: view.sort } : {}),
      ...(view.q.trim() ? { q: view.q.trim() } : {}),
      ...(format !== 'vcf' && view.columns.length > 0 ? { columns: view.columns } : {}),
    };
    start.mutate(body, {
      onSuccess: (started) => {
        if (started.mode === 'direct') download(started.url);
        else setJobId(started.job.id);
      },
      onError: (err) => onError(err, { title: t('exports.failed') }),
    });
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            rightSection={<IconChevronDown size={14} />}
            loading={start.isPending}
          >
            {t('exports.button')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('exports.menuLabel')}</Menu.Label>
          {meta.exportFormats.map((format) => {
            const Icon = FORMAT_ICONS[format];
            return (
              <Menu.Item
                key={format}
                leftSection={<Icon size={16} aria-hidden />}
                onClick={() => run(format)}
              >
                {t(`exports.formats.${format}`)}
              </Menu.Item>
            );
          })}
        </Menu.Dropdown>
      </Menu>
      <ExportJobModal id={jobId} onClose={() => setJobId(null)} />
    </>
  );
}

/** A large export's progress, then its download link (the job goes on if the modal closes). */
function ExportJobModal({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const job = useExportJob(id);
  const data = job.data;
  const percent = data
    ? data.status === 'done'
      ? 100
      : data.totalRows > 0
        ? Math.min(100, Math.round((data.rowsDone / data.totalRows) * 100))
        : 0
    : 0;
  return (
    <Modal opened={id !== null} onClose={onClose} title={t('exports.job.title')} centered>
      <Stack gap="md">
        {data && (
          <>
            <Stack gap={6}>
              <Group justify="space-between" gap="xs">
                <Text fw={600}>{t(`exports.status.${data.status}`)}</Text>
                <Text size="sm" c="dimmed">
                  {t('exports.job.rows', {
                    done: fmt.number(data.rowsDone),
                    // The count made at the start; the file has what was there when it ran.
                    total: fmt.number(data.status === 'done' ? data.rowsDone : data.totalRows),
                  })}
                </Text>
              </Group>
              <Progress
                value={percent}
                size="lg"
                striped={isRunning(data.status)}
                animated={isRunning(data.status)}
                color={data.status === 'failed' ? 'red' : data.status === 'done' ? 'teal' : 'blue'}
                aria-label={t('exports.job.progress')}
              />
            </Stack>
            {isRunning(data.status) && (
              <Text size="sm" c="dimmed">
                {t('exports.job.background')}
              </Text>
            )}
            {data.status === 'failed' && (
              <Alert color="red" icon={<IconAlertTriangle />} title={t('exports.failed')}>
                {data.error?.message[i18n.language === 'en' ? 'en' : 'vi']}
              </Alert>
            )}
            {data.status === 'expired' && <Alert color="gray">{t('exports.job.expired')}</Alert>}
            {data.downloadUrl && (
              <Stack gap={4}>
                <Button
                  component="a"
                  href={data.downloadUrl}
                  download={data.fileName}
                  leftSection={<IconDownload size={16} />}
                >
                  {t('exports.job.download', { name: data.fileName })}
                </Button>
                {data.expiresAt && (
                  <Text size="xs" c="dimmed">
                    {t('exports.job.expires', { at: fmt.dateTime(data.expiresAt) })}
                  </Text>
                )}
              </Stack>
            )}
          </>
        )}
        {job.isError && (
          <Alert color="red" icon={<IconAlertTriangle />}>
            {job.error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
