/**
 * Inputs shared by the record form and the table's cells: admin-unit pickers, record pickers,
 * the vi-VN date inputs and the input of a field by its type.
 */
import {
  Checkbox,
  MultiSelect,
  NumberInput,
  Select,
  TagsInput,
  Textarea,
  TextInput,
  type ComboboxItem,
  type SelectProps,
  type OptionsFilter,
} from '@mantine/core';
import { DateInput, type DateInputProps } from '@mantine/dates';
import dayjs from 'dayjs';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldLabel, useProvinces, useSearch, useWards, type FieldMeta } from '../../api/records';
import { useCan } from '../../api/session';
import { useUsers } from '../../api/settings';
import { parseVnDate } from '../../lib/dates';
import { offeredChoices } from './fields';

/** Lower-case, no diacritics, đ → d: "Hà Nội" and "ha noi" match (like the server's folding). */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .trim();
}

/** A Mantine options filter that ignores diacritics and case. */
export const foldedFilter: OptionsFilter = ({ options, search }) => {
  const q = fold(search);
  if (!q) return options;
  return (options as ComboboxItem[]).filter((o) => fold(o.label).includes(q));
};

const passThrough: OptionsFilter = ({ options }) => options;

interface PickerProps {
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: React.ReactNode;
  required?: boolean;
}

export function ProvinceSelect({ label, value, onChange, error }: PickerProps) {
  const { t } = useTranslation();
  const provinces = useProvinces();
  const data = useMemo(
    () => (provinces.data ?? []).map((p) => ({ value: p.code, label: p.name })),
    [provinces.data],
  );
  return (
    <Select
      label={label}
      placeholder={t('records.address.provincePlaceholder')}
      searchable
      clearable
      filter={foldedFilter}
      data={data}
      value={value}
      onChange={onChange}
      error={error}
      nothingFoundMessage={t('common.nothingFound')}
    />
  );
}

/**
 * A Select whose options come from a server search: the typed text (debounced) is the query,
 * except while it is just the chosen option's label, and the chosen option stays listed when
 * the results do not contain it.
 */
function useServerSearch(
  value: string | null,
  initialLabel: string | null | undefined,
  onChange: (value: string | null) => void,
) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const [selectedLabel, setSelectedLabel] = useState<string | null>(initialLabel ?? null);
  const query = debounced === selectedLabel ? '' : debounced;
  const withSelected = useCallback(
    (items: { value: string; label: string }[]) =>
      value && selectedLabel && !items.some((i) => i.value === value)
        ? [{ value, label: selectedLabel }, ...items]
        : items,
    [value, selectedLabel],
  );
  const selectProps = {
    searchable: true,
    clearable: true,
    filter: passThrough,
    searchValue: search,
    onSearchChange: setSearch,
    value,
    onChange: (picked: string | null, option: { label: string } | null) => {
      setSelectedLabel(option?.label ?? null);
      onChange(picked);
    },
  };
  return { query, withSelected, selectProps };
}

/** Wards of one province, searched on the server without diacritics ("hoan kiem"). */
export function WardSelect({
  label,
  value,
  onChange,
  error,
  provinceCode,
  initialName,
}: PickerProps & { provinceCode: string | null; initialName?: string | null }) {
  const { t } = useTranslation();
  const { query, withSelected, selectProps } = useServerSearch(value, initialName, onChange);
  const wards = useWards(provinceCode, query);
  const data = useMemo(
    () =>
      withSelected((wards.data ?? []).map((w) => ({ value: w.code, label: w.fullName || w.name }))),
    [wards.data, withSelected],
  );
  return (
    <Select
      {...selectProps}
      label={label}
      placeholder={
        provinceCode ? t('records.address.wardPlaceholder') : t('records.address.pickProvinceFirst')
      }
      disabled={!provinceCode}
      data={data}
      error={error}
      nothingFoundMessage={wards.isFetching ? t('common.loading') : t('common.nothingFound')}
    />
  );
}

/** Picks a record of `types` through global search (used for links and company pickers). */
export function RecordPicker({
  label,
  value,
  onChange,
  error,
  types,
  initialLabel,
  select,
}: PickerProps & {
  types: string;
  initialLabel?: string | null;
  /** More props of the Select (an aria-label in a table cell, a size). */
  select?: Omit<SelectProps, 'data' | 'value' | 'onChange'>;
}) {
  const { t } = useTranslation();
  const { query, withSelected, selectProps } = useServerSearch(value, initialLabel, onChange);
  const hits = useSearch(query, { types, limit: 20 });
  const data = useMemo(
    () =>
      withSelected(
        (hits.data ?? [])
          .filter((h) => h.type === types)
          .map((h) => ({ value: h.id, label: h.title })),
      ),
    [hits.data, types, withSelected],
  );
  return (
    <Select
      {...selectProps}
      label={label}
      placeholder={t('records.pickers.typeToSearch')}
      data={data}
      error={error}
      nothingFoundMessage={query ? t('common.nothingFound') : undefined}
      {...select}
    />
  );
}

export function OwnerSelect({ label, value, onChange, error }: PickerProps) {
  const { t } = useTranslation();
  const users = useUsers(useCan('members', 'read'));
  const data = (users.data ?? [])
    .filter((u) => u.status === 'active' || u.id === value)
    .map((u) => ({ value: u.id, label: u.name }));
  return (
    <Select
      label={label}
      searchable
      clearable
      filter={foldedFilter}
      data={data}
      value={value}
      onChange={onChange}
      error={error}
      placeholder={t('records.fields.noOwner')}
    />
  );
}

type DateFieldProps = Omit<DateInputProps, 'value' | 'onChange'> & {
  /** `YYYY-MM-DD`, or null. */
  value: string | null;
  onChange: (value: string | null) => void;
};

/** A date picker that shows and takes dd/mm/yyyy (never the browser's native date input). */
export function DateField({ value, onChange, ...props }: DateFieldProps) {
  return (
    <DateInput
      valueFormat="DD/MM/YYYY"
      placeholder="dd/mm/yyyy"
      dateParser={(text) => parseVnDate(text)}
      clearable
      {...props}
      value={value || null}
      onChange={(v) => onChange(v ? v.slice(0, 10) : null)}
    />
  );
}

/** A date and time (dd/mm/yyyy hh:mm, local time); the value is an ISO timestamp. */
export function DateTimeField({ value, onChange, ...props }: DateFieldProps) {
  return (
    <DateInput
      withTime
      valueFormat="DD/MM/YYYY HH:mm"
      placeholder="dd/mm/yyyy hh:mm"
      dateParser={(text) => parseVnDate(text, true)}
      clearable
      {...props}
      value={value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : null}
      onChange={(v) => onChange(v ? dayjs(v).toISOString() : null)}
    />
  );
}

/** The input of a field by its type (custom fields, and the record form's plain fields). */
export function CustomFieldInput({
  field,
  value,
  onChange,
  error,
  initialLabel,
  onBlur,
  description,
}: {
  field: FieldMeta;
  value: unknown;
  onChange: (value: unknown) => void;
  error?: React.ReactNode;
  /** A link field: the linked record's name (its value is an id). */
  initialLabel?: string | null;
  onBlur?: () => void;
  description?: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const label = fieldLabel(field, i18n.language);
  const common = { label, error, required: field.required, onBlur, description };
  switch (field.type) {
    case 'long_text':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
    case 'money':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : null)}
          thousandSeparator={i18n.language === 'en' ? ',' : '.'}
          decimalSeparator={i18n.language === 'en' ? '.' : ','}
          allowDecimal={field.type === 'number'}
          suffix={field.type === 'money' ? ' ₫' : undefined}
        />
      );
    case 'date':
      return (
        <DateField
          {...common}
          value={typeof value === 'string' ? value : null}
          onChange={onChange}
        />
      );
    case 'datetime':
      return (
        <DateTimeField
          {...common}
          value={typeof value === 'string' ? value : null}
          onChange={onChange}
        />
      );
    case 'tags':
      return (
        <TagsInput
          {...common}
          clearable
          value={Array.isArray(value) ? value.map(String) : []}
          onChange={onChange}
        />
      );
    case 'boolean':
      return (
        <Checkbox
          label={label}
          error={error}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
          mt="xs"
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          clearable={!field.required}
          searchable
          filter={foldedFilter}
          data={offeredChoices(t, field, i18n.language, value)}
          value={typeof value === 'string' ? value : null}
          onChange={onChange}
        />
      );
    case 'multi_select':
      return (
        <MultiSelect
          {...common}
          clearable
          searchable
          filter={foldedFilter}
          data={offeredChoices(t, field, i18n.language, value)}
          value={Array.isArray(value) ? value.map(String) : []}
          onChange={onChange}
        />
      );
    case 'user':
      return (
        <OwnerSelect
          label={label}
          error={error}
          value={typeof value === 'string' ? value : null}
          onChange={onChange}
        />
      );
    case 'link': {
      const target = field.target;
      if (!target) return null;
      return (
        <RecordPicker
          label={label}
          error={error}
          types={target}
          value={typeof value === 'string' ? value : null}
          initialLabel={initialLabel}
          onChange={onChange}
        />
      );
    }
    default:
      return (
        <TextInput
          {...common}
          type={field.type === 'email' ? 'email' : field.type === 'url' ? 'url' : 'text'}
          inputMode={field.type === 'phone' ? 'tel' : undefined}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}
