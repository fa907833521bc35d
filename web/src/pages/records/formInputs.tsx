/**
 * The inputs of the record form (RecordForm.tsx). An entry of an object's form
 * (`presentation.form`) is edited by the input its declaration names in `form.inputs`
 * (registered in objectUi.tsx `formInputs`: `personName`, `phones`, `emails`, `address`,
 * `employer`…) or else by `fieldInput`, the input of its field's type. An input owns some form
 * values (its `initial`), turns them into its part of the create/patch body (`toInput`) and may
 * do something once the record exists (`afterCreate`). The server's field errors land under the
 * input that owns their path.
 */
import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconAlertTriangle, IconPlus, IconTrash } from '@tabler/icons-react';
import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEffect, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fieldChoices,
  primaryOf,
  useFields,
  type AnyRecord,
  type FieldMeta,
  type LabeledValue,
  type ObjectMeta,
  type RecordInput,
} from '../../api/records';
import { displayText, phoneText, rawValue } from './fields';
import { CustomFieldInput, ProvinceSelect, WardSelect } from './inputs';
import { useFormat } from '../../lib/format';

export type FormValues = Record<string, unknown>;
export type RecordFormApi = UseFormReturnType<FormValues>;

export interface EntryContext {
  /** The entry's key in the declaration (a field key, or a key its input writes). */
  entry: string;
  /** The field of that key, when it is one. */
  field: FieldMeta | undefined;
  meta: ObjectMeta;
  /** The record being edited; none when creating. */
  record: AnyRecord | undefined;
  /** The signed-in user (a new record's owner). */
  me: string;
}

/** What the server answered about a value another record already holds. */
export interface DuplicateMatch {
  key: string;
  value: string;
  records: { id: string; name: string }[];
  outsideScope: boolean;
}

export interface FormInputProps extends EntryContext {
  form: RecordFormApi;
  /**
   * Call as a person leaves an input whose value should be unique (the object's duplicate
   * keys): the form asks the server and shows `warning(path)` under it.
   */
  checkDuplicate: (path: string, key: string, value: string) => void;
  warning: (path: string) => ReactNode;
}

export interface FormInput {
  Component: ComponentType<FormInputProps>;
  /** The form values it owns, from the record (or a new record's). */
  initial: (ctx: EntryContext) => FormValues;
  /** Its part of the create/patch body (when editing, sent only if it changed). */
  toInput: (values: FormValues, ctx: EntryContext) => RecordInput;
  /** Form paths (and their sub-paths) whose errors are its own. */
  paths: (ctx: EntryContext) => string[];
  /** Errors found before sending, by path. */
  validate?: (values: FormValues, t: TFunction, ctx: EntryContext) => Record<string, string>;
  /** Once a new record is saved (a contact's employer is a link of its own). */
  afterCreate?: (
    saved: AnyRecord,
    values: FormValues,
    ctx: EntryContext & { qc: QueryClient },
  ) => Promise<void>;
  /** Takes a whole row of the form. */
  wide?: boolean;
}

// --- a field by its type --------------------------------------------------------------------

const customKey = (key: string) => (key.startsWith('custom.') ? key.slice(7) : null);

/** The form value of a plain field: its record value, a new record's default, or empty. */
function fieldValue({ entry, field, record, meta, me }: EntryContext): unknown {
  if (record) return rawValue(record, entry) ?? null;
  const preset = meta.presentation.form?.defaults?.[entry];
  if (preset !== undefined) return preset;
  if (entry === 'ownerId') return me;
  return field?.type === 'boolean' && field.required ? false : null;
}

function FieldEntry({ entry, field, form, record, meta, checkDuplicate, warning }: FormInputProps) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  // A required choice that scopes another field (a deal's pipeline, which its stage follows)
  // starts, on a new record, on its first option: the default pipeline and its first stage.
  const siblings = useFields(meta.key).data;
  const scopesOthers =
    !record &&
    field?.type === 'select' &&
    field.required &&
    (siblings ?? []).some((f) => f.scopedBy === entry);
  const firstOwn = scopesOthers
    ? (fieldChoices(field, i18n.language).find((c) => !c.archived)?.value ?? null)
    : null;
  const current = form.getInputProps(entry).value as unknown;
  const unset = current === null || current === undefined || current === '';
  useEffect(() => {
    if (unset && firstOwn) form.setFieldValue(entry, firstOwn);
  }, [unset, firstOwn, entry, form]);
  const scope = field?.scopedBy ? (form.getInputProps(field.scopedBy).value as unknown) : undefined;
  const value = form.getInputProps(entry).value as unknown;
  // A field scoped by another (a stage by its pipeline) offers only the options of that value,
  // and follows it: another pipeline starts on its first stage. No value yet: every option.
  const scoped = Boolean(field?.scopedBy) && typeof scope === 'string' && scope !== '';
  const options = scoped
    ? (field?.options ?? []).filter((o) => o.scope === undefined || o.scope === scope)
    : field?.options;
  const first = options?.[0]?.key ?? null;
  const outside = scoped && !(options ?? []).some((o) => o.key === value);
  useEffect(() => {
    if (outside) form.setFieldValue(entry, first);
  }, [outside, first, entry, form]);
  if (!field) return null;
  const checks = meta.duplicateKeys.includes(entry);
  return (
    <Stack gap={4}>
      <CustomFieldInput
        field={field.scopedBy ? { ...field, options: options ?? null } : field}
        value={value}
        onChange={(v) => form.setFieldValue(entry, v)}
        error={form.errors[entry]}
        initialLabel={field.type === 'link' && record ? displayText(t, fmt, field, record) : null}
        onBlur={checks ? () => checkDuplicate(entry, entry, String(value ?? '')) : undefined}
      />
      {warning(entry)}
    </Stack>
  );
}

export const fieldInput: FormInput = {
  Component: FieldEntry,
  initial: (ctx) => {
    const custom = customKey(ctx.entry);
    const value = fieldValue(ctx);
    return custom ? { custom: { [custom]: value } } : { [ctx.entry]: value };
  },
  toInput: (values, { entry }) => {
    const custom = customKey(entry);
    const raw = custom ? (values.custom as FormValues | undefined)?.[custom] : values[entry];
    const value = raw === '' || raw === undefined ? null : raw;
    return custom ? { custom: { [custom]: value } } : { [entry]: value };
  },
  paths: ({ entry }) => [entry],
  validate: (values, t, { entry, field }) => {
    if (!field?.required || field.type === 'boolean') return {};
    const custom = customKey(entry);
    const v = custom ? (values.custom as FormValues | undefined)?.[custom] : values[entry];
    const empty = v === null || v === undefined || (typeof v === 'string' && !v.trim());
    return empty ? { [entry]: t('validation.required') } : {};
  },
};

// --- labelled phones and emails -------------------------------------------------------------

interface Labeled {
  value: string;
  label: string;
  primary: boolean;
}

function labeledList(kind: 'phone' | 'email', labels: string[]): FormInput {
  const key = kind === 'phone' ? 'phones' : 'emails';
  function LabeledList({ form, meta, checkDuplicate, warning }: FormInputProps) {
    const { t } = useTranslation();
    const items = (form.getValues()[key] ?? []) as Labeled[];
    const checks = meta.duplicateKeys.includes(key);
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
            {items.map((item, i) => (
              <Stack key={i} gap={4}>
                <Group gap="xs" align="flex-start" wrap="nowrap">
                  <TextInput
                    style={{ flex: 1 }}
                    label={t(`records.form.${kind}N`, { n: i + 1 })}
                    type={kind === 'email' ? 'email' : 'tel'}
                    inputMode={kind === 'phone' ? 'tel' : 'email'}
                    placeholder={kind === 'phone' ? '0912 345 678' : 'ten@congty.vn'}
                    {...form.getInputProps(`${key}.${i}.value`)}
                    onBlur={
                      checks
                        ? () => checkDuplicate(`${key}.${i}.value`, key, item.value)
                        : undefined
                    }
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
                {warning(`${key}.${i}.value`)}
              </Stack>
            ))}
          </Stack>
        </Radio.Group>
      </Stack>
    );
  }
  return {
    Component: LabeledList,
    wide: true,
    initial: ({ record }) => {
      const list = record?.[key] as LabeledValue[] | undefined;
      return {
        [key]: list?.length
          ? list.map((v) => ({
              value: kind === 'phone' ? phoneText(v) : v.value,
              label: v.label ?? labels[0]!,
              primary: v.primary,
            }))
          : [{ value: '', label: labels[0]!, primary: true }],
      };
    },
    toInput: (values) => {
      const kept = ((values[key] ?? []) as Labeled[]).filter((x) => x.value.trim());
      const hasPrimary = kept.some((x) => x.primary);
      return {
        [key]: kept.map((x, i) => ({
          value: x.value.trim(),
          label: x.label || null,
          primary: hasPrimary ? x.primary : i === 0,
        })),
      };
    },
    paths: () => [key],
  };
}

export const phonesInput = labeledList('phone', ['mobile', 'work', 'home', 'other']);
export const emailsInput = labeledList('email', ['work', 'personal', 'other']);

// --- one address (province → ward pickers) --------------------------------------------------

interface AddressValue {
  street: string;
  provinceCode: string | null;
  wardCode: string | null;
}

function AddressEntry({ form, record }: FormInputProps) {
  const { t } = useTranslation();
  const address = (form.getValues().addresses as AddressValue[] | undefined)?.[0];
  const existing = primaryOf(record?.addresses);
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('records.fields.address')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
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
          initialName={existing?.provinceCode === address?.provinceCode ? existing?.wardName : null}
          value={address?.wardCode ?? null}
          onChange={(code) => form.setFieldValue('addresses.0.wardCode', code)}
          error={form.errors['addresses.0.wardCode']}
        />
      </SimpleGrid>
      <TextInput
        label={t('records.address.street')}
        {...form.getInputProps('addresses.0.street')}
      />
    </Stack>
  );
}

export const addressInput: FormInput = {
  Component: AddressEntry,
  wide: true,
  initial: ({ record }) => {
    const a = primaryOf(record?.addresses);
    return {
      addresses: [
        {
          street: a?.street ?? '',
          provinceCode: a?.provinceCode ?? null,
          wardCode: a?.wardCode ?? null,
        },
      ],
    };
  },
  toInput: (values) => {
    const a = (values.addresses as AddressValue[] | undefined)?.[0];
    const filled = a && (a.street.trim() || a.provinceCode || a.wardCode);
    return {
      addresses: filled
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
        : [],
    };
  },
  paths: () => ['addresses'],
};

// --- duplicate warning ----------------------------------------------------------------------

/** "Số điện thoại này đã có ở Nguyễn Văn An — mở": a warning, never a block. */
export function DuplicateWarning({
  match,
  what,
  object,
}: {
  match: DuplicateMatch;
  /** What the value is ("Số điện thoại", "Mã số thuế"). */
  what: string;
  object: string;
}) {
  const { t } = useTranslation();
  const [first, ...others] = match.records;
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" role="status">
      <IconAlertTriangle
        size={14}
        color="var(--mantine-color-orange-7)"
        style={{ flexShrink: 0, marginTop: 2 }}
      />
      <Text size="xs" c="orange.9">
        {first ? (
          <>
            {t('records.duplicates.taken', { what, name: first.name })}
            {others.length > 0 && ` ${t('records.duplicates.andOthers', { count: others.length })}`}
            {' — '}
            <Anchor
              href={`/${object}/${encodeURIComponent(first.id)}`}
              target="_blank"
              rel="noopener"
              size="xs"
              aria-label={t('records.duplicates.openLabel', { name: first.name })}
            >
              {t('records.duplicates.open')}
            </Anchor>
            {' · '}
            <Anchor href={`/${object}/duplicates`} size="xs">
              {t('merge.page.link')}
            </Anchor>
          </>
        ) : (
          t('records.duplicates.outsideScope', { what })
        )}
      </Text>
    </Group>
  );
}
