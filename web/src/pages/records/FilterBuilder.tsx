/**
 * A filter tree editor: one root group (AND / OR) holding conditions and nested groups, each
 * condition offering the operators of its field's type (docs/customer-records.md).
 */
import {
  ActionIcon,
  Button,
  type ComboboxItem,
  type ComboboxParsedItem,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import {
  fieldLabel,
  groupChildren,
  isGroup,
  operatorsFor,
  recordKeys,
  recordName,
  useObjectMeta,
  useProvinces,
  type AnyRecord,
  type FieldMeta,
  type ListPage,
  type FilterCondition,
  type FilterGroup,
  type FilterNode,
  type FilterOp,
} from '../../api/records';
import { useUsers } from '../../api/settings';
import { useCan } from '../../api/session';
import { choicesOf } from './fields';
import { DateField, foldedFilter } from './inputs';

/** The date picker's calendar opens inside the filter panel, so a click in it keeps the panel open. */
const INSIDE = { withinPortal: false } as const;

function opsOf(field: FieldMeta): FilterOp[] {
  return field.operators?.length ? field.operators : operatorsFor(field.type);
}

export function countConditions(node: FilterNode | null | undefined): number {
  if (!node) return 0;
  if (!isGroup(node)) return 1;
  return groupChildren(node).reduce((n, c) => n + countConditions(c), 0);
}

function withChildren(group: FilterGroup, children: FilterNode[]): FilterGroup {
  return 'and' in group ? { and: children } : { or: children };
}

export function FilterBuilder({
  fields,
  value,
  onChange,
}: {
  fields: FieldMeta[];
  value: FilterGroup;
  onChange: (next: FilterGroup) => void;
}) {
  const filterable = fields.filter((f) => f.filterable);
  return <GroupEditor fields={filterable} group={value} onChange={onChange} depth={0} />;
}

function GroupEditor({
  fields,
  group,
  onChange,
  onRemove,
  depth,
}: {
  fields: FieldMeta[];
  group: FilterGroup;
  onChange: (next: FilterGroup) => void;
  onRemove?: () => void;
  depth: number;
}) {
  const { t } = useTranslation();
  const children = groupChildren(group);
  const mode = 'and' in group ? 'and' : 'or';
  const first = fields[0];
  const setChild = (i: number, node: FilterNode) =>
    onChange(
      withChildren(
        group,
        children.map((c, j) => (j === i ? node : c)),
      ),
    );
  const removeChild = (i: number) =>
    onChange(
      withChildren(
        group,
        children.filter((_, j) => j !== i),
      ),
    );

  return (
    <Paper withBorder={depth > 0} p={depth > 0 ? 'xs' : 0} radius="sm">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <SegmentedControl
            size="xs"
            value={mode}
            aria-label={t('records.filter.combine')}
            data={[
              { value: 'and', label: t('records.filter.and') },
              { value: 'or', label: t('records.filter.or') },
            ]}
            onChange={(m) => onChange(m === 'and' ? { and: children } : { or: children })}
          />
          {onRemove && (
            <ActionIcon
              variant="subtle"
              color="gray"
              onClick={onRemove}
              aria-label={t('records.filter.removeGroup')}
            >
              <IconTrash size={16} />
            </ActionIcon>
          )}
        </Group>
        {children.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('records.filter.empty')}
          </Text>
        )}
        {children.map((child, i) =>
          isGroup(child) ? (
            <GroupEditor
              key={i}
              fields={fields}
              group={child}
              depth={depth + 1}
              onChange={(next) => setChild(i, next)}
              onRemove={() => removeChild(i)}
            />
          ) : (
            <ConditionEditor
              key={i}
              fields={fields}
              condition={child}
              onChange={(next) => setChild(i, next)}
              onRemove={() => removeChild(i)}
            />
          ),
        )}
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlus size={14} />}
            disabled={!first}
            onClick={() =>
              first &&
              onChange(
                withChildren(group, [
                  ...children,
                  { field: first.key, op: opsOf(first)[0]!, value: '' },
                ]),
              )
            }
          >
            {t('records.filter.addCondition')}
          </Button>
          {depth < 2 && (
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconPlus size={14} />}
              onClick={() =>
                onChange(
                  withChildren(group, [...children, mode === 'and' ? { or: [] } : { and: [] }]),
                )
              }
            >
              {t('records.filter.addGroup')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function ConditionEditor({
  fields,
  condition,
  onChange,
  onRemove,
}: {
  fields: FieldMeta[];
  condition: FilterCondition;
  onChange: (next: FilterCondition) => void;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const field = fields.find((f) => f.key === condition.field);
  const ops = field ? opsOf(field) : [];
  const needsValue = condition.op !== 'is_empty' && condition.op !== 'is_not_empty';

  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <Select
        // In the filter popover: a dropdown in a portal would count as a click outside it and
        // close the whole panel when a field is chosen.
        comboboxProps={{ withinPortal: false }}
        size="xs"
        label={t('records.filter.field')}
        searchable
        filter={foldedFilter}
        w={170}
        data={fields.map((f) => ({ value: f.key, label: fieldLabel(f, i18n.language) }))}
        value={condition.field}
        allowDeselect={false}
        onChange={(key) => {
          const next = fields.find((f) => f.key === key);
          if (next) onChange({ field: next.key, op: opsOf(next)[0]!, value: '' });
        }}
      />
      <Select
        // In the filter popover: a dropdown in a portal would count as a click outside it and
        // close the whole panel when a field is chosen.
        comboboxProps={{ withinPortal: false }}
        size="xs"
        label={t('records.filter.operator')}
        w={150}
        data={ops.map((op) => ({ value: op, label: t(`records.ops.${op}`) }))}
        value={condition.op}
        allowDeselect={false}
        onChange={(op) =>
          op &&
          onChange({
            ...condition,
            op: op as FilterOp,
            value:
              op === 'in' || op === 'not_in'
                ? []
                : op === 'between'
                  ? [null, null]
                  : condition.value,
          })
        }
      />
      {field && needsValue && (
        <ValueInput field={field} condition={condition} onChange={onChange} />
      )}
      <ActionIcon
        variant="subtle"
        color="gray"
        onClick={onRemove}
        aria-label={t('records.filter.removeCondition')}
        mb={2}
      >
        <IconTrash size={16} />
      </ActionIcon>
    </Group>
  );
}

function ValueInput({
  field,
  condition,
  onChange,
}: {
  field: FieldMeta;
  condition: FilterCondition;
  onChange: (next: FilterCondition) => void;
}) {
  const { t, i18n } = useTranslation();
  const provinces = useProvinces();
  const users = useUsers(useCan('members', 'read') && field.type === 'user');
  const label = t('records.filter.value');
  const set = (value: unknown) => onChange({ ...condition, value });
  const multi = condition.op === 'in' || condition.op === 'not_in';

  if (field.type === 'link' && field.target) {
    return (
      <LinkValueInput
        target={field.target}
        label={label}
        multi={multi}
        value={condition.value}
        onChange={set}
      />
    );
  }

  let choices = choicesOf(t, field, i18n.language);
  if (field.key === 'provinceCode') {
    choices = (provinces.data ?? []).map((p) => ({ value: p.code, label: p.name }));
  } else if (field.type === 'user') {
    choices = (users.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  }

  if (field.type === 'boolean') {
    return (
      <Select
        // In the filter popover: a dropdown in a portal would count as a click outside it and
        // close the whole panel when a field is chosen.
        comboboxProps={{ withinPortal: false }}
        size="xs"
        label={label}
        w={120}
        data={[
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ]}
        value={condition.value === true ? 'true' : condition.value === false ? 'false' : null}
        onChange={(v) => set(v === 'true')}
      />
    );
  }
  if (choices.length > 0 || field.type === 'user') {
    if (multi || field.type === 'multi_select' || field.type === 'tags') {
      const current = Array.isArray(condition.value) ? condition.value.map(String) : [];
      return field.type === 'tags' ? (
        <TextInput
          size="xs"
          label={label}
          w={180}
          value={current.join(', ')}
          onChange={(e) =>
            set(
              e.currentTarget.value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            )
          }
        />
      ) : (
        <MultiSelect
          comboboxProps={{ withinPortal: false }}
          size="xs"
          label={label}
          w={220}
          searchable
          filter={foldedFilter}
          data={choices}
          value={current}
          onChange={set}
        />
      );
    }
    return (
      <Select
        // In the filter popover: a dropdown in a portal would count as a click outside it and
        // close the whole panel when a field is chosen.
        comboboxProps={{ withinPortal: false }}
        size="xs"
        label={label}
        w={200}
        searchable
        filter={foldedFilter}
        data={choices}
        value={typeof condition.value === 'string' ? condition.value : null}
        onChange={(v) => set(v ?? '')}
      />
    );
  }
  if (field.type === 'tags' || field.type === 'multi_select') {
    const current = Array.isArray(condition.value) ? condition.value.map(String) : [];
    return (
      <TextInput
        size="xs"
        label={label}
        w={180}
        value={current.join(', ')}
        onChange={(e) =>
          set(
            e.currentTarget.value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          )
        }
      />
    );
  }
  if (field.type === 'number' || field.type === 'money') {
    if (condition.op === 'between') {
      const [a, b] = Array.isArray(condition.value) ? condition.value : [null, null];
      return (
        <Group gap={4}>
          <NumberInput
            size="xs"
            w={100}
            label={t('records.filter.from')}
            value={typeof a === 'number' ? a : ''}
            onChange={(v) => set([typeof v === 'number' ? v : null, b ?? null])}
            thousandSeparator="."
            decimalSeparator=","
          />
          <NumberInput
            size="xs"
            w={100}
            label={t('records.filter.to')}
            value={typeof b === 'number' ? b : ''}
            onChange={(v) => set([a ?? null, typeof v === 'number' ? v : null])}
            thousandSeparator="."
            decimalSeparator=","
          />
        </Group>
      );
    }
    return (
      <NumberInput
        size="xs"
        w={140}
        label={label}
        value={typeof condition.value === 'number' ? condition.value : ''}
        onChange={(v) => set(typeof v === 'number' ? v : '')}
        thousandSeparator="."
        decimalSeparator=","
      />
    );
  }
  if (field.type === 'date' || field.type === 'datetime') {
    if (condition.op === 'more_than_days_ago' || condition.op === 'within_last_days') {
      return (
        <NumberInput
          size="xs"
          w={120}
          label={t('records.filter.days')}
          min={0}
          max={36500}
          allowDecimal={false}
          value={typeof condition.value === 'number' ? condition.value : ''}
          onChange={(v) => set(typeof v === 'number' ? v : '')}
        />
      );
    }
    if (condition.op === 'between') {
      const [a, b] = Array.isArray(condition.value) ? condition.value : ['', ''];
      return (
        <Group gap={4}>
          <DateField
            size="xs"
            w={130}
            label={t('records.filter.from')}
            popoverProps={INSIDE}
            value={typeof a === 'string' && a ? a : null}
            onChange={(v) => set([v ?? '', b ?? ''])}
          />
          <DateField
            size="xs"
            w={130}
            label={t('records.filter.to')}
            popoverProps={INSIDE}
            value={typeof b === 'string' && b ? b : null}
            onChange={(v) => set([a ?? '', v ?? ''])}
          />
        </Group>
      );
    }
    return (
      <DateField
        size="xs"
        w={130}
        label={label}
        popoverProps={INSIDE}
        value={typeof condition.value === 'string' && condition.value ? condition.value : null}
        onChange={(v) => set(v ?? '')}
      />
    );
  }
  return (
    <TextInput
      size="xs"
      label={label}
      w={180}
      value={typeof condition.value === 'string' ? condition.value : ''}
      onChange={(e) => set(e.currentTarget.value)}
    />
  );
}

/**
 * The value of a link field (a contact's company): records of the target object found by the
 * server as the user types (its list's `q`), and the names of those already chosen.
 */
function LinkValueInput({
  target,
  label,
  multi,
  value,
  onChange,
}: {
  target: string;
  label: string;
  multi: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { t } = useTranslation();
  const titleField = useObjectMeta(target)?.presentation.titleField;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 200);
  const chosen = useMemo(
    () =>
      multi
        ? Array.isArray(value)
          ? value.map(String)
          : []
        : typeof value === 'string' && value
          ? [value]
          : [],
    [multi, value],
  );
  const hits = useQuery({
    queryKey: [...recordKeys.lists(target), 'pick', q],
    queryFn: ({ signal }) =>
      api.get<ListPage<AnyRecord>>(`/${target}`, { q: q || undefined, limit: 20 }, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const known = useQueries({
    queries: chosen.map((id) => ({
      queryKey: recordKeys.one(target, id),
      queryFn: () => api.get<AnyRecord>(`/${target}/${encodeURIComponent(id)}`),
      staleTime: 60_000,
    })),
  });
  const data = useMemo(() => {
    const out = new Map<string, string>();
    for (const r of known) if (r.data) out.set(r.data.id, recordName(r.data, titleField));
    for (const r of hits.data?.items ?? []) out.set(r.id, recordName(r, titleField));
    for (const id of chosen) if (!out.has(id)) out.set(id, t('common.loading'));
    return [...out].map(([id, name]) => ({ value: id, label: name || t('records.unnamed') }));
  }, [known, hits.data, chosen, titleField, t]);
  // The server has searched already (diacritics optional): every option it found is shown.
  const keepAll = ({ options }: { options: ComboboxItem[] | ComboboxParsedItem[] }) => options;
  const nothingFound = hits.isFetching ? t('common.loading') : t('common.nothingFound');
  return multi ? (
    <MultiSelect
      // In the filter popover: a dropdown in a portal would count as a click outside it.
      comboboxProps={{ withinPortal: false }}
      size="xs"
      label={label}
      searchable
      placeholder={t('records.pickers.typeToSearch')}
      filter={keepAll as never}
      data={data}
      nothingFoundMessage={nothingFound}
      w={240}
      searchValue={search}
      onSearchChange={setSearch}
      value={chosen}
      onChange={onChange}
    />
  ) : (
    <Select
      comboboxProps={{ withinPortal: false }}
      size="xs"
      label={label}
      searchable
      placeholder={t('records.pickers.typeToSearch')}
      filter={keepAll as never}
      data={data}
      nothingFoundMessage={nothingFound}
      w={220}
      searchValue={search}
      onSearchChange={setSearch}
      value={chosen[0] ?? null}
      onChange={(v) => onChange(v ?? '')}
    />
  );
}
