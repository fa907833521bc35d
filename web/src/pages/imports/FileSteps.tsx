/**
 * The wizard's first two steps: the file (dropped on the zone or chosen), sent to the server which
 * analyses it; then what it found (format, encoding, delimiter, rows, the XLSX sheet to read, the
 * header and the first rows).
 */
import {
  Alert,
  Button,
  Card,
  FileButton,
  Group,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconAlertTriangle, IconFileUpload } from '@tabler/icons-react';
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../../api/client';
import type { ImportJob } from '../../api/imports';
import { useFormat } from '../../lib/format';
import { delimiterName, encodingName } from './importText';

export const ACCEPT = '.csv,.xlsx,.vcf,.docx';

/** The server's own message (in the UI language) for a refused file. */
export function UploadError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const message =
    error instanceof ApiError
      ? error.message
      : error instanceof NetworkError
        ? t('errors.network')
        : t('errors.unexpected');
  return (
    <Alert color="red" icon={<IconAlertTriangle />} title={t('imports.upload.failed')} role="alert">
      {message}
    </Alert>
  );
}

export function UploadStep({
  onFile,
  uploading,
  fileName,
  error,
}: {
  onFile: (file: File) => void;
  uploading: boolean;
  fileName: string | null;
  error: unknown;
}) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !uploading) onFile(file);
  };
  return (
    <Stack gap="md">
      <Card
        withBorder
        padding="xl"
        radius="md"
        data-dropzone
        data-over={over || undefined}
        onDragOver={(e: DragEvent<HTMLDivElement>) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          borderColor: over ? 'var(--mantine-primary-color-filled)' : undefined,
          background: over ? 'var(--mantine-primary-color-light)' : undefined,
        }}
      >
        <Stack align="center" gap="sm" py="lg">
          {uploading ? (
            <>
              <Loader size="md" aria-hidden />
              <Text fw={500}>{t('imports.upload.uploading', { name: fileName ?? '' })}</Text>
            </>
          ) : (
            <>
              <IconFileUpload size={48} stroke={1.4} aria-hidden />
              <Text fw={600} size="lg">
                {t('imports.upload.drop')}
              </Text>
              <Text size="sm" c="dimmed">
                {t('imports.upload.or')}
              </Text>
              <FileButton onChange={(f) => f && onFile(f)} accept={ACCEPT}>
                {(props) => <Button {...props}>{t('imports.upload.choose')}</Button>}
              </FileButton>
              <Text size="sm" c="dimmed" ta="center">
                {t('imports.upload.formats')}
              </Text>
            </>
          )}
        </Stack>
      </Card>
      {error !== null && error !== undefined && !uploading && <UploadError error={error} />}
    </Stack>
  );
}

export function DetectedStep({
  imp,
  onSheet,
  changingSheet,
}: {
  imp: ImportJob;
  onSheet: (sheet: string) => void;
  changingSheet: boolean;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const facts: [string, string][] = [
    [t('imports.detected.file'), imp.fileName],
    [t('imports.detected.format'), t(`imports.formats.${imp.format}`)],
  ];
  if (imp.encoding) facts.push([t('imports.detected.encoding'), encodingName(imp.encoding)]);
  if (imp.delimiter) facts.push([t('imports.detected.delimiter'), delimiterName(t, imp.delimiter)]);
  facts.push([
    t('imports.detected.rows'),
    t('imports.detected.rowsValue', { count: imp.totalRows, n: fmt.number(imp.totalRows) }),
  ]);
  facts.push([t('imports.detected.columns'), fmt.number(imp.headers.length)]);

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" component="dl" m={0}>
        {facts.map(([label, value]) => (
          <Card key={label} withBorder padding="sm">
            <Text component="dt" size="xs" c="dimmed" fw={600} tt="uppercase">
              {label}
            </Text>
            <Text component="dd" m={0} fw={500} style={{ overflowWrap: 'anywhere' }}>
              {value}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {imp.sheets.length > 0 && (
        <Group align="flex-end" gap="sm">
          <Select
            label={t(imp.format === 'docx' ? 'imports.detected.table' : 'imports.detected.sheet')}
            data={imp.sheets.map((s) => ({
              value: s.name,
              label: t('imports.detected.sheetRows', {
                name: s.name,
                count: s.rows,
                n: fmt.number(s.rows),
              }),
            }))}
            value={imp.sheet}
            allowDeselect={false}
            disabled={changingSheet}
            onChange={(v) => v && v !== imp.sheet && onSheet(v)}
            w={320}
          />
          {changingSheet && <Loader size="sm" aria-label={t('common.loading')} />}
        </Group>
      )}
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {t('imports.detected.firstRows')}
        </Text>
        <Table.ScrollContainer minWidth={480}>
          <Table withTableBorder striped fz="sm">
            <Table.Thead>
              <Table.Tr>
                {imp.headers.map((h, i) => (
                  <Table.Th key={i} style={{ whiteSpace: 'nowrap' }}>
                    {h || t('imports.mapping.untitled', { n: i + 1 })}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {imp.sample.slice(0, 3).map((row, r) => (
                <Table.Tr key={r}>
                  {imp.headers.map((_, i) => (
                    <Table.Td key={i}>{row[i] ?? ''}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Stack>
  );
}
