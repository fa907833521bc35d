/**
 * `/contacts` and `/companies`: the table (or kanban) of one record object with search, filter
 * builder, column chooser, saved views, bulk actions and the "new" form.
 */
import {
  Badge,
  Button,
  Group,
  Popover,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue, useLocalStorage } from '@mantine/hooks';
import type { RowSelectionState } from '@tanstack/react-table';
import { IconFilter, IconLayoutKanban, IconPlus, IconSearch, IconTable } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import {
  compactFilter,
  useFields,
  useRecordList,
  type FieldMeta,
  type FilterNode,
  type FilterGroup,
  type ObjectMeta,
  type SavedView,
  type ViewDefinition,
} from '../../api/records';
import { useCan } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useFormat } from '../../lib/format';
import { countConditions, EMPTY_FILTER, FilterBuilder } from './FilterBuilder';
import { KanbanBoard } from './KanbanBoard';
import { ObjectFormModal, useObjectText } from './objectUi';
import { RecordTable } from './RecordTable';
import { BulkBar, ColumnChooser, ViewSelector } from './TableTools';

/** The declaration's default columns that exist, or the first fields. */
function defaultColumns(meta: ObjectMeta, fields: FieldMeta[]): string[] {
  const keys = new Set(fields.map((f) => f.key));
  const wanted = meta.presentation.defaultColumns.filter((k) => keys.has(k));
  return wanted.length > 0 ? wanted : fields.slice(0, 8).map((f) => f.key);
}

function toGroup(filter: unknown): FilterGroup {
  if (filter && typeof filter === 'object' && ('and' in filter || 'or' in filter)) {
    return filter as FilterGroup;
  }
  if (filter && typeof filter === 'object' && 'field' in filter) {
    return { and: [filter as unknown as FilterNode] };
  }
  return EMPTY_FILTER;
}

export function RecordsPage({ meta }: { meta: ObjectMeta }) {
  const fields = useFields(meta.key);
  if (fields.isPending) return <InlineLoader />;
  if (fields.isError) {
    return <QueryError error={fields.error} onRetry={() => void fields.refetch()} />;
  }
  return <RecordsView key={meta.key} meta={meta} fields={fields.data} />;
}

function RecordsView({ meta, fields }: { meta: ObjectMeta; fields: FieldMeta[] }) {
  const object = meta.key;
  const text = useObjectText(meta);
  const kanbanField = meta.presentation.kanbanField;
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kind = params.get('view') === 'kanban' && kanbanField ? 'kanban' : 'table';
  const canCreate = useCan(object, 'create');
  const canUpdate = useCan(object, 'update');

  const [savedColumns, setSavedColumns] = useLocalStorage<string[] | null>({
    key: `sen.columns.${object}`,
    defaultValue: null,
    getInitialValueInEffect: false,
  });
  const [activeView, setActiveView] = useState<SavedView | null>(null);
  const [columns, setColumns] = useState<string[]>(
    () => savedColumns ?? defaultColumns(meta, fields),
  );
  const [filter, setFilter] = useState<FilterGroup>(EMPTY_FILTER);
  const [sort, setSort] = useState<string | undefined>(undefined);
  const [groupBy, setGroupBy] = useState<string>(kanbanField ?? '');
  const [q, setQ] = useState('');
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [createOpen, setCreateOpen] = useState(false);

  const [debouncedQ] = useDebouncedValue(q, 250);
  const [debouncedFilter] = useDebouncedValue(filter, 300);
  const applied = useMemo(() => compactFilter(debouncedFilter), [debouncedFilter]);

  const list = useRecordList(object, { filter: applied, sort, q: debouncedQ });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const changeColumns = (next: string[]) => {
    setColumns(next);
    if (!activeView) setSavedColumns(next);
  };

  const setKind = (next: string) => {
    const p = new URLSearchParams(params);
    if (next === 'kanban') p.set('view', 'kanban');
    else p.delete('view');
    setParams(p, { replace: true });
  };

  const selectView = (view: SavedView | null) => {
    setActiveView(view);
    setSelection({});
    if (!view) {
      setFilter(EMPTY_FILTER);
      setSort(undefined);
      setColumns(savedColumns ?? defaultColumns(meta, fields));
      return;
    }
    const d = view.definition;
    setFilter(toGroup(d.filter));
    const s = d.sort?.[0];
    setSort(s ? (s.direction === 'desc' ? `-${s.field}` : s.field) : undefined);
    if (d.columns?.length) setColumns(d.columns);
    if (d.groupBy) setGroupBy(d.groupBy);
    setKind(d.kind);
  };

  const definition: ViewDefinition = {
    kind,
    columns,
    sort: sort
      ? [{ field: sort.replace(/^-/, ''), direction: sort.startsWith('-') ? 'desc' : 'asc' }]
      : [],
    filter: compactFilter(filter) ?? null,
    groupBy: kind === 'kanban' ? groupBy : undefined,
  };

  const conditions = countConditions(compactFilter(filter));
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const title = text.title;

  return (
    <Stack gap="sm">
      <PageHeader
        title={title}
        description={total !== undefined ? text.count(total, fmt.number(total)) : undefined}
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
              {text.newLabel}
            </Button>
          )
        }
      />
      <Group gap="xs" wrap="wrap">
        <ViewSelector
          object={object}
          activeId={activeView?.id ?? null}
          onSelect={selectView}
          current={definition}
        />
        <TextInput
          aria-label={t('records.table.search')}
          placeholder={t('records.table.search')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={{ base: '100%', xs: 240 }}
        />
        <Popover position="bottom-start" width="min(640px, 95vw)" withinPortal trapFocus={false}>
          <Popover.Target>
            <Button
              variant={conditions > 0 ? 'light' : 'default'}
              leftSection={<IconFilter size={16} />}
              rightSection={
                conditions > 0 ? (
                  <Badge size="xs" circle>
                    {conditions}
                  </Badge>
                ) : undefined
              }
            >
              {t('records.filter.button')}
              {conditions > 0 && (
                <VisuallyHidden>{t('records.filter.active', { count: conditions })}</VisuallyHidden>
              )}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs">
              <Group justify="space-between">
                <Text fw={600} size="sm">
                  {t('records.filter.title')}
                </Text>
                {conditions > 0 && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setFilter(EMPTY_FILTER)}
                  >
                    {t('records.filter.clear')}
                  </Button>
                )}
              </Group>
              <FilterBuilder fields={fields} value={filter} onChange={setFilter} />
            </Stack>
          </Popover.Dropdown>
        </Popover>
        {kind === 'table' && (
          <ColumnChooser fields={fields} columns={columns} onChange={changeColumns} />
        )}
        {kanbanField && (
          <SegmentedControl
            value={kind}
            onChange={setKind}
            aria-label={t('records.layout.label')}
            data={[
              {
                value: 'table',
                label: (
                  <Group gap={4} wrap="nowrap">
                    <IconTable size={16} aria-hidden />
                    <span>{t('records.layout.table')}</span>
                  </Group>
                ),
              },
              {
                value: 'kanban',
                label: (
                  <Group gap={4} wrap="nowrap">
                    <IconLayoutKanban size={16} aria-hidden />
                    <span>{t('records.layout.kanban')}</span>
                  </Group>
                ),
              },
            ]}
          />
        )}
      </Group>

      {selectedIds.length > 0 && (
        <BulkBar
          object={object}
          fields={fields}
          ids={selectedIds}
          onDone={() => setSelection({})}
        />
      )}

      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <InlineLoader />
      ) : kind === 'kanban' ? (
        <KanbanBoard
          object={object}
          fields={fields}
          groupBy={groupBy}
          onGroupByChange={setGroupBy}
          filter={applied}
          sort={sort}
          q={debouncedQ}
          canUpdate={canUpdate}
        />
      ) : (
        <RecordTable
          object={object}
          fields={fields}
          columns={columns}
          rows={rows}
          total={total}
          sort={sort}
          onSortChange={setSort}
          selection={selection}
          onSelectionChange={setSelection}
          hasNextPage={Boolean(hasNextPage)}
          isFetchingNextPage={isFetchingNextPage}
          fetchNextPage={loadMore}
          canUpdate={canUpdate}
        />
      )}

      <ObjectFormModal
        meta={meta}
        opened={createOpen}
        onClose={() => setCreateOpen(false)}
        onSaved={(r) => void navigate(`/${object}/${r.id}`)}
      />
    </Stack>
  );
}
