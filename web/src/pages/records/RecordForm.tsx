/**
 * Create / edit form of a contact or a company. Vietnamese name parts (family, middle, given),
 * labelled phones and emails with one primary, an address with province → ward pickers, owner,
 * tags and the workspace's custom fields. The API's per-field errors land under their inputs
 * (`phones.0.value`, `taxCode`, `custom.hang`…).
 */
import {
  ActionIcon,
  Button,
  Divider,
  Group,
  Modal,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  COMPANY_TYPES,
  GENDERS,
  LIFECYCLE_STAGES,
  SALUTATIONS,
  primaryOf,
  recordName,
  useCreateRecord,
  useFields,
  recordKeys,
  useUpdateRecord,
  type AnyRecord,
  type Company,
  type Contact,
  type RecordInput,
  type RecordObjectKey,
} from '../../api/records';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { phoneText, systemChoiceLabel } from './fields';
import { CustomFieldInput, OwnerSelect, ProvinceSelect, RecordPicker, WardSelect } from './inputs';

interface Labeled {
  value: string;
  label: string;
  primary: boolean;
}

interface FormValues {
  familyName: string;
  middleName: string;
  givenName: string;
  salutation: string | null;
  gender: string | null;
  birthday: string;
  lifecycleStage: string;
  source: string;
  name: string;
  taxCode: string;
  type: string;
  industry: string;
  website: string;
  phones: Labeled[];
  emails: Labeled[];
  addresses: { street: string; provinceCode: string | null; wardCode: string | null }[];
  ownerId: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  companyId: string | null;
  jobTitle: string;
}

const PHONE_LABELS = ['mobile', 'work', 'home', 'other'];
const EMAIL_LABELS = ['work', 'personal', 'other'];

function initialValues(
  object: RecordObjectKey,
  record: AnyRecord | undefined,
  me: string,
): FormValues {
  const c = record && object === 'contacts' ? (record as Contact) : undefined;
  const co = record && object === 'companies' ? (record as Company) : undefined;
  const address = primaryOf(record?.addresses);
  return {
    familyName: c?.familyName ?? '',
    middleName: c?.middleName ?? '',
    givenName: c?.givenName ?? '',
    salutation: c?.salutation ?? null,
    gender: c?.gender ?? null,
    birthday: c?.birthday ?? '',
    lifecycleStage: c?.lifecycleStage ?? 'lead',
    source: c?.source ?? '',
    name: co?.name ?? '',
    taxCode: co?.taxCode ?? '',
    type: co?.type ?? 'prospect',
    industry: co?.industry ?? '',
    website: co?.website ?? '',
    phones: record?.phones?.length
      ? record.phones.map((p) => ({
          value: phoneText(p),
          label: p.label ?? 'mobile',
          primary: p.primary,
        }))
      : [{ value: '', label: object === 'contacts' ? 'mobile' : 'work', primary: true }],
    emails: record?.emails?.length
      ? record.emails.map((e) => ({ value: e.value, label: e.label ?? 'work', primary: e.primary }))
      : [{ value: '', label: 'work', primary: true }],
    addresses: [
      {
        street: address?.street ?? '',
        provinceCode: address?.provinceCode ?? null,
        wardCode: address?.wardCode ?? null,
      },
    ],
    ownerId: record ? record.ownerId : me,
    tags: record?.tags ?? [],
    custom: { ...(record?.custom ?? {}) },
    companyId: null,
    jobTitle: '',
  };
}

function labeled(list: Labeled[]) {
  const kept = list.filter((x) => x.value.trim());
  const hasPrimary = kept.some((x) => x.primary);
  return kept.map((x, i) => ({
    value: x.value.trim(),
    label: x.label || null,
    primary: hasPrimary ? x.primary : i === 0,
  }));
}

function toInput(object: RecordObjectKey, v: FormValues): RecordInput {
  const a = v.addresses[0];
  const addresses =
    a && (a.street.trim() || a.provinceCode || a.wardCode)
      ? [
          {
            label: null,
            street: a.street.trim() || null,
            provinceCode: a.provinceCode,
            wardCode: a.wardCode,
            text: null,
            countryCode: 'VN',
            primary: true,
          },
        ]
      : [];
  const common = {
    phones: labeled(v.phones),
    emails: labeled(v.emails),
    addresses,
    ownerId: v.ownerId,
    tags: v.tags,
    custom: Object.fromEntries(
      Object.entries(v.custom).filter(([, x]) => x !== '' && x !== undefined),
    ),
  };
  if (object === 'contacts') {
    return {
      ...common,
      familyName: v.familyName.trim() || null,
      middleName: v.middleName.trim() || null,
      givenName: v.givenName.trim() || null,
      salutation: v.salutation,
      gender: v.gender,
      birthday: v.birthday || null,
      lifecycleStage: v.lifecycleStage,
      source: v.source.trim() || null,
    };
  }
  return {
    ...common,
    name: v.name.trim(),
    taxCode: v.taxCode.trim() || null,
    type: v.type,
    industry: v.industry.trim() || null,
    website: v.website.trim() || null,
  };
}

/** Every leaf path of the form values ("phones.0.value", "custom.hang"…), for error routing. */
function paths(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const out = prefix ? [prefix] : [];
    for (const [k, v] of Object.entries(value))
      out.push(...paths(v, prefix ? `${prefix}.${k}` : k));
    return out;
  }
  if (Array.isArray(value) && value.some((x) => x && typeof x === 'object')) {
    const out = prefix ? [prefix] : [];
    value.forEach((v, i) => out.push(...paths(v, `${prefix}.${i}`)));
    return out;
  }
  return [prefix];
}

export function RecordFormModal({
  object,
  opened,
  onClose,
  record,
  onSaved,
}: {
  object: RecordObjectKey;
  opened: boolean;
  onClose: () => void;
  /** Edit this record; create a new one when absent. */
  record?: AnyRecord;
  onSaved?: (record: AnyRecord) => void;
}) {
  const { t } = useTranslation();
  const title = record ? t(`records.${object}.edit`) : t(`records.${object}.new`);
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="xl" fullScreen={false}>
      {opened && <RecordForm object={object} record={record} onDone={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

export function RecordForm({
  object,
  record,
  onDone,
  onSaved,
}: {
  object: RecordObjectKey;
  record?: AnyRecord;
  onDone: () => void;
  onSaved?: (record: AnyRecord) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const fields = useFields(object);
  const create = useCreateRecord(object);
  const update = useUpdateRecord(object);
  const onError = useErrorHandler();
  const isContact = object === 'contacts';
  const customFields = (fields.data ?? []).filter((f) => f.key.startsWith('custom.'));

  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: initialValues(object, record, session.user.id),
    validate: {
      givenName: (v, values) =>
        isContact && !v.trim() && !values.familyName.trim() ? t('validation.required') : null,
      name: (v) => (!isContact && !v.trim() ? t('validation.required') : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    const input = toInput(object, values);
    const errorOptions = { form, fields: paths(form.getValues()) };
    try {
      let saved: AnyRecord;
      if (record) {
        saved = await update.mutateAsync({ id: record.id, input });
      } else {
        saved = await create.mutateAsync(input);
        if (isContact && values.companyId) {
          await api.post(`/contacts/${encodeURIComponent(saved.id)}/companies`, {
            companyId: values.companyId,
            jobTitle: values.jobTitle.trim() || null,
            isPrimary: true,
          });
          void qc.invalidateQueries({ queryKey: recordKeys.all('companies') });
          void qc.invalidateQueries({ queryKey: recordKeys.all('contacts') });
        }
      }
      notifySuccess(
        record
          ? t('records.form.saved')
          : t(`records.${object}.created`, { name: displayOf(saved) }),
      );
      onSaved?.(saved);
      onDone();
    } catch (err) {
      onError(err, errorOptions);
    }
  });

  const list = (key: 'phones' | 'emails', labels: string[], kind: 'phone' | 'email') => {
    const items = form.getValues()[key];
    return (
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            {t(`records.fields.${key}`)}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconPlus size={12} />}
            onClick={() =>
              form.insertListItem(key, {
                value: '',
                label: labels[0]!,
                primary: items.length === 0,
              })
            }
          >
            {t(`records.form.add_${kind}`)}
          </Button>
        </Group>
        <Radio.Group
          value={String(items.findIndex((x) => x.primary))}
          onChange={(i) =>
            form.setFieldValue(
              key,
              items.map((x, j) => ({ ...x, primary: String(j) === i })),
            )
          }
          aria-label={t('records.form.primary')}
        >
          <Stack gap="xs">
            {items.map((_, i) => (
              <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                <TextInput
                  style={{ flex: 1 }}
                  label={t(`records.form.${kind}N`, { n: i + 1 })}
                  type={kind === 'email' ? 'email' : 'tel'}
                  inputMode={kind === 'phone' ? 'tel' : 'email'}
                  placeholder={kind === 'phone' ? '0912 345 678' : 'ten@congty.vn'}
                  {...form.getInputProps(`${key}.${i}.value`)}
                />
                <Select
                  w={110}
                  label={t('records.form.label')}
                  data={labels.map((l) => ({ value: l, label: t(`records.labels.${l}`) }))}
                  allowDeselect={false}
                  {...form.getInputProps(`${key}.${i}.label`)}
                />
                <Radio
                  mt={30}
                  value={String(i)}
                  aria-label={t('records.form.makePrimary', { n: i + 1 })}
                  title={t('records.form.primary')}
                />
                <ActionIcon
                  mt={26}
                  variant="subtle"
                  color="gray"
                  aria-label={t('records.form.remove', { n: i + 1 })}
                  onClick={() => form.removeListItem(key, i)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        </Radio.Group>
      </Stack>
    );
  };

  const address = form.getValues().addresses[0];
  const existingAddress = primaryOf(record?.addresses);

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        {isContact ? (
          <>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t('records.fields.familyName')}
                placeholder="Nguyễn"
                data-autofocus
                {...form.getInputProps('familyName')}
              />
              <TextInput
                label={t('records.fields.middleName')}
                placeholder="Thị Hồng"
                {...form.getInputProps('middleName')}
              />
              <TextInput
                label={t('records.fields.givenName')}
                placeholder="Nhung"
                withAsterisk
                {...form.getInputProps('givenName')}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select
                label={t('records.fields.salutation')}
                clearable
                data={SALUTATIONS.map((s) => ({
                  value: s,
                  label: systemChoiceLabel(t, 'salutation', s),
                }))}
                {...form.getInputProps('salutation')}
              />
              <Select
                label={t('records.fields.gender')}
                clearable
                data={GENDERS.map((g) => ({ value: g, label: systemChoiceLabel(t, 'gender', g) }))}
                {...form.getInputProps('gender')}
              />
              <TextInput
                type="date"
                label={t('records.fields.birthday')}
                {...form.getInputProps('birthday')}
              />
            </SimpleGrid>
          </>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('records.fields.companyName')}
              withAsterisk
              data-autofocus
              {...form.getInputProps('name')}
            />
            <TextInput
              label={t('records.fields.taxCode')}
              inputMode="numeric"
              placeholder="0100109106"
              {...form.getInputProps('taxCode')}
            />
            <Select
              label={t('records.fields.companyType')}
              allowDeselect={false}
              data={COMPANY_TYPES.map((c) => ({
                value: c,
                label: systemChoiceLabel(t, 'type', c),
              }))}
              {...form.getInputProps('type')}
            />
            <TextInput label={t('records.fields.industry')} {...form.getInputProps('industry')} />
            <TextInput
              label={t('records.fields.website')}
              type="url"
              placeholder="https://"
              {...form.getInputProps('website')}
            />
          </SimpleGrid>
        )}

        <Divider />
        {list('phones', PHONE_LABELS, 'phone')}
        {list('emails', EMAIL_LABELS, 'email')}

        <Divider />
        <Title order={3} size="h5">
          {t('records.fields.address')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <ProvinceSelect
            label={t('records.address.province')}
            value={address?.provinceCode ?? null}
            onChange={(code) => {
              form.setFieldValue('addresses.0.provinceCode', code);
              form.setFieldValue('addresses.0.wardCode', null);
            }}
            error={form.errors['addresses.0.provinceCode']}
          />
          <WardSelect
            key={address?.provinceCode ?? 'none'}
            label={t('records.address.ward')}
            provinceCode={address?.provinceCode ?? null}
            initialName={
              existingAddress?.provinceCode === address?.provinceCode
                ? existingAddress?.wardName
                : null
            }
            value={address?.wardCode ?? null}
            onChange={(code) => form.setFieldValue('addresses.0.wardCode', code)}
            error={form.errors['addresses.0.wardCode']}
          />
        </SimpleGrid>
        <TextInput
          label={t('records.address.street')}
          {...form.getInputProps('addresses.0.street')}
        />

        <Divider />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {isContact && (
            <Select
              label={t('records.fields.lifecycleStage')}
              allowDeselect={false}
              data={LIFECYCLE_STAGES.map((s) => ({
                value: s,
                label: systemChoiceLabel(t, 'lifecycleStage', s),
              }))}
              {...form.getInputProps('lifecycleStage')}
            />
          )}
          <OwnerSelect
            label={t('records.fields.owner')}
            value={form.getValues().ownerId}
            onChange={(v) => form.setFieldValue('ownerId', v)}
            error={form.errors.ownerId}
          />
          <TagsInput label={t('records.fields.tags')} clearable {...form.getInputProps('tags')} />
          {isContact && (
            <TextInput label={t('records.fields.source')} {...form.getInputProps('source')} />
          )}
        </SimpleGrid>

        {isContact && !record && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <RecordPicker
              label={t('records.fields.company')}
              types="companies"
              value={form.getValues().companyId}
              onChange={(id) => form.setFieldValue('companyId', id)}
            />
            <TextInput
              label={t('records.fields.jobTitle')}
              disabled={!form.getValues().companyId}
              {...form.getInputProps('jobTitle')}
            />
          </SimpleGrid>
        )}

        {customFields.length > 0 && (
          <>
            <Divider />
            <Title order={3} size="h5">
              {t('records.form.customFields')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {customFields.map((f) => {
                const path = f.key; // custom.<key>
                return (
                  <CustomFieldInput
                    key={f.key}
                    field={f}
                    value={form.getValues().custom[f.key.slice(7)]}
                    onChange={(v) => form.setFieldValue(path, v as never)}
                    error={form.errors[path]}
                  />
                );
              })}
            </SimpleGrid>
          </>
        )}

        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {record ? t('common.save') : t(`records.${object}.create`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function displayOf(r: AnyRecord): string {
  return recordName(r);
}
