/**
 * The records table: TanStack Table for columns (order, visibility, selection) and TanStack
 * Virtual for rows. Only the rows on screen are in the DOM; the next keyset page is fetched when
 * the user scrolls near the end of what is loaded, so 100 000 contacts scroll like 100.
 *
 * The selection and name columns are pinned to the left (sorting or scrolling sideways never
 * hides them); a shadow on the name column and a fade with an arrow on the right edge say that
 * columns are off screen. Cells show an edit button only on hover or focus.
 */
import './RecordTable.css';
import {
  ActionIcon,
  Box,
  Center,
  Checkbox,
  Group,
  Loader,
  Select,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  columnOrderingFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowSelectionState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  IconArrowDown,
  IconArrowUp,
  IconChevronLeft,
  IconChevronRight,
  IconFilter,
  IconPencil,
} from '@tabler/icons-react';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  fieldLabel,
  recordName,
  useUpdateRecord,
  type AnyRecord,
  type FieldMeta,
  type RecordObjectKey,
  useObjectMeta,
} from '../../api/records';
import { useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import {
  choicesOf,
  FieldValue,
  offeredChoices,
  inputFor,
  isInlineEditable,
  rawValue,
} from './fields';
import { presentationOf } from './fieldPresentations';

type Choices = ReturnType<typeof choicesOf>;

const features = tableFeatures({
  columnVisibilityFeature,
  columnOrderingFeature,
  rowSelectionFeature,
});
type Features = typeof features;

const ROW_HEIGHT = 44;
const NAME_KEYS = new Set(['displayName', 'name']);

const SELECT_WIDTH = 180;
const CHECKBOX_WIDTH = 44;

/**
 * A column's width. Select values show as badges (upper case, never cut): the column is as wide
 * as its longest choice needs.
 */
export function columnWidth(field: FieldMeta, choices: Choices = []): number {
  if (NAME_KEYS.has(field.key)) return 240;
  if (field.type === 'select' && choices.length > 0) {
    const longest = Math.max(...choices.map((c) => c.label.length));
    return Math.min(360, Math.max(SELECT_WIDTH, Math.ceil(longest * 7.6) + 56));
  }
  switch (field.type) {
    case 'boolean':
      return 100;
    case 'number':
    case 'money':
    case 'date':
      return 140;
    case 'tags':
    case 'multi_select':
      return 200;
    default:
      return 180;
  }
}

export function RecordTable({
  object,
  fields: allFields,
  columns: requestedColumns,
  filteredColumns = [],
  addedColumns = [],
  rows,
  total,
  sort,
  onSortChange,
  selection,
  onSelectionChange,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  canUpdate,
  empty,
}: {
  object: RecordObjectKey;
  fields: FieldMeta[];
  /** Visible field keys, in order (the title field is pinned first whatever its place). */
  columns: string[];
  /** Columns a filter condition uses (a filter icon in their header). */
  filteredColumns?: string[];
  /** Columns shown only because the filter uses them. */
  addedColumns?: string[];
  rows: AnyRecord[];
  total: number | undefined;
  sort: string | undefined;
  onSortChange: (sort: string | undefined) => void;
  selection: RowSelectionState;
  onSelectionChange: (next: RowSelectionState) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  canUpdate: boolean;
  /** Shown instead of "no record matches" when there are no rows (an empty object's first steps). */
  empty?: ReactNode;
}) {
  const objectMeta = useObjectMeta(object);
  const titleField = objectMeta?.presentation.titleField;
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  // Filter-only fields (shownIn) are no columns, nor fields a panel shows (a document's lines).
  const fields = useMemo(
    () => allFields.filter((f) => !f.shownIn && presentationOf(f)?.listed !== false),
    [allFields],
  );
  const byKey = useMemo(() => new Map(fields.map((f) => [f.key, f])), [fields]);
  const nameKey = titleField && byKey.has(titleField) ? titleField : undefined;
  const isName = useCallback(
    (key: string) => key === nameKey || (!nameKey && NAME_KEYS.has(key)),
    [nameKey],
  );
  const columnKeys = useMemo(() => {
    const known = requestedColumns.filter((k) => byKey.has(k));
    return nameKey ? [nameKey, ...known.filter((k) => k !== nameKey)] : known;
  }, [requestedColumns, byKey, nameKey]);
  const filtered = useMemo(() => new Set(filteredColumns), [filteredColumns]);
  const added = useMemo(() => new Set(addedColumns), [addedColumns]);

  const columnDefs = useMemo<ColumnDef<Features, AnyRecord>[]>(
    () => [
      { id: '__select', header: '', size: 44 },
      ...fields.map<ColumnDef<Features, AnyRecord>>((f) => ({
        id: f.key,
        header: fieldLabel(f, i18n.language),
        accessorFn: (r: AnyRecord) => rawValue(r, f.key),
      })),
    ],
    [fields, i18n.language],
  );

  const columnVisibility = useMemo(() => {
    const shown = new Set(columnKeys);
    return Object.fromEntries(fields.map((f) => [f.key, shown.has(f.key)]));
  }, [columnKeys, fields]);
  const columnOrder = useMemo(() => ['__select', ...columnKeys], [columnKeys]);

  const table = useTable({
    features,
    columns: columnDefs,
    data: rows,
    getRowId: (r: AnyRecord) => r.id,
    state: { columnVisibility, columnOrder, rowSelection: selection },
    onRowSelectionChange: (updater) =>
      onSelectionChange(typeof updater === 'function' ? updater(selection) : updater),
    enableRowSelection: true,
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => tableRows[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;

  // Fetch the next keyset page before the user reaches the end of what is loaded.
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= tableRows.length - 30) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastIndex, tableRows.length, fetchNextPage]);

  const visibleColumns = table.getVisibleLeafColumns();
  const widths = visibleColumns.map((c) => {
    const f = byKey.get(c.id);
    return f ? columnWidth(f, choicesOf(t, f, i18n.language)) : CHECKBOX_WIDTH;
  });
  const totalWidth = widths.reduce((a, b) => a + b, 0);
  // Pinned: the selection column, and the name column when it comes first (it always does).
  const pinnedCount = visibleColumns[1] && isName(visibleColumns[1].id) ? 2 : 1;
  const pinnedWidth = widths.slice(0, pinnedCount).reduce((a, b) => a + b, 0);
  const pin = (ci: number) =>
    ci < pinnedCount
      ? {
          className: ci === pinnedCount - 1 ? 'sen-rt-pin sen-rt-pin-last' : 'sen-rt-pin',
          left: widths.slice(0, ci).reduce((a, b) => a + b, 0),
        }
      : null;

  // Off-screen columns: which edges hide some (a shadow on the left, a fade on the right).
  const [edges, setEdges] = useState({ left: false, right: false });
  const measure = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const left = el.scrollLeft > 1;
    const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    setEdges((e) => (e.left === left && e.right === right ? e : { left, right }));
  }, []);
  useLayoutEffect(measure, [measure, totalWidth]);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);
  const scrollBy = (direction: 1 | -1) => {
    const el = scrollRef.current;
    if (!el) return;
    el.scrollBy({
      left: direction * Math.max(120, el.clientWidth - pinnedWidth - 60),
      behavior: 'smooth',
    });
  };

  // A new order starts at the top; the sideways position stays where the user left it.
  const firstSort = useRef(true);
  useEffect(() => {
    if (firstSort.current) {
      firstSort.current = false;
      return;
    }
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [sort]);
  const allSelected = rows.length > 0 && rows.every((r) => selection[r.id]);
  const someSelected = rows.some((r) => selection[r.id]);

  const toggleSort = (key: string) => {
    if (sort === key) onSortChange(`-${key}`);
    else if (sort === `-${key}`) onSortChange(undefined);
    else onSortChange(key);
  };

  return (
    <Box
      className="sen-rt"
      data-scrolled-left={edges.left || undefined}
      data-more-right={edges.right || undefined}
      style={{ position: 'relative' }}
    >
      <Box
        ref={scrollRef}
        className="sen-rt-scroll"
        onScroll={measure}
        style={{
          overflow: 'auto',
          height: 'calc(100dvh - 250px)',
          minHeight: 320,
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-md)',
          position: 'relative',
        }}
        tabIndex={-1}
      >
        <table
          style={{
            display: 'grid',
            width: totalWidth,
            minWidth: '100%',
            borderCollapse: 'collapse',
          }}
          aria-rowcount={(total ?? rows.length) + 1}
          aria-label={objectMeta?.label.many[i18n.language === 'en' ? 'en' : 'vi'] ?? object}
        >
          <thead
            style={{
              display: 'grid',
              position: 'sticky',
              top: 0,
              zIndex: 2,
              background: 'var(--mantine-color-body)',
              borderBottom: '1px solid var(--mantine-color-default-border)',
            }}
          >
            <tr style={{ display: 'flex', width: '100%' }} aria-rowindex={1}>
              {visibleColumns.map((col, ci) => {
                const field = byKey.get(col.id);
                const width = widths[ci] ?? 180;
                const pinned = pin(ci);
                if (!field) {
                  return (
                    <th key={col.id} style={thStyle(width, pinned)} className={pinned?.className}>
                      <Checkbox
                        size="xs"
                        aria-label={t('records.table.selectAll')}
                        checked={allSelected}
                        indeterminate={someSelected && !allSelected}
                        onChange={() =>
                          onSelectionChange(
                            allSelected ? {} : Object.fromEntries(rows.map((r) => [r.id, true])),
                          )
                        }
                      />
                    </th>
                  );
                }
                const label = fieldLabel(field, i18n.language);
                const dir = sort === field.key ? 'asc' : sort === `-${field.key}` ? 'desc' : null;
                const isAdded = added.has(field.key);
                const filterMark = filtered.has(field.key) ? (
                  <Tooltip
                    label={t(isAdded ? 'records.table.addedByFilter' : 'records.table.filtered')}
                    withinPortal
                  >
                    <IconFilter
                      size={14}
                      className="sen-rt-filter-mark"
                      aria-label={t(
                        isAdded ? 'records.table.addedByFilter' : 'records.table.filtered',
                      )}
                    />
                  </Tooltip>
                ) : null;
                return (
                  <th
                    key={col.id}
                    style={thStyle(width, pinned)}
                    className={
                      [pinned?.className, isAdded ? 'sen-rt-added' : null]
                        .filter(Boolean)
                        .join(' ') || undefined
                    }
                    data-added-by-filter={isAdded || undefined}
                    aria-sort={
                      dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined
                    }
                  >
                    {filterMark}
                    {field.sortable ? (
                      <UnstyledButton
                        onClick={() => toggleSort(field.key)}
                        aria-label={t('records.table.sortBy', { field: label })}
                        style={{ display: 'flex', alignItems: 'center', gap: 4, width: '100%' }}
                      >
                        <Text size="sm" fw={600} truncate>
                          {label}
                        </Text>
                        {dir === 'asc' && <IconArrowUp size={14} aria-hidden />}
                        {dir === 'desc' && <IconArrowDown size={14} aria-hidden />}
                      </UnstyledButton>
                    ) : (
                      <Text size="sm" fw={600} truncate>
                        {label}
                      </Text>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody
            style={{ display: 'grid', height: virtualizer.getTotalSize(), position: 'relative' }}
          >
            {items.map((item) => {
              const row = tableRows[item.index];
              if (!row) return null;
              const record = row.original;
              const selected = Boolean(selection[record.id]);
              return (
                <tr
                  key={row.id}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  style={{
                    display: 'flex',
                    position: 'absolute',
                    transform: `translateY(${item.start}px)`,
                    width: '100%',
                    height: ROW_HEIGHT,
                    borderBottom: '1px solid var(--mantine-color-default-border)',
                    background: selected ? 'var(--mantine-primary-color-light)' : undefined,
                  }}
                >
                  {row.getVisibleCells().map((cell, ci) => {
                    const width = widths[ci] ?? 180;
                    const field = byKey.get(cell.column.id);
                    const pinned = pin(ci);
                    if (!field) {
                      return (
                        <td
                          key={cell.id}
                          style={tdStyle(width, pinned)}
                          className={pinned?.className}
                        >
                          <Checkbox
                            size="xs"
                            aria-label={t('records.table.selectRow', {
                              name: recordName(record, titleField),
                            })}
                            checked={selected}
                            onChange={(e) => {
                              const next = { ...selection };
                              if (e.currentTarget.checked) next[record.id] = true;
                              else delete next[record.id];
                              onSelectionChange(next);
                            }}
                          />
                        </td>
                      );
                    }
                    return (
                      <td
                        key={cell.id}
                        style={tdStyle(width, pinned)}
                        className={
                          [pinned?.className, added.has(field.key) ? 'sen-rt-added' : null]
                            .filter(Boolean)
                            .join(' ') || undefined
                        }
                      >
                        {isName(field.key) ? (
                          <Text
                            component={Link}
                            to={`/${object}/${record.id}`}
                            size="sm"
                            fw={500}
                            truncate
                            c="var(--mantine-primary-color-filled)"
                          >
                            {recordName(record, titleField) || t('records.unnamed')}
                          </Text>
                        ) : canUpdate && isInlineEditable(field) ? (
                          <EditableCell object={object} field={field} record={record} />
                        ) : (
                          <FieldValue t={t} fmt={fmt} field={field} record={record} />
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
        {isFetchingNextPage && (
          <Center py="xs" style={{ position: 'sticky', left: 0 }}>
            <Loader size="xs" aria-label={t('common.loading')} />
          </Center>
        )}
        {rows.length === 0 && (
          <Center py="xl" style={{ position: 'sticky', left: 0 }}>
            {empty ?? (
              <Text c="dimmed" size="sm">
                {t('records.table.empty')}
              </Text>
            )}
          </Center>
        )}
      </Box>
      {edges.left && (
        <ActionIcon
          className="sen-rt-scroll-button"
          data-side="left"
          style={{ left: pinnedWidth + 6 }}
          variant="default"
          radius="xl"
          size="md"
          aria-label={t('records.table.scrollLeft')}
          onClick={() => scrollBy(-1)}
        >
          <IconChevronLeft size={16} />
        </ActionIcon>
      )}
      {edges.right && (
        <>
          <div className="sen-rt-fade" aria-hidden />
          <ActionIcon
            className="sen-rt-scroll-button"
            data-side="right"
            variant="default"
            radius="xl"
            size="md"
            aria-label={t('records.table.scrollRight')}
            onClick={() => scrollBy(1)}
          >
            <IconChevronRight size={16} />
          </ActionIcon>
        </>
      )}
    </Box>
  );
}

type Pin = { left: number } | null;

function thStyle(width: number, pinned: Pin) {
  return {
    display: 'flex',
    alignItems: 'center',
    gap: 4,
    width,
    minWidth: width,
    padding: '8px 10px',
    textAlign: 'left' as const,
    ...(pinned ? { position: 'sticky' as const, left: pinned.left, zIndex: 3 } : {}),
  };
}

function tdStyle(width: number, pinned: Pin) {
  return {
    display: 'flex',
    alignItems: 'center',
    width,
    minWidth: width,
    padding: '0 10px',
    overflow: 'hidden',
    ...(pinned ? { position: 'sticky' as const, left: pinned.left, zIndex: 1 } : {}),
  };
}

/**
 * A text or select cell that can be edited in place: the change shows at once (optimistic) and
 * is rolled back with an error message if the server refuses it.
 */
function EditableCell({
  object,
  field,
  record,
}: {
  object: RecordObjectKey;
  field: FieldMeta;
  record: AnyRecord;
}) {
  const titleField = useObjectMeta(object)?.presentation.titleField;
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const update = useUpdateRecord(object);
  const onError = useErrorHandler();
  const [editing, setEditing] = useState(false);
  const current = rawValue(record, field.key);
  const [draft, setDraft] = useState('');
  const label = t('records.table.editCell', {
    field: fieldLabel(field, i18n.language),
    name: recordName(record, titleField),
  });

  const save = (value: unknown) => {
    setEditing(false);
    if ((value ?? '') === (current ?? '')) return;
    update.mutate(
      {
        id: record.id,
        input: inputFor(record, field.key, value === '' ? null : value),
        version: record.version,
      },
      { onError: (err) => onError(err) },
    );
  };

  if (editing && field.type === 'select') {
    return (
      <Select
        size="xs"
        w="100%"
        aria-label={label}
        autoFocus
        defaultDropdownOpened
        data={offeredChoices(t, field, i18n.language, current)}
        value={typeof current === 'string' ? current : null}
        // Picking the chosen option again must not clear a required field.
        allowDeselect={!field.required}
        onChange={(v) => save(v)}
        onDropdownClose={() => setEditing(false)}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  if (editing) {
    return (
      <TextInput
        size="xs"
        w="100%"
        aria-label={label}
        autoFocus
        value={draft}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={() => save(draft.trim())}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          if (e.key === 'Enter') save(draft.trim());
          if (e.key === 'Escape') setEditing(false);
        }}
      />
    );
  }
  return (
    <Group gap={2} wrap="nowrap" w="100%" className="sen-editable-cell">
      <Box style={{ flex: 1, minWidth: 0 }}>
        <FieldValue t={t} fmt={fmt} field={field} record={record} />
      </Box>
      <ActionIcon
        size="sm"
        variant="subtle"
        color="gray"
        aria-label={label}
        className="sen-edit-button"
        onClick={() => {
          setDraft(typeof current === 'string' ? current : '');
          setEditing(true);
        }}
      >
        <IconPencil size={14} />
      </ActionIcon>
    </Group>
  );
}
