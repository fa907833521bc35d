/**
 * The merge dialog (issue #18), the same for every record object: the records side by side, a
 * radio per record for the one that stays, and for each field whose values differ (the server
 * names them: GET /:object/merge-preview) a radio per record for the value the survivor keeps.
 * After the merge, a notification offers the undo.
 */
import { Alert, Button, Group, Modal, Radio, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconGitMerge } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useMergePreview,
  useMergeRecords,
  useRecordMerges,
  useUndoMerge,
  type MergeResult,
} from '../../api/merge';
import {
  recordName,
  useFields,
  type AnyRecord,
  type FieldMeta,
  type ObjectMeta,
} from '../../api/records';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { displayText, rawValue } from './fields';

/** Text of one value in the dialog: every entry of a list (phones, emails), not only the first. */
function useValueText() {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (field: FieldMeta | undefined, record: AnyRecord, key: string): string => {
    const value = rawValue(record, key);
    if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'value' in v)) {
      return (value as { value: string }[]).map((v) => v.value).join(', ');
    }
    if (field) return displayText(t, fmt, field, record);
    if (value === null || value === undefined) return '';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
}

export function MergeModal({
  meta,
  ids,
  onClose,
  onMerged,
}: {
  meta: ObjectMeta;
  /** The records to merge (2 or more); null = closed. */
  ids: string[] | null;
  onClose: () => void;
  onMerged?: (result: MergeResult) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const preview = useMergePreview(meta.key, ids);
  const fields = useFields(meta.key).data;
  const merge = useMergeRecords(meta.key);
  const undo = useUndoMerge(meta.key);
  const onError = useErrorHandler();
  const text = useValueText();
  const titleField = meta.presentation.titleField;
  const [survivor, setSurvivor] = useState<string | null>(null);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const records = useMemo(() => preview.data?.records ?? [], [preview.data]);

  // The survivor starts as the first record; each field starts with the survivor's value, or
  // the first record that has one when the survivor's is empty.
  useEffect(() => {
    if (records.length === 0) return;
    const first = records[0]!.id;
    setSurvivor(first);
    setChoice({});
  }, [records]);

  const chosen = (key: string): string => {
    if (choice[key]) return choice[key];
    const own = records.find((r) => r.id === survivor);
    const empty = (r: AnyRecord) => text(undefined, r, key) === '';
    if (own && !empty(own)) return own.id;
    return records.find((r) => !empty(r))?.id ?? survivor ?? '';
  };

  const submit = () => {
    if (!survivor) return;
    const values: Record<string, string> = {};
    for (const f of preview.data?.fields ?? []) values[f.key] = chosen(f.key);
    merge.mutate(
      {
        survivorId: survivor,
        mergedIds: records.map((r) => r.id).filter((id) => id !== survivor),
        values,
      },
      {
        onSuccess: (result) => {
          const name = recordName(result.record, titleField);
          const id = `merge-${result.mergeId}`;
          notifications.show({
            id,
            color: 'teal',
            autoClose: 15000,
            title: t('merge.merged', { name }),
            message: (
              <Button
                size="xs"
                variant="light"
                mt={4}
                leftSection={<IconArrowBackUp size={14} />}
                onClick={() =>
                  undo.mutate(result.mergeId, {
                    onSuccess: () => {
                      notifications.hide(id);
                      notifySuccess(t('merge.undone'));
                    },
                    onError: (err) => onError(err),
                  })
                }
              >
                {t('merge.undo')}
              </Button>
            ),
          });
          onMerged?.(result);
          onClose();
        },
        onError: (err) => onError(err),
      },
    );
  };

  return (
    <Modal
      opened={ids !== null}
      onClose={onClose}
      size="xl"
      title={t('merge.title')}
      aria-label={t('merge.title')}
    >
      {preview.isPending && ids !== null ? (
        <InlineLoader />
      ) : preview.isError ? (
        <QueryError error={preview.error} onRetry={() => void preview.refetch()} />
      ) : (
        <Stack>
          <Text size="sm" c="dimmed">
            {t('merge.explain')}
          </Text>
          <ScrollArea>
            <Table withTableBorder verticalSpacing="xs" miw={480}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('merge.field')}</Table.Th>
                  {records.map((r) => (
                    <Table.Th key={r.id}>
                      {recordName(r, titleField) || t('records.unnamed')}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {t('merge.keep')}
                    </Text>
                  </Table.Td>
                  {records.map((r) => (
                    <Table.Td key={r.id}>
                      <Radio
                        name="survivor"
                        checked={survivor === r.id}
                        onChange={() => setSurvivor(r.id)}
                        label={t('merge.keepThis')}
                        aria-label={t('merge.keepLabel', {
                          name: recordName(r, titleField) || t('records.unnamed'),
                        })}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
                {(preview.data?.fields ?? []).map((f) => {
                  const field = fields?.find((x) => x.key === f.key);
                  return (
                    <Table.Tr key={f.key}>
                      <Table.Td>
                        <Text size="sm">{f.label[lang]}</Text>
                      </Table.Td>
                      {records.map((r) => (
                        <Table.Td key={r.id}>
                          <Radio
                            name={`value-${f.key}`}
                            checked={chosen(f.key) === r.id}
                            onChange={() => setChoice((c) => ({ ...c, [f.key]: r.id }))}
                            label={text(field, r, f.key) || '—'}
                            aria-label={`${f.label[lang]}: ${text(field, r, f.key) || '—'}`}
                          />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Alert color="blue" variant="light">
            {t('merge.moves')}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              leftSection={<IconGitMerge size={16} />}
              loading={merge.isPending}
              disabled={!survivor || records.length < 2}
              onClick={submit}
            >
              {t('merge.confirm', { count: records.length })}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/**
 * On a record's page: "N records were merged into this one" with the undo, while the last merge
 * into it can still be undone (the server refuses once the record changed: the message says so).
 */
export function MergedBanner({ meta, record }: { meta: ObjectMeta; record: AnyRecord }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const merges = useRecordMerges(meta.key, record.id);
  const undo = useUndoMerge(meta.key);
  const onError = useErrorHandler();
  const last = merges.data?.items.find((m) => !m.undone);
  if (!last) return null;
  return (
    <Alert color="blue" variant="light" icon={<IconGitMerge size={18} />}>
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {t('merge.banner', { count: last.mergedIds.length, at: fmt.dateTime(last.createdAt) })}
        </Text>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconArrowBackUp size={14} />}
          loading={undo.isPending}
          onClick={() =>
            undo.mutate(last.id, {
              onSuccess: () => {
                notifySuccess(t('merge.undone'));
                void merges.refetch();
              },
              onError: (err) => onError(err),
            })
          }
        >
          {t('merge.undo')}
        </Button>
      </Group>
    </Alert>
  );
}
