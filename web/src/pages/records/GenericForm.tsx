/**
 * The create/edit form of any record object, built from its fields metadata
 * (`/objects/:object/fields`) and its declaration (`presentation.formFields`: the short form;
 * every other writable field behind "more fields"). Objects with a form of their own register it
 * in objectUi.tsx; every other object (products…) gets this one.
 */
import { Button, Collapse, Group, Modal, SimpleGrid, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import {
  recordName,
  useCreateRecord,
  useFields,
  useUpdateRecord,
  type AnyRecord,
  type FieldMeta,
  type ObjectMeta,
} from '../../api/records';
import { InlineLoader } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useObjectText } from './objectUi';
import { CustomFieldInput } from './inputs';

export interface RecordFormModalProps {
  meta: ObjectMeta;
  opened: boolean;
  onClose: () => void;
  /** Edit this record; create a new one when absent. */
  record?: AnyRecord;
  onSaved?: (record: AnyRecord) => void;
}

/** Fields a person writes in a form: not read-only, not structured (JSON) values. */
const writable = (f: FieldMeta) => !f.readOnly && f.type !== 'json' && f.type !== 'tags';

export function GenericRecordFormModal({
  meta,
  opened,
  onClose,
  record,
  onSaved,
}: RecordFormModalProps) {
  const text = useObjectText(meta);
  return (
    <Modal opened={opened} onClose={onClose} title={record ? text.edit : text.newLabel} size="lg">
      {opened && (
        <GenericRecordForm meta={meta} record={record} onDone={onClose} onSaved={onSaved} />
      )}
    </Modal>
  );
}

function valueOf(record: AnyRecord | undefined, f: FieldMeta): unknown {
  if (!record) return f.type === 'boolean' ? f.required || undefined : undefined;
  if (f.key.startsWith('custom.')) return record.custom[f.key.slice('custom.'.length)];
  return record[f.key];
}

function GenericRecordForm({
  meta,
  record,
  onDone,
  onSaved,
}: {
  meta: ObjectMeta;
  record?: AnyRecord;
  onDone: () => void;
  onSaved?: (record: AnyRecord) => void;
}) {
  const fields = useFields(meta.key);
  if (fields.isPending) return <InlineLoader />;
  return (
    <FormBody
      meta={meta}
      fields={(fields.data ?? []).filter(writable)}
      record={record}
      onDone={onDone}
      onSaved={onSaved}
    />
  );
}

function FormBody({
  meta,
  fields,
  record,
  onDone,
  onSaved,
}: {
  meta: ObjectMeta;
  fields: FieldMeta[];
  record?: AnyRecord;
  onDone: () => void;
  onSaved?: (record: AnyRecord) => void;
}) {
  const { t } = useTranslation();
  const text = useObjectText(meta);
  const onError = useErrorHandler();
  const create = useCreateRecord(meta.key);
  const update = useUpdateRecord(meta.key);
  const [more, { toggle }] = useDisclosure(false);
  const short = meta.presentation.formFields ?? fields.map((f) => f.key);
  const first = fields.filter((f) => short.includes(f.key) || f.required);
  const rest = fields.filter((f) => !first.includes(f));

  const initial: Record<string, unknown> = { custom: {} };
  for (const f of fields) {
    const v = valueOf(record, f);
    if (f.key.startsWith('custom.'))
      (initial.custom as Record<string, unknown>)[f.key.slice(7)] = v ?? null;
    else initial[f.key] = v ?? null;
  }
  const form = useForm<Record<string, unknown>>({ mode: 'controlled', initialValues: initial });

  const submit = form.onSubmit(async (values) => {
    // Only what the person filled in (create) or changed (edit).
    const input: Record<string, unknown> = {};
    const custom: Record<string, unknown> = {};
    for (const f of fields) {
      const isCustom = f.key.startsWith('custom.');
      const key = isCustom ? f.key.slice(7) : f.key;
      const v = isCustom ? (values.custom as Record<string, unknown>)[key] : values[key];
      const before = valueOf(record, f) ?? null;
      if (record ? JSON.stringify(v ?? null) === JSON.stringify(before) : v === null || v === '')
        continue;
      if (isCustom) custom[key] = v === '' ? null : v;
      else input[key] = v === '' ? null : v;
    }
    if (Object.keys(custom).length > 0) input.custom = custom;
    try {
      const saved = record
        ? await update.mutateAsync({ id: record.id, input })
        : await create.mutateAsync(input);
      notifySuccess(
        record
          ? t('records.form.saved')
          : text.created(recordName(saved, meta.presentation.titleField)),
      );
      onSaved?.(saved);
      onDone();
    } catch (err) {
      onError(err, {
        form,
        fields: fields.map((f) => f.key),
      });
    }
  });

  const input = (f: FieldMeta) => (
    <CustomFieldInput
      key={f.key}
      field={f}
      value={form.getValues() && form.getInputProps(f.key).value}
      onChange={(v) => form.setFieldValue(f.key, v)}
      error={form.errors[f.key]}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {first.map(input)}
        </SimpleGrid>
        {rest.length > 0 && (
          <>
            <Group>
              <Button variant="subtle" size="compact-sm" onClick={toggle} aria-expanded={more}>
                {more ? t('records.form.fewerFields') : t('records.form.moreFields')}
              </Button>
            </Group>
            <Collapse expanded={more}>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                {rest.map(input)}
              </SimpleGrid>
            </Collapse>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {record ? t('common.save') : text.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
