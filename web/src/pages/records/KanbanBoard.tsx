/**
 * Kanban of records grouped by a select field (lifecycle stage by default). The first paint
 * comes from ONE request (GET /:object/board: every column's first cards, count and cursor, in
 * the workspace's option order and colours); a column's further cards load as it scrolls (the
 * ordinary keyset list of the page's filter AND "field is <value>", from the column's cursor).
 * Cards move by drag and drop (native HTML5) or, from the keyboard, through their "move to"
 * menu; the move shows at once and is undone if the server refuses it. The records page holds the
 * board's query (useKanban: its total heads the page), and its route loader may have asked it
 * before the page's code had loaded (loader.ts, same parameters: listState.ts).
 */
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Loader,
  Menu,
  ScrollArea,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconDots } from '@tabler/icons-react';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  boardKeys,
  useBoard,
  useBoardColumnMore,
  type BoardColumn,
  type BoardParams,
} from '../../api/options';
import {
  fieldLabel,
  localised,
  recordKeys,
  recordName,
  useFields,
  useObjectMeta,
  useUpdateRecord,
  type AnyRecord,
  type FieldMeta,
  type FilterNode,
  type RecordObjectKey,
} from '../../api/records';
import { QueryError } from '../../components/PageStates';
import { useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { choicesOf, displayText, inputFor, rawValue } from './fields';
import { boardParams, rememberBoardScope, rememberedBoardScope } from './listState';

const NONE = '__none';
const idOf = (value: string | null) => value ?? NONE;

interface Pending {
  record: AnyRecord;
  from: string;
  to: string;
}

/** The fields a board may group by, the one it groups by, and its first request. */
export function useKanban(
  object: RecordObjectKey,
  fields: FieldMeta[],
  list: { groupBy: string; filter: FilterNode | undefined; sort: string | undefined; q: string },
  enabled: boolean,
) {
  const { t, i18n } = useTranslation();
  const groupable = fields.filter(
    (f) =>
      f.type === 'select' &&
      !f.readOnly &&
      f.filterable &&
      f.key !== 'provinceCode' &&
      choicesOf(t, f, i18n.language).length > 0,
  );
  const field = groupable.find((f) => f.key === list.groupBy) ?? groupable[0];
  const meta = useObjectMeta(object);
  // A field scoped by another (a deal's stage by its pipeline): the board shows one pipeline.
  const scopeField = field?.scopedBy ? fields.find((f) => f.key === field.scopedBy) : undefined;
  const scopes = scopeField ? choicesOf(t, scopeField, i18n.language) : [];
  const [chosen, setChosen] = useState(() => rememberedBoardScope(object));
  const scope = scopeField
    ? (scopes.find((c) => c.value === chosen) ?? scopes[0])?.value
    : undefined;
  const setScope = (value: string) => {
    setChosen(value);
    rememberBoardScope(object, value);
  };
  const params = boardParams({
    ...list,
    groupBy: field?.key ?? '',
    scope,
    shown: (meta?.presentation.kanbanFilter ?? undefined) as FilterNode | undefined,
  });
  const board = useBoard(object, params, enabled && (!scopeField || scope !== undefined));
  return { groupable, field, params, board, scopeField, scopes, scope, setScope };
}
export type Kanban = ReturnType<typeof useKanban>;

export function KanbanBoard({
  object,
  kanban,
  onGroupByChange,
  canUpdate,
}: {
  object: RecordObjectKey;
  kanban: Kanban;
  onGroupByChange: (key: string) => void;
  canUpdate: boolean;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const update = useUpdateRecord(object);
  const onError = useErrorHandler();
  const [pending, setPending] = useState<Map<string, Pending>>(new Map());
  const [dragOver, setDragOver] = useState<string | null>(null);
  /** Every card on screen by id (a drop names only the id). */
  const loaded = useRef(new Map<string, AnyRecord>());
  const { groupable, field, params, board, scopeField, scopes, scope, setScope } = kanban;
  const meta = useObjectMeta(object);
  const fmt = useFormat();

  if (!field) {
    return (
      <Text c="dimmed" size="sm">
        {t('records.kanban.noSelectField')}
      </Text>
    );
  }

  const columns = board.data?.columns ?? [];
  const titleOf = (c: BoardColumn) =>
    c.value === null
      ? t('records.kanban.none')
      : c.label
        ? localised(c.label, i18n.language)
        : c.value;
  // A card moves only into a value the list offers (not archived, not typed before the list).
  const targets = columns.filter((c) => c.listed && !c.archived);

  const move = (record: AnyRecord, to: string) => {
    const raw = rawValue(record, field.key);
    const from = raw === null || raw === undefined || raw === '' ? NONE : String(raw);
    if (from === to || !canUpdate) return;
    const value = to === NONE ? null : to;
    setPending((m) => new Map(m).set(record.id, { record, from, to }));
    const clear = () =>
      setPending((m) => {
        const next = new Map(m);
        next.delete(record.id);
        return next;
      });
    update.mutate(
      { id: record.id, input: inputFor(record, field.key, value), version: record.version },
      {
        onError: (err) => {
          clear();
          onError(err);
        },
        onSuccess: () => {
          void Promise.all([
            qc.refetchQueries({ queryKey: boardKeys.all(object) }),
            qc.invalidateQueries({ queryKey: recordKeys.lists(object) }),
          ]).finally(clear);
        },
      },
    );
  };

  const onDrop = (e: DragEvent, to: string) => {
    e.preventDefault();
    setDragOver(null);
    const id = e.dataTransfer.getData('application/x-sen-record');
    const record = loaded.current.get(id);
    if (record) move(record, to);
  };

  return (
    <Stack gap="xs">
      <Group gap="xs" align="flex-end">
        <Select
          size="xs"
          w={220}
          label={t('records.kanban.groupBy')}
          data={groupable.map((f) => ({ value: f.key, label: fieldLabel(f, i18n.language) }))}
          value={field.key}
          allowDeselect={false}
          onChange={(k) => k && onGroupByChange(k)}
        />
        {scopeField && (
          <Select
            size="xs"
            w={220}
            label={fieldLabel(scopeField, i18n.language)}
            data={scopes}
            value={scope ?? null}
            allowDeselect={false}
            onChange={(v) => v && setScope(v)}
          />
        )}
        {board.isFetching && <Loader size="xs" aria-hidden />}
      </Group>
      {board.isError ? (
        <QueryError error={board.error} onRetry={() => void board.refetch()} />
      ) : board.isPending ? (
        <Group gap="xs" py="md">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            {t('common.loading')}
          </Text>
        </Group>
      ) : (
        <ScrollArea type="auto" offsetScrollbars>
          <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
            {columns.map((col) => {
              const id = idOf(col.value);
              return (
                <KanbanColumn
                  key={id}
                  object={object}
                  params={params}
                  column={col}
                  title={titleOf(col)}
                  targets={targets.filter((c) => c !== col)}
                  titleOf={titleOf}
                  pending={pending}
                  loaded={loaded.current}
                  canDrag={canUpdate}
                  dragOver={dragOver === id}
                  onDragOver={(e) => {
                    if (!canUpdate || !col.listed || col.archived) return;
                    e.preventDefault();
                    e.dataTransfer.dropEffect = 'move';
                    setDragOver(id);
                  }}
                  onDragLeave={() => setDragOver((v) => (v === id ? null : v))}
                  onDrop={(e) => onDrop(e, id)}
                  onMove={move}
                  sums={(meta?.presentation.kanbanSums ?? []).map((sum) => ({
                    key: sum.key,
                    label: localised(sum.label, i18n.language),
                    text: fmt.money(col.sums?.[sum.key] ?? 0),
                  }))}
                />
              );
            })}
          </Group>
        </ScrollArea>
      )}
    </Stack>
  );
}

function KanbanColumn({
  object,
  params,
  column,
  title,
  targets,
  titleOf,
  pending,
  loaded,
  canDrag,
  dragOver,
  onDragOver,
  onDragLeave,
  onDrop,
  onMove,
  sums,
}: {
  /** The column's totals (a deal board: amount, weighted), formatted. */
  sums: { key: string; label: string; text: string }[];
  object: RecordObjectKey;
  params: BoardParams;
  column: BoardColumn;
  title: string;
  targets: BoardColumn[];
  titleOf: (c: BoardColumn) => string;
  pending: Map<string, Pending>;
  loaded: Map<string, AnyRecord>;
  /** Cards may be picked up (and moved through the menu). */
  canDrag: boolean;
  dragOver: boolean;
  onDragOver: (e: DragEvent) => void;
  onDragLeave: () => void;
  onDrop: (e: DragEvent) => void;
  onMove: (record: AnyRecord, to: string) => void;
}) {
  const meta = useObjectMeta(object);
  const titleField = meta?.presentation.titleField;
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const fields = useFields(object).data ?? [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  // Under the name: the object's subtitle fields (a deal: amount, company; a contact: phone…).
  const subtitles = (meta?.presentation.subtitleFields ?? []).flatMap((k) => byKey.get(k) ?? []);
  const badges = (meta?.presentation.cardBadges ?? []).flatMap((k) => byKey.get(k) ?? []);
  const id = idOf(column.value);
  const [wantMore, setWantMore] = useState(false);
  const more = useBoardColumnMore(object, params, column.value, column.nextCursor, wantMore);
  const sentinel = useRef<HTMLDivElement>(null);

  const fetched = [...column.items, ...(more.data?.pages.flatMap((p) => p.items) ?? [])];
  for (const r of fetched) loaded.set(r.id, r);
  const hasMore = column.nextCursor !== null && (!more.data || more.hasNextPage);
  const loadMore = () => {
    if (!wantMore) setWantMore(true);
    else if (more.hasNextPage && !more.isFetchingNextPage) void more.fetchNextPage();
  };

  // Further cards as the column scrolls to its end.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    });
    io.observe(el);
    return () => io.disconnect();
  });

  const movedIn = [...pending.values()].filter(
    (p) => p.to === id && !fetched.some((r) => r.id === p.record.id),
  );
  const movedOut = fetched.filter((r) => {
    const p = pending.get(r.id);
    return p !== undefined && p.to !== id;
  }).length;
  const items = [
    ...movedIn.map((p) => p.record),
    ...fetched.filter((r) => {
      const p = pending.get(r.id);
      return !p || p.to === id;
    }),
  ];
  const count = column.count + movedIn.length - movedOut;
  const titleId = `kanban-col-${params.groupBy}-${id}`;

  return (
    <Box
      component="section"
      aria-labelledby={titleId}
      w={280}
      miw={280}
      p="xs"
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      data-column={id}
      style={{
        borderRadius: 'var(--mantine-radius-md)',
        borderTop: `3px solid ${column.color ?? 'var(--mantine-color-gray-4)'}`,
        background: dragOver
          ? 'var(--mantine-primary-color-light)'
          : 'var(--mantine-color-default-hover)',
        outline: dragOver ? '2px dashed var(--mantine-primary-color-filled)' : undefined,
      }}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Text
          fw={600}
          size="sm"
          id={titleId}
          truncate
          c={column.archived || !column.listed ? 'dimmed' : undefined}
          fs={column.archived ? 'italic' : undefined}
          title={column.archived ? t('settings.options.archivedHint') : undefined}
        >
          {title}
        </Text>
        <Badge variant="light" size="sm" color={column.color ?? 'gray'}>
          {count}
        </Badge>
      </Group>
      {sums.length > 0 && (
        <Stack gap={0} mb="xs" data-testid="kanban-sums">
          {sums.map((sum) => (
            <Text key={sum.key} size="xs" c="dimmed" truncate>
              {sum.label}: <b>{sum.text}</b>
            </Text>
          ))}
        </Stack>
      )}
      <ScrollArea.Autosize
        mah="calc(100vh - 260px)"
        type="auto"
        offsetScrollbars="y"
        scrollbars="y"
        // Cards fit the column (a long name ends in …): no min-content width from the viewport.
        styles={{ content: { minWidth: 0 } }}
      >
        <Stack gap="xs" mih={80}>
          {items.map((record) => (
            <Card
              key={record.id}
              withBorder
              padding="xs"
              radius="sm"
              draggable={canDrag}
              onDragStart={(e) => {
                e.dataTransfer.setData('application/x-sen-record', record.id);
                e.dataTransfer.effectAllowed = 'move';
              }}
              style={{ cursor: canDrag ? 'grab' : undefined }}
              data-record-id={record.id}
              aria-label={recordName(record, titleField)}
            >
              <Group justify="space-between" wrap="nowrap" gap={4} align="flex-start">
                <Stack gap={2} style={{ minWidth: 0 }}>
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
                  {subtitles.map((f) => {
                    const text = displayText(t, fmt, f, record);
                    return text ? (
                      <Text key={f.key} size="xs" c="dimmed" truncate>
                        {text}
                      </Text>
                    ) : null;
                  })}
                  {badges
                    .filter((f) => record[f.key] === true)
                    .map((f) => (
                      <Badge key={f.key} size="xs" color="orange" variant="light">
                        {fieldLabel(f, i18n.language)}
                      </Badge>
                    ))}
                  {record.owner && (
                    <Text size="xs" c="dimmed" truncate>
                      {record.owner.name}
                    </Text>
                  )}
                </Stack>
                {canDrag && targets.length > 0 && (
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="sm"
                        aria-label={t('records.kanban.moveMenu', {
                          name: recordName(record, titleField),
                        })}
                      >
                        <IconDots size={14} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Label>{t('records.kanban.moveTo')}</Menu.Label>
                      {targets.map((c) => (
                        <Menu.Item
                          key={idOf(c.value)}
                          onClick={() => onMove(record, idOf(c.value))}
                        >
                          {titleOf(c)}
                        </Menu.Item>
                      ))}
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Group>
            </Card>
          ))}
          {hasMore && (
            <div ref={sentinel}>
              <Button
                size="xs"
                variant="subtle"
                fullWidth
                loading={more.isFetching}
                onClick={loadMore}
              >
                {t('records.kanban.loadMore')}
              </Button>
            </div>
          )}
          {more.isError && <QueryError error={more.error} onRetry={() => void more.refetch()} />}
          {items.length === 0 && (
            <Text size="xs" c="dimmed" ta="center" py="sm">
              {t('records.kanban.empty')}
            </Text>
          )}
        </Stack>
      </ScrollArea.Autosize>
    </Box>
  );
}
