/**
 * `/contacts`, `/companies`…: the table (or kanban) of one record object with search, filter
 * builder, column chooser, saved views, bulk actions and the "new" form. The list opens with the
 * view the user last used on it (kept on the server, so it follows them across devices); on a
 * phone the table becomes cards.
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
import { useDebouncedValue, useLocalStorage, useMediaQuery } from '@mantine/hooks';
import type { RowSelectionState } from '@tanstack/react-table';
import {
  IconCopy,
  IconFileImport,
  IconFilter,
  IconLayoutKanban,
  IconPlus,
  IconSearch,
  IconTable,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  compactFilter,
  isGroup,
  groupChildren,
  useFields,
  useRecordList,
  useSetLastUsedView,
  useViews,
  type FieldMeta,
  type FilterNode,
  type FilterGroup,
  type ObjectMeta,
  type SavedView,
  type ViewDefinition,
} from '../../api/records';
import { useCan, useSession } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useFormat } from '../../lib/format';
import { EmptyList } from './EmptyList';
import { ExportMenu } from './ExportMenu';
import { countConditions, FilterBuilder } from './FilterBuilder';
import { KanbanBoard, useKanban } from './KanbanBoard';
import { EMPTY_FILTER, rememberLastView, sortOf, toGroup } from './listState';
import { ObjectFormModal, useObjectText } from './objectUi';
import { RecordCards } from './RecordCards';
import { RecordTable } from './RecordTable';
import { BulkBar, ColumnChooser, ViewSelector } from './TableTools';

/** The declaration's default columns that exist, or the first fields. */
function defaultColumns(meta: ObjectMeta, fields: FieldMeta[]): string[] {
  const keys = new Set(fields.filter((f) => !f.shownIn).map((f) => f.key));
  const wanted = meta.presentation.defaultColumns.filter((k) => keys.has(k));
  return wanted.length > 0 ? wanted : [...keys].slice(0, 8);
}

/** JSON with sorted keys: a view read back from the server (jsonb reorders keys) compares equal. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** What "save view" saves and what tells whether the list differs from its view. */
interface ListState {
  kind: 'table' | 'kanban';
  columns: string[];
  sort: string | undefined;
  filter: FilterNode | undefined;
  groupBy: string | undefined;
}

const stateKey = (s: ListState) =>
  stableJson({ ...s, groupBy: s.kind === 'kanban' ? s.groupBy : undefined });

/** Field keys a filter tree names. */
function filterFieldKeys(node: FilterNode | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (isGroup(node)) for (const c of groupChildren(node)) filterFieldKeys(c, out);
  else out.push(node.field);
  return out;
}

export function RecordsPage({ meta }: { meta: ObjectMeta }) {
  const fields = useFields(meta.key);
  const views = useViews(meta.key);
  // Tells the route loader of the next visit whether a saved view is in use (listState.ts).
  const workspaceId = useSession().workspace.id;
  const lastUsedId = views.data ? (views.data.lastUsedId ?? null) : undefined;
  useEffect(() => {
    if (lastUsedId !== undefined) rememberLastView(workspaceId, meta.key, lastUsedId);
  }, [workspaceId, meta.key, lastUsedId]);
  // Wait for the views too: the list opens with the one the user last used.
  if (fields.isPending || views.isPending) return <InlineLoader />;
  if (fields.isError) {
    return <QueryError error={fields.error} onRetry={() => void fields.refetch()} />;
  }
  const lastUsed = views.data?.items.find((v) => v.id === views.data?.lastUsedId) ?? null;
  return <RecordsView key={meta.key} meta={meta} fields={fields.data} initialView={lastUsed} />;
}

function RecordsView({
  meta,
  fields,
  initialView,
}: {
  meta: ObjectMeta;
  fields: FieldMeta[];
  initialView: SavedView | null;
}) {
  const object = meta.key;
  const text = useObjectText(meta);
  const kanbanField = meta.presentation.kanbanField;
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 36em)', false, { getInitialValueInEffect: false });
  const [params, setParams] = useSearchParams();
  // The last used view's layout from the first render on (not a table first), until the effect
  // below has written it into the address.
  const arrivalLayout = useRef(params.has('view') ? undefined : initialView?.definition.kind);
  const layout = params.get('view') ?? arrivalLayout.current;
  const kind = layout === 'kanban' && kanbanField ? 'kanban' : 'table';
  const canCreate = useCan(object, 'create');
  const canUpdate = useCan(object, 'update');
  const canImport = useCan(object, 'import');
  const canExport = useCan(object, 'export');
  const setLastUsed = useSetLastUsedView(object);

  const [savedColumns, setSavedColumns] = useLocalStorage<string[] | null>({
    key: `sen.columns.${object}`,
    defaultValue: null,
    getInitialValueInEffect: false,
  });
  const allColumns = savedColumns ?? defaultColumns(meta, fields);
  const [activeView, setActiveView] = useState<SavedView | null>(initialView);
  const [columns, setColumns] = useState<string[]>(() =>
    initialView?.definition.columns?.length ? initialView.definition.columns : allColumns,
  );
  const [filter, setFilter] = useState<FilterGroup>(() => toGroup(initialView?.definition.filter));
  const [sort, setSort] = useState<string | undefined>(() =>
    initialView ? sortOf(initialView.definition) : undefined,
  );
  const [groupBy, setGroupBy] = useState<string>(
    () => initialView?.definition.groupBy ?? kanbanField ?? '',
  );
  const [q, setQ] = useState('');
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [createOpen, setCreateOpen] = useState(false);

  const [debouncedQ] = useDebouncedValue(q, 250);
  const [debouncedFilter] = useDebouncedValue(filter, 300);
  const applied = useMemo(() => compactFilter(debouncedFilter), [debouncedFilter]);

  // The table's rows, or the kanban's board (its columns' first cards and counts, and the total
  // of the header, in one request): never both.
  const list = useRecordList(
    object,
    { filter: applied, sort, q: debouncedQ },
    { enabled: kind === 'table' },
  );
  const kanban = useKanban(
    object,
    fields,
    { groupBy, filter: applied, sort, q: debouncedQ },
    kind === 'kanban',
  );
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = kind === 'kanban' ? kanban.board.data?.total : list.data?.pages[0]?.total;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const setKind = useCallback(
    (next: string) => {
      arrivalLayout.current = undefined;
      setParams(
        (current) => {
          const p = new URLSearchParams(current);
          if (next === 'kanban') p.set('view', 'kanban');
          else p.delete('view');
          return p;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  // The last used view opens in its own layout (once, on arrival), unless the address names one.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    if (initialView?.definition.kind === 'kanban' && !params.has('view')) setKind('kanban');
  }, [initialView, params, setKind]);

  const changeColumns = (next: string[]) => {
    setColumns(next);
    if (!activeView) setSavedColumns(next);
  };

  const selectView = (view: SavedView | null) => {
    setActiveView(view);
    setSelection({});
    if ((view?.id ?? null) !== (activeView?.id ?? null)) setLastUsed.mutate(view?.id ?? null);
    if (!view) {
      setFilter(EMPTY_FILTER);
      setSort(undefined);
      setColumns(allColumns);
      setKind('table');
      return;
    }
    const d = view.definition;
    setFilter(toGroup(d.filter));
    setSort(sortOf(d));
    if (d.columns?.length) setColumns(d.columns);
    if (d.groupBy) setGroupBy(d.groupBy);
    setKind(d.kind);
  };

  const current: ListState = {
    kind,
    columns,
    sort,
    filter: compactFilter(filter),
    groupBy: kind === 'kanban' ? groupBy : undefined,
  };
  // What the list was when its view was opened or saved: "every record" has no filter or sort
  // (its columns are remembered on their own, so changing them is no change to save).
  const baseline: ListState = activeView
    ? {
        kind: activeView.definition.kind,
        columns: activeView.definition.columns?.length ? activeView.definition.columns : columns,
        sort: sortOf(activeView.definition),
        filter: compactFilter(toGroup(activeView.definition.filter)),
        groupBy: activeView.definition.groupBy ?? kanbanField ?? undefined,
      }
    : { kind: 'table', columns, sort: undefined, filter: undefined, groupBy: undefined };
  const changed = stateKey(current) !== stateKey(baseline);

  const definition: ViewDefinition = {
    kind,
    columns,
    sort: sort
      ? [{ field: sort.replace(/^-/, ''), direction: sort.startsWith('-') ? 'desc' : 'asc' }]
      : [],
    filter: current.filter ?? null,
    ...(kind === 'kanban' ? { groupBy } : {}),
  };

  // A filter on a field that is not a column shows that column while the filter is on, right
  // after the name (marked as added by the filter; never saved with the view's columns).
  const byKey = useMemo(() => new Map(fields.map((f) => [f.key, f])), [fields]);
  const filteredColumns = useMemo(() => {
    const keys = filterFieldKeys(applied).map((k) => byKey.get(k)?.shownIn ?? k);
    return [...new Set(keys)].filter((k) => byKey.has(k));
  }, [applied, byKey]);
  const addedColumns = filteredColumns.filter((k) => !columns.includes(k));
  const shownColumns = useMemo(() => {
    if (addedColumns.length === 0) return columns;
    const title = meta.presentation.titleField;
    const at = columns.includes(title) ? 1 : 0;
    const rest = columns.filter((k) => k !== title);
    return [...(at ? [title] : []), ...addedColumns, ...rest];
  }, [addedColumns, columns, meta.presentation.titleField]);

  const conditions = countConditions(compactFilter(filter));
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const title = text.title;
  // No record at all (not "none matches"): the ways to start, adding one or importing a list.
  const emptyList =
    total === 0 && !applied && !debouncedQ.trim() ? (
      <EmptyList meta={meta} onCreate={() => setCreateOpen(true)} />
    ) : undefined;

  return (
    <Stack gap="sm">
      <PageHeader
        title={title}
        description={total !== undefined ? text.count(total, fmt.number(total)) : undefined}
        actions={
          (canCreate || canImport || canExport) && (
            <>
              {canExport && (
                <ExportMenu meta={meta} view={{ filter: applied, sort, q: debouncedQ, columns }} />
              )}
              <Button
                component={Link}
                to={`/${object}/duplicates`}
                variant="default"
                leftSection={<IconCopy size={16} />}
              >
                {t('merge.page.link')}
              </Button>
              {canImport && (
                <Button
                  component={Link}
                  to={`/${object}/import`}
                  variant="default"
                  leftSection={<IconFileImport size={16} />}
                >
                  {t('imports.action')}
                </Button>
              )}
              {canCreate && (
                <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
                  {text.newLabel}
                </Button>
              )}
            </>
          )
        }
      />
      <Group gap="xs" wrap="wrap">
        <ViewSelector
          object={object}
          activeId={activeView?.id ?? null}
          onSelect={selectView}
          onSaved={(view) => setActiveView(view)}
          current={definition}
          changed={changed}
          onReset={() => selectView(activeView)}
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
        {kind === 'table' && !phone && (
          <ColumnChooser
            fields={fields}
            columns={columns}
            titleField={meta.presentation.titleField}
            onChange={changeColumns}
          />
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
          matching={
            kind === 'table' && total !== undefined
              ? {
                  total,
                  filter: applied,
                  q: debouncedQ,
                  pageSelected: rows.length > 0 && rows.every((r) => selection[r.id]),
                }
              : undefined
          }
        />
      )}

      {list.isError && kind === 'table' && (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      )}
      {kind === 'kanban' ? (
        <KanbanBoard
          object={object}
          kanban={kanban}
          onGroupByChange={setGroupBy}
          canUpdate={canUpdate}
        />
      ) : list.isPending ? (
        <InlineLoader />
      ) : phone ? (
        <RecordCards
          meta={meta}
          fields={fields}
          rows={rows}
          hasNextPage={Boolean(hasNextPage)}
          isFetchingNextPage={isFetchingNextPage}
          fetchNextPage={loadMore}
          empty={emptyList}
        />
      ) : (
        <RecordTable
          object={object}
          fields={fields}
          columns={shownColumns}
          filteredColumns={filteredColumns}
          addedColumns={addedColumns}
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
          empty={emptyList}
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
