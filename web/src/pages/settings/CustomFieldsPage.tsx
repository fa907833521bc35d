/** Settings → Custom fields (admins): the fields each record object carries beyond the built-in ones. */
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CUSTOM_FIELD_TYPES,
  useCreateCustomField,
  useCustomFields,
  useDeleteCustomField,
  useUpdateCustomField,
  type CustomField,
  type CustomFieldInput,
  type CustomFieldType,
  type RecordObjectKey,
} from '../../api/records';
import { useCan } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { EditDeleteActions, SettingsTable, useConfirmAction } from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { fold } from '../records/inputs';

export function CustomFieldsPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('settings.customFields.title')}
        description={t('settings.customFields.description')}
      />
      <Tabs defaultValue="contacts" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="contacts">{t('records.contacts.title')}</Tabs.Tab>
          <Tabs.Tab value="companies">{t('records.companies.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="contacts" pt="md">
          <FieldList object="contacts" />
        </Tabs.Panel>
        <Tabs.Panel value="companies" pt="md">
          <FieldList object="companies" />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function FieldList({ object }: { object: RecordObjectKey }) {
  const { t } = useTranslation();
  const fields = useCustomFields(object);
  const canCreate = useCan('custom_fields', 'create');
  const canUpdate = useCan('custom_fields', 'update');
  const canDelete = useCan('custom_fields', 'delete');
  const remove = useDeleteCustomField(object);
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const deleting = useConfirmAction<CustomField>({
    title: () => t('settings.customFields.deleteTitle'),
    text: (f) => t('settings.customFields.deleteConfirm', { name: f?.label ?? '' }),
    loading: remove.isPending,
    run: (f) => remove.mutateAsync(f.id),
    done: () => t('settings.customFields.deleted'),
  });

  return (
    <>
      <SettingsTable
        query={fields}
        rowKey={(f) => f.id}
        minWidth={640}
        hover={false}
        empty={null}
        aside={
          <>
            <Text size="sm" c="dimmed">
              {fields.data && t('settings.customFields.count', { count: fields.data.length })}
            </Text>
            {canCreate && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                {t('settings.customFields.add')}
              </Button>
            )}
          </>
        }
        columns={[
          {
            header: t('settings.customFields.label'),
            cell: (f) => (
              <Text size="sm" fw={500}>
                {f.label}
              </Text>
            ),
          },
          {
            header: t('settings.customFields.key'),
            cell: (f) => (
              <Text size="sm" ff="monospace">
                {f.key}
              </Text>
            ),
          },
          {
            header: t('settings.customFields.type'),
            cell: (f) => t(`settings.customFields.types.${f.type}`),
          },
          {
            header: t('settings.customFields.rules'),
            cell: (f) => (
              <Group gap={4}>
                {f.required && (
                  <Badge size="sm" variant="light">
                    {t('settings.customFields.required')}
                  </Badge>
                )}
                {f.unique && (
                  <Badge size="sm" variant="light" color="grape">
                    {t('settings.customFields.unique')}
                  </Badge>
                )}
              </Group>
            ),
          },
        ]}
        actions={(f) => (
          <EditDeleteActions
            edit={
              canUpdate && {
                label: t('settings.customFields.editNamed', { name: f.label }),
                onClick: () => setEditing(f),
              }
            }
            remove={
              canDelete && {
                label: t('settings.customFields.deleteNamed', { name: f.label }),
                onClick: () => deleting.open(f),
              }
            }
          />
        )}
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('settings.customFields.add') : t('settings.customFields.edit')}
        size="lg"
      >
        {editing !== null && (
          <FieldForm
            object={object}
            field={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
      {deleting.modal}
    </>
  );
}

/** `Hạng thành viên` → `hang_thanh_vien`. */
export function keyFromLabel(label: string): string {
  const k = fold(label)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63);
  return /^[a-z]/.test(k) ? k : k ? `f_${k}`.slice(0, 63) : '';
}

interface FormValues {
  label: string;
  key: string;
  type: CustomFieldType;
  choices: { key: string; label: string }[];
  target: string;
  required: boolean;
  unique: boolean;
  defaultValue: string;
}

function FieldForm({
  object,
  field,
  onDone,
}: {
  object: RecordObjectKey;
  field?: CustomField;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateCustomField(object);
  const update = useUpdateCustomField(object);
  const onError = useErrorHandler();
  const [keyTouched, setKeyTouched] = useState(Boolean(field));
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: {
      label: field?.label ?? '',
      key: field?.key ?? '',
      type: field?.type ?? 'text',
      choices: field?.options.choices?.map((c) => ({ key: c.key, label: c.label })) ?? [],
      target: field?.options.target ?? 'companies',
      required: field?.required ?? false,
      unique: field?.unique ?? false,
      defaultValue:
        field?.defaultValue === null || field?.defaultValue === undefined
          ? ''
          : String(field.defaultValue),
    },
    validate: {
      label: (v) => (v.trim() ? null : t('validation.required')),
      key: (v) => (/^[a-z][a-z0-9_]{0,62}$/.test(v) ? null : t('settings.customFields.keyRule')),
    },
  });
  const v = form.getValues();
  const isSelect = v.type === 'select' || v.type === 'multi_select';

  const submit = form.onSubmit((values) => {
    const options: NonNullable<CustomFieldInput['options']> = {};
    if (isSelect) {
      options.choices = values.choices
        .filter((c) => c.label.trim())
        .map((c) => ({ key: c.key || keyFromLabel(c.label), label: c.label.trim() }));
    }
    if (values.type === 'link') options.target = values.target;
    let defaultValue: unknown = values.defaultValue.trim() || null;
    if (defaultValue !== null && (values.type === 'number' || values.type === 'money')) {
      defaultValue = Number(defaultValue);
    }
    if (defaultValue !== null && values.type === 'boolean') defaultValue = defaultValue === 'true';
    const body = {
      label: values.label.trim(),
      type: values.type,
      options,
      required: values.required,
      unique: values.unique,
      defaultValue,
    };
    const handlers = {
      onSuccess: () => {
        notifySuccess(t('settings.customFields.saved'));
        onDone();
      },
      onError: (err: unknown) => onError(err, { form, fieldMap: { 'options.choices': 'choices' } }),
    };
    if (field) update.mutate({ id: field.id, ...body }, handlers);
    else create.mutate({ ...body, key: values.key }, handlers);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label={t('settings.customFields.label')}
          data-autofocus
          {...form.getInputProps('label')}
          onChange={(e) => {
            const label = e.currentTarget.value;
            form.setFieldValue('label', label);
            if (!keyTouched) form.setFieldValue('key', keyFromLabel(label));
          }}
        />
        <TextInput
          label={t('settings.customFields.key')}
          description={t('settings.customFields.keyHelp')}
          disabled={Boolean(field)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          {...form.getInputProps('key')}
          onChange={(e) => {
            setKeyTouched(true);
            form.setFieldValue('key', e.currentTarget.value);
          }}
        />
        <Select
          label={t('settings.customFields.type')}
          disabled={Boolean(field)}
          allowDeselect={false}
          data={CUSTOM_FIELD_TYPES.map((ty) => ({
            value: ty,
            label: t(`settings.customFields.types.${ty}`),
          }))}
          {...form.getInputProps('type')}
        />
        {isSelect && (
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              {t('settings.customFields.choices')}
            </Text>
            {v.choices.map((_, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
                <TextInput
                  style={{ flex: 1 }}
                  label={t('settings.customFields.choiceN', { n: i + 1 })}
                  {...form.getInputProps(`choices.${i}.label`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  mb={4}
                  aria-label={t('settings.customFields.removeChoice', { n: i + 1 })}
                  onClick={() => form.removeListItem('choices', i)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            {form.errors.choices && (
              <Text size="xs" c="red">
                {form.errors.choices}
              </Text>
            )}
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlus size={14} />}
              onClick={() => form.insertListItem('choices', { key: '', label: '' })}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('settings.customFields.addChoice')}
            </Button>
          </Stack>
        )}
        {v.type === 'link' && (
          <Select
            label={t('settings.customFields.target')}
            allowDeselect={false}
            data={[
              { value: 'contacts', label: t('records.contacts.title') },
              { value: 'companies', label: t('records.companies.title') },
            ]}
            {...form.getInputProps('target')}
          />
        )}
        <TextInput
          label={t('settings.customFields.defaultValue')}
          {...form.getInputProps('defaultValue')}
        />
        <Group>
          <Checkbox
            label={t('settings.customFields.required')}
            {...form.getInputProps('required', { type: 'checkbox' })}
          />
          <Checkbox
            label={t('settings.customFields.unique')}
            {...form.getInputProps('unique', { type: 'checkbox' })}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
