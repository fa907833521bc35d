/**
 * Settings → Option lists: the workspace's own choices of select fields whose options it edits
 * (contacts' lifecycle stages, companies' industries, products' units). Names in Vietnamese and
 * English, order (drag a row, or its up/down buttons), colour, archive; an option records still
 * hold cannot be removed (the server says how many), it is archived instead. Values typed before
 * a field became a list can be added to it.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  ColorInput,
  Group,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowDown,
  IconArrowUp,
  IconGripVertical,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { useEffect, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  useOptionList,
  useOptionLists,
  useSaveOptionList,
  type OptionList,
} from '../../api/options';
import { localised } from '../../api/records';
import { useCan } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

/** Mantine's palette at shade 6, as #rrggbb (the server stores hex colours). */
const SWATCHES = [
  '#228be6',
  '#15aabf',
  '#12b886',
  '#40c057',
  '#82c91e',
  '#fab005',
  '#fd7e14',
  '#fa5252',
  '#e64980',
  '#be4bdb',
  '#7950f2',
  '#868e96',
];

interface Row {
  /** Local identity for React and drag and drop (the key of a new option is made on save). */
  id: string;
  key?: string;
  vi: string;
  en: string;
  color: string;
  archived: boolean;
  usage: number;
}

let newRows = 0;
const rowsOf = (list: OptionList): Row[] =>
  list.options.map((o) => ({
    id: o.key,
    key: o.key,
    vi: o.label.vi,
    en: o.label.en === o.label.vi ? '' : o.label.en,
    color: o.color ?? '',
    archived: o.archived,
    usage: o.usage,
  }));

export function OptionListsPage() {
  const { t, i18n } = useTranslation();
  const lists = useOptionLists();
  const [params, setParams] = useSearchParams();
  const items = lists.data ?? [];
  const id = (l: { object: string; field: string }) => `${l.object}.${l.field}`;
  const selected = items.find((l) => id(l) === params.get('list')) ?? items[0];

  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('settings.options.title')}
        description={t('settings.options.description')}
      />
      {lists.isError ? (
        <QueryError error={lists.error} onRetry={() => void lists.refetch()} />
      ) : lists.isPending ? (
        <InlineLoader />
      ) : (
        <>
          <Select
            label={t('settings.options.list')}
            maw={420}
            allowDeselect={false}
            data={items.map((l) => ({
              value: id(l),
              label: `${localised(l.objectLabel, i18n.language)} · ${localised(l.label, i18n.language)}`,
            }))}
            value={selected ? id(selected) : null}
            onChange={(v) => v && setParams({ list: v }, { replace: true })}
          />
          {selected && (
            <OptionListEditor key={id(selected)} object={selected.object} field={selected.field} />
          )}
        </>
      )}
    </Stack>
  );
}

function OptionListEditor({ object, field }: { object: string; field: string }) {
  const { t, i18n } = useTranslation();
  const list = useOptionList(object, field);
  const save = useSaveOptionList(object, field);
  const onError = useErrorHandler();
  const canEdit = useCan('custom_fields', 'update');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);

  useEffect(() => {
    if (list.data && rows === null) setRows(rowsOf(list.data));
  }, [list.data, rows]);

  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data || rows === null) return <InlineLoader />;
  const data = list.data;
  const fieldName = localised(data.label, i18n.language);
  const changed = JSON.stringify(rows) !== JSON.stringify(rowsOf(data));

  const set = (rowId: string, patch: Partial<Row>) =>
    setRows((rs) => (rs ?? []).map((r) => (r.id === rowId ? { ...r, ...patch } : r)));
  const moveTo = (from: number, to: number) =>
    setRows((rs) => {
      const next = [...(rs ?? [])];
      if (to < 0 || to >= next.length) return next;
      const [row] = next.splice(from, 1);
      if (row) next.splice(to, 0, row);
      return next;
    });
  const add = (row: Partial<Row> = {}) =>
    setRows((rs) => [
      ...(rs ?? []),
      { id: `new-${++newRows}`, vi: '', en: '', color: '', archived: false, usage: 0, ...row },
    ]);

  const submit = () =>
    save.mutate(
      {
        options: rows.map((r) => ({
          ...(r.key !== undefined ? { key: r.key } : {}),
          label: { vi: r.vi, en: r.en.trim() || r.vi },
          color: r.color || null,
          archived: r.archived,
        })),
      },
      {
        onSuccess: (saved) => {
          setRows(rowsOf(saved));
          notifySuccess(t('settings.options.saved', { name: fieldName }));
        },
        onError: (err) => onError(err),
      },
    );

  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    const from = rows.findIndex((r) => r.id === dragging);
    setDragging(null);
    if (from >= 0) moveTo(from, index);
  };

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('settings.options.hint')}
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing={6} aria-label={fieldName}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={84}>{t('settings.options.order')}</Table.Th>
              <Table.Th>{t('settings.options.labelVi')}</Table.Th>
              <Table.Th>{t('settings.options.labelEn')}</Table.Th>
              <Table.Th w={150}>{t('settings.options.color')}</Table.Th>
              <Table.Th w={110}>{t('settings.options.usage')}</Table.Th>
              <Table.Th w={120}>{t('settings.options.inUse')}</Table.Th>
              <Table.Th w={48} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, i) => {
              const name = row.vi || t('settings.options.newOption');
              return (
                <Table.Tr
                  key={row.id}
                  data-option={row.key ?? ''}
                  draggable={canEdit}
                  onDragStart={(e) => {
                    setDragging(row.id);
                    e.dataTransfer.effectAllowed = 'move';
                    e.dataTransfer.setData('text/plain', row.id);
                  }}
                  onDragOver={(e) => {
                    if (dragging) e.preventDefault();
                  }}
                  onDrop={(e) => onDrop(e, i)}
                  style={{ opacity: dragging === row.id ? 0.5 : undefined }}
                >
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <IconGripVertical
                        size={16}
                        color="var(--mantine-color-dimmed)"
                        style={{ cursor: canEdit ? 'grab' : undefined }}
                        aria-hidden
                      />
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="sm"
                        disabled={!canEdit || i === 0}
                        onClick={() => moveTo(i, i - 1)}
                        aria-label={t('settings.options.moveUp', { name })}
                      >
                        <IconArrowUp size={14} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="sm"
                        disabled={!canEdit || i === rows.length - 1}
                        onClick={() => moveTo(i, i + 1)}
                        aria-label={t('settings.options.moveDown', { name })}
                      >
                        <IconArrowDown size={14} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      value={row.vi}
                      readOnly={!canEdit}
                      required
                      maxLength={100}
                      aria-label={t('settings.options.labelViOf', { name })}
                      onChange={(e) => set(row.id, { vi: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      value={row.en}
                      readOnly={!canEdit}
                      maxLength={100}
                      placeholder={row.vi}
                      aria-label={t('settings.options.labelEnOf', { name })}
                      onChange={(e) => set(row.id, { en: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ColorInput
                      size="xs"
                      value={row.color}
                      readOnly={!canEdit}
                      format="hex"
                      swatches={SWATCHES}
                      swatchesPerRow={6}
                      placeholder={t('settings.options.noColor')}
                      aria-label={t('settings.options.colorOf', { name })}
                      onChange={(v) => set(row.id, { color: v })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={row.usage ? undefined : 'dimmed'}>
                      {t('settings.options.records', { count: row.usage })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={t('settings.options.archivedHint')} disabled={!row.archived}>
                      <Switch
                        size="sm"
                        checked={!row.archived}
                        disabled={!canEdit}
                        label={
                          row.archived
                            ? t('settings.options.archived')
                            : t('settings.options.active')
                        }
                        aria-label={t('settings.options.activeOf', { name })}
                        onChange={(e) => set(row.id, { archived: !e.currentTarget.checked })}
                      />
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {canEdit && (
                      <Tooltip
                        label={
                          row.usage > 0
                            ? t('settings.options.removeInUse', { count: row.usage })
                            : t('settings.options.remove', { name })
                        }
                      >
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          size="sm"
                          disabled={row.usage > 0}
                          onClick={() => setRows(rows.filter((r) => r.id !== row.id))}
                          aria-label={t('settings.options.remove', { name })}
                        >
                          <IconTrash size={14} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canEdit && (
        <Group justify="space-between">
          <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => add()}>
            {t('settings.options.add')}
          </Button>
          <Group gap="xs">
            <Button variant="subtle" disabled={!changed} onClick={() => setRows(rowsOf(data))}>
              {t('settings.options.discard')}
            </Button>
            <Button onClick={submit} loading={save.isPending} disabled={!changed}>
              {t('common.save')}
            </Button>
          </Group>
        </Group>
      )}
      {data.unlisted.length > 0 && (
        <Alert variant="light" color="yellow" title={t('settings.options.unlistedTitle')}>
          <Stack gap={6}>
            <Text size="sm">{t('settings.options.unlistedHint', { field: fieldName })}</Text>
            {data.unlisted.map((u) => {
              const added = rows.some((r) => r.key === u.value);
              return (
                <Group key={u.value} gap="xs">
                  <Text size="sm" fw={500}>
                    {u.value}
                  </Text>
                  <Badge variant="light" color="gray">
                    {t('settings.options.records', { count: u.usage })}
                  </Badge>
                  {canEdit && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      disabled={added}
                      onClick={() =>
                        add({
                          id: `unlisted-${u.value}`,
                          key: u.value,
                          vi: u.value,
                          usage: u.usage,
                        })
                      }
                    >
                      {added
                        ? t('settings.options.addedUnlisted')
                        : t('settings.options.addUnlisted')}
                    </Button>
                  )}
                </Group>
              );
            })}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
