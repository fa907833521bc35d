/**
 * Kanban of records grouped by a select field (lifecycle stage by default). Each column is its
 * own keyset list (the page's filter AND "field is <value>"). Cards move by drag and drop
 * (native HTML5) or, from the keyboard, through their "move to" menu; the move shows at once and
 * is undone if the server refuses it.
 */
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Menu,
  ScrollArea,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconDots } from '@tabler/icons-react';
import { useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  fieldLabel,
  primaryOf,
  recordKeys,
  recordName,
  useRecordList,
  useUpdateRecord,
  type AnyRecord,
  type Choice,
  type FieldMeta,
  type FilterNode,
  type RecordObjectKey,
  useObjectMeta,
} from '../../api/records';
import { useErrorHandler } from '../../lib/errors';
import { choicesOf, inputFor, phoneText, rawValue } from './fields';

const NONE = '__none';

interface Pending {
  record: AnyRecord;
  to: string;
}

export function KanbanBoard({
  object,
  fields,
  groupBy,
  onGroupByChange,
  filter,
  sort,
  q,
  canUpdate,
}: {
  object: RecordObjectKey;
  fields: FieldMeta[];
  groupBy: string;
  onGroupByChange: (key: string) => void;
  filter: FilterNode | undefined;
  sort: string | undefined;
  q: string;
  canUpdate: boolean;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const update = useUpdateRecord(object);
  const onError = useErrorHandler();
  const [pending, setPending] = useState<Map<string, Pending>>(new Map());
  const [dragOver, setDragOver] = useState<string | null>(null);

  const groupable = fields.filter(
    (f) =>
      f.type === 'select' &&
      !f.readOnly &&
      f.key !== 'provinceCode' &&
      choicesOf(t, f, i18n.language).length > 0,
  );
  const field = groupable.find((f) => f.key === groupBy) ?? groupable[0];
  const columns = useMemo<Choice[]>(() => {
    if (!field) return [];
    const choices = choicesOf(t, field, i18n.language);
    return field.key === 'lifecycleStage' || field.required
      ? choices
      : [...choices, { value: NONE, label: t('records.kanban.none') }];
  }, [field, t, i18n.language]);

  if (!field) {
    return (
      <Text c="dimmed" size="sm">
        {t('records.kanban.noSelectField')}
      </Text>
    );
  }

  const move = (record: AnyRecord, to: string) => {
    const from = String(rawValue(record, field.key) ?? NONE);
    if (from === to || !canUpdate) return;
    const value = to === NONE ? null : to;
    setPending((m) => new Map(m).set(record.id, { record, to }));
    const clear = () =>
      setPending((m) => {
        const next = new Map(m);
        next.delete(record.id);
        return next;
      });
    update.mutate(
      { id: record.id, input: inputFor(record, field.key, value) },
      {
        onError: (err) => {
          clear();
          onError(err);
        },
        onSuccess: () => {
          void qc.refetchQueries({ queryKey: recordKeys.lists(object) }).finally(clear);
        },
      },
    );
  };

  const onDrop = (e: DragEvent, to: string) => {
    e.preventDefault();
    setDragOver(null);
    const id = e.dataTransfer.getData('application/x-sen-record');
    const record = findLoaded(qc, object, id);
    if (record) move(record, to);
  };

  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Select
          size="xs"
          w={220}
          label={t('records.kanban.groupBy')}
          data={groupable.map((f) => ({ value: f.key, label: fieldLabel(f, i18n.language) }))}
          value={field.key}
          allowDeselect={false}
          onChange={(k) => k && onGroupByChange(k)}
        />
      </Group>
      <ScrollArea type="auto" offsetScrollbars>
        <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm">
          {columns.map((col) => (
            <KanbanColumn
              key={col.value}
              object={object}
              field={field}
              column={col}
              columns={columns}
              filter={filter}
              sort={sort}
              q={q}
              pending={pending}
              canUpdate={canUpdate}
              dragOver={dragOver === col.value}
              onDragOver={(e) => {
                if (!canUpdate) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                setDragOver(col.value);
              }}
              onDragLeave={() => setDragOver((v) => (v === col.value ? null : v))}
              onDrop={(e) => onDrop(e, col.value)}
              onMove={move}
            />
          ))}
        </Group>
      </ScrollArea>
    </Stack>
  );
}

function findLoaded(
  qc: ReturnType<typeof useQueryClient>,
  object: RecordObjectKey,
  id: string,
): AnyRecord | undefined {
  for (const [, data] of qc.getQueriesData<{ pages: { items: AnyRecord[] }[] }>({
    queryKey: recordKeys.lists(object),
  })) {
    for (const page of data?.pages ?? []) {
      const hit = page.items.find((r) => r.id === id);
      if (hit) return hit;
    }
  }
  return undefined;
}

function KanbanColumn({
  object,
  field,
  column,
  columns,
  filter,
  sort,
  q,
  pending,
  canUpdate,
  dragOver,
  onDragOver,
  onDragLeave,
  onDrop,
  onMove,
}: {
  object: RecordObjectKey;
  field: FieldMeta;
  column: Choice;
  columns: Choice[];
  filter: FilterNode | undefined;
  sort: string | undefined;
  q: string;
  pending: Map<string, Pending>;
  canUpdate: boolean;
  dragOver: boolean;
  onDragOver: (e: DragEvent) => void;
  onDragLeave: () => void;
  onDrop: (e: DragEvent) => void;
  onMove: (record: AnyRecord, to: string) => void;
}) {
  const titleField = useObjectMeta(object)?.presentation.titleField;
  const { t } = useTranslation();
  const condition: FilterNode =
    column.value === NONE
      ? { field: field.key, op: 'is_empty' }
      : { field: field.key, op: 'is', value: column.value };
  const list = useRecordList(object, {
    filter: filter ? { and: [filter, condition] } : { and: [condition] },
    sort,
    q,
    limit: 50,
  });
  const loaded = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  const items = [
    ...[...pending.values()]
      .filter((p) => p.to === column.value && !loaded.some((r) => r.id === p.record.id))
      .map((p) => p.record),
    ...loaded.filter((r) => {
      const p = pending.get(r.id);
      return !p || p.to === column.value;
    }),
  ];
  const titleId = `kanban-col-${field.key}-${column.value}`;

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
      data-column={column.value}
      style={{
        borderRadius: 'var(--mantine-radius-md)',
        background: dragOver
          ? 'var(--mantine-primary-color-light)'
          : 'var(--mantine-color-default-hover)',
        outline: dragOver ? '2px dashed var(--mantine-primary-color-filled)' : undefined,
      }}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Text fw={600} size="sm" id={titleId} truncate>
          {column.label}
        </Text>
        <Badge variant="light" size="sm">
          {total ?? items.length}
        </Badge>
      </Group>
      <Stack gap="xs" mih={80}>
        {items.map((record) => (
          <Card
            key={record.id}
            withBorder
            padding="xs"
            radius="sm"
            draggable={canUpdate}
            onDragStart={(e) => {
              e.dataTransfer.setData('application/x-sen-record', record.id);
              e.dataTransfer.effectAllowed = 'move';
            }}
            style={{ cursor: canUpdate ? 'grab' : undefined }}
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
                <Text size="xs" c="dimmed" truncate>
                  {phoneText(primaryOf(record.phones)) || primaryOf(record.emails)?.value || ' '}
                </Text>
                {record.owner && (
                  <Text size="xs" c="dimmed" truncate>
                    {record.owner.name}
                  </Text>
                )}
              </Stack>
              {canUpdate && (
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
                    {columns
                      .filter((c) => c.value !== column.value)
                      .map((c) => (
                        <Menu.Item key={c.value} onClick={() => onMove(record, c.value)}>
                          {c.label}
                        </Menu.Item>
                      ))}
                  </Menu.Dropdown>
                </Menu>
              )}
            </Group>
          </Card>
        ))}
        {list.hasNextPage && (
          <Button
            size="xs"
            variant="subtle"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {t('records.kanban.loadMore')}
          </Button>
        )}
        {!list.isPending && items.length === 0 && (
          <Text size="xs" c="dimmed" ta="center" py="sm">
            {t('records.kanban.empty')}
          </Text>
        )}
      </Stack>
    </Box>
  );
}
