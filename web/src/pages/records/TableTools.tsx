/** Toolbar pieces of the records table: column chooser, saved views, bulk actions. */
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Menu,
  Modal,
  Paper,
  Popover,
  ScrollArea,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconArrowDown,
  IconArrowUp,
  IconChevronDown,
  IconColumns,
  IconDeviceFloppy,
  IconTag,
  IconTrash,
  IconUserShare,
  IconEdit,
  IconRestore,
  IconX,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fieldLabel,
  useBulkAction,
  useCreateView,
  useDeleteView,
  useUpdateView,
  useViews,
  type FieldMeta,
  type FilterNode,
  type RecordObjectKey,
  type SavedView,
  type ViewDefinition,
} from '../../api/records';
import { useCan, useSession } from '../../api/session';
import { useUsers } from '../../api/settings';
import { ConfirmModal } from '../../components/ConfirmModal';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { useStartBulk, type BulkStart } from '../../api/bulk';
import { BulkProgressModal } from './BulkProgress';
import { isInlineEditable, offeredChoices } from './fields';
import { presentationOf } from './fieldPresentations';

// --- columns --------------------------------------------------------------------------------

export function ColumnChooser({
  fields,
  columns,
  titleField,
  onChange,
}: {
  fields: FieldMeta[];
  columns: string[];
  /** The record's name: always shown (pinned first in the table). */
  titleField: string;
  onChange: (next: string[]) => void;
}) {
  const { t, i18n } = useTranslation();
  // Filter-only fields (shownIn) are no columns, nor fields a panel shows (a document's lines).
  const columnFields = fields.filter((f) => !f.shownIn && presentationOf(f)?.listed !== false);
  const shown = columns.filter((k) => columnFields.some((f) => f.key === k));
  const hidden = columnFields.filter((f) => !shown.includes(f.key) && f.key !== titleField);
  const move = (i: number, delta: number) => {
    const next = [...shown];
    const j = i + delta;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
  };
  const byKey = new Map(fields.map((f) => [f.key, f]));
  return (
    <Popover position="bottom-end" width={300} withinPortal trapFocus>
      <Popover.Target>
        <Button variant="default" leftSection={<IconColumns size={16} />}>
          {t('records.table.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <ScrollArea.Autosize mah={420}>
          <Stack gap={4}>
            <Text size="xs" fw={600} c="dimmed">
              {t('records.table.shownColumns')}
            </Text>
            {shown.map((key, i) => {
              const f = byKey.get(key);
              if (!f) return null;
              const label = fieldLabel(f, i18n.language);
              return (
                <Group key={key} gap={4} wrap="nowrap" justify="space-between">
                  <Checkbox
                    size="xs"
                    label={label}
                    checked
                    disabled={shown.length === 1 || key === titleField}
                    onChange={() => onChange(shown.filter((k) => k !== key))}
                  />
                  <Group gap={0} wrap="nowrap">
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="gray"
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                      aria-label={t('records.table.moveUp', { field: label })}
                    >
                      <IconArrowUp size={14} />
                    </ActionIcon>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="gray"
                      disabled={i === shown.length - 1}
                      onClick={() => move(i, 1)}
                      aria-label={t('records.table.moveDown', { field: label })}
                    >
                      <IconArrowDown size={14} />
                    </ActionIcon>
                  </Group>
                </Group>
              );
            })}
            {hidden.length > 0 && (
              <Text size="xs" fw={600} c="dimmed" mt="xs">
                {t('records.table.hiddenColumns')}
              </Text>
            )}
            {hidden.map((f) => (
              <Checkbox
                key={f.key}
                size="xs"
                label={fieldLabel(f, i18n.language)}
                checked={false}
                onChange={() => onChange([...shown, f.key])}
              />
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}

// --- saved views ----------------------------------------------------------------------------

export function ViewSelector({
  object,
  activeId,
  onSelect,
  onSaved,
  current,
  changed,
  onReset,
}: {
  object: RecordObjectKey;
  activeId: string | null;
  onSelect: (view: SavedView | null) => void;
  /** The active view was saved with what is on screen. */
  onSaved: (view: SavedView) => void;
  /** The definition on screen, saved by "save view". */
  current: ViewDefinition;
  /** The filter, sort, columns or layout on screen differ from the active view's. */
  changed: boolean;
  /** Back to the active view as it was saved. */
  onReset: () => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const views = useViews(object);
  const create = useCreateView(object);
  const update = useUpdateView(object);
  const remove = useDeleteView(object);
  const onError = useErrorHandler();
  const [saveOpen, setSaveOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const items = views.data?.items ?? [];
  const active = items.find((v) => v.id === activeId) ?? null;
  const mine = active && active.ownerId === session.user.id;

  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', shared: false },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });

  const privateViews = items.filter((v) => !v.shared);
  const sharedViews = items.filter((v) => v.shared);
  const save = () => {
    form.reset();
    setSaveOpen(true);
  };

  return (
    // Wraps on a phone: "save view" and "undo changes" beside the view's name are wider than 375 px.
    <Group gap="xs" wrap="wrap">
      <Menu position="bottom-start" width={260} withinPortal>
        <Menu.Target>
          <Button
            variant="default"
            rightSection={<IconChevronDown size={14} />}
            aria-label={t('records.views.choose', {
              name: active?.name ?? t('records.views.all'),
            })}
            maw={240}
          >
            <Text span size="sm" truncate>
              {active?.name ?? t('records.views.all')}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => onSelect(null)}>{t('records.views.all')}</Menu.Item>
          {privateViews.length > 0 && <Menu.Label>{t('records.views.private')}</Menu.Label>}
          {privateViews.map((v) => (
            <Menu.Item key={v.id} onClick={() => onSelect(v)}>
              {v.name}
            </Menu.Item>
          ))}
          {sharedViews.length > 0 && <Menu.Label>{t('records.views.shared')}</Menu.Label>}
          {sharedViews.map((v) => (
            <Menu.Item
              key={v.id}
              onClick={() => onSelect(v)}
              rightSection={
                <Badge size="xs" variant="light">
                  {t('records.views.sharedBadge')}
                </Badge>
              }
            >
              {v.name}
            </Menu.Item>
          ))}
          {active && mine && (
            <>
              <Menu.Divider />
              <Menu.Item
                leftSection={<IconDeviceFloppy size={14} />}
                disabled={!changed}
                onClick={() =>
                  update.mutate(
                    { id: active.id, definition: current },
                    {
                      onSuccess: (view) => {
                        onSaved(view);
                        notifySuccess(t('records.views.updated'));
                      },
                      onError: (err) => onError(err),
                    },
                  )
                }
              >
                {t('records.views.update', { name: active.name })}
              </Menu.Item>
              <Menu.Item
                color="red"
                leftSection={<IconTrash size={14} />}
                onClick={() => setConfirmDelete(true)}
              >
                {t('records.views.delete')}
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      <Button
        variant="light"
        leftSection={<IconDeviceFloppy size={16} />}
        disabled={!changed}
        title={changed ? undefined : t('records.views.nothingChanged')}
        onClick={save}
      >
        {t('records.views.save')}
      </Button>
      {changed && (
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconRestore size={16} />}
          onClick={onReset}
        >
          {t('records.views.reset')}
        </Button>
      )}

      <Modal opened={saveOpen} onClose={() => setSaveOpen(false)} title={t('records.views.save')}>
        <form
          onSubmit={form.onSubmit((values) =>
            create.mutate(
              { name: values.name.trim(), shared: values.shared, definition: current },
              {
                onSuccess: (view) => {
                  setSaveOpen(false);
                  onSelect(view);
                  notifySuccess(t('records.views.saved', { name: view.name }));
                },
                onError: (err) => onError(err, { form }),
              },
            ),
          )}
        >
          <Stack>
            <TextInput
              label={t('records.views.name')}
              data-autofocus
              {...form.getInputProps('name')}
            />
            <Switch
              label={t('records.views.shareWithWorkspace')}
              {...form.getInputProps('shared', { type: 'checkbox' })}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setSaveOpen(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <ConfirmModal
        opened={confirmDelete}
        title={t('records.views.delete')}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() =>
          active &&
          remove.mutate(active.id, {
            onSuccess: () => {
              setConfirmDelete(false);
              onSelect(null);
            },
            onError: (err) => onError(err),
          })
        }
      >
        {t('records.views.deleteConfirm', { name: active?.name ?? '' })}
      </ConfirmModal>
    </Group>
  );
}

// --- bulk actions ---------------------------------------------------------------------------

type BulkMode = 'owner' | 'tag' | 'field' | 'delete' | null;

/**
 * The list a selection was made in: when every loaded row is selected and more records match,
 * the bar offers "Select all N matching" (the bulk action then runs as a job on the filter).
 */
export interface BulkMatching {
  total: number;
  filter: FilterNode | undefined;
  q: string;
  /** Every row loaded in the table is selected. */
  pageSelected: boolean;
}

export function BulkBar({
  object,
  fields,
  ids,
  onDone,
  matching,
}: {
  object: RecordObjectKey;
  fields: FieldMeta[];
  ids: string[];
  onDone: () => void;
  matching?: BulkMatching | undefined;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const bulk = useBulkAction(object);
  const startBulk = useStartBulk(object);
  const [allMatching, setAllMatching] = useState(false);
  const [operationId, setOperationId] = useState<string | null>(null);
  const offerAll = Boolean(matching?.pageSelected && matching.total > ids.length);
  const all = allMatching && offerAll;
  const count = all && matching ? matching.total : ids.length;
  const onError = useErrorHandler();
  const canDelete = useCan(object, 'delete');
  const users = useUsers(useCan('members', 'read'));
  const [mode, setMode] = useState<BulkMode>(null);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [fieldKey, setFieldKey] = useState<string | null>(null);
  const [fieldValue, setFieldValue] = useState<string | null>('');
  const editable = fields.filter((f) => isInlineEditable(f));
  const field = editable.find((f) => f.key === fieldKey);

  const run = (input: Parameters<typeof bulk.mutate>[0], message: string) => {
    if (all && matching) {
      // Every matching record: the list's filter and search, as a job with its progress.
      const { ids: _ids, ...action } = input;
      startBulk.mutate(
        {
          ...action,
          ...(matching.filter ? { filter: matching.filter as BulkStart['filter'] } : {}),
          ...(matching.q.trim() ? { q: matching.q.trim() } : {}),
        } as BulkStart,
        {
          onSuccess: (op) => {
            setMode(null);
            setOperationId(op.id);
          },
          onError: (err) => onError(err),
        },
      );
      return;
    }
    bulk.mutate(input, {
      onSuccess: (res) => {
        notifySuccess(t(message, { count: res?.updated ?? ids.length }));
        setMode(null);
        onDone();
      },
      onError: (err) => onError(err),
    });
  };

  return (
    <Paper
      withBorder
      p="xs"
      radius="md"
      role="region"
      aria-label={t('records.bulk.label')}
      bg="var(--mantine-primary-color-light)"
    >
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            {all && matching
              ? t('bulkOps.allSelected', { total: fmt.number(matching.total) })
              : t('records.bulk.selected', { count: ids.length })}
          </Text>
          {offerAll && matching && !all && (
            <Button size="xs" variant="subtle" onClick={() => setAllMatching(true)}>
              {t('bulkOps.selectAll', { total: fmt.number(matching.total) })}
            </Button>
          )}
          <Button
            size="xs"
            variant="default"
            leftSection={<IconUserShare size={14} />}
            onClick={() => setMode('owner')}
          >
            {t('records.bulk.assignOwner')}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconTag size={14} />}
            onClick={() => setMode('tag')}
          >
            {t('records.bulk.addTag')}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconEdit size={14} />}
            onClick={() => setMode('field')}
          >
            {t('records.bulk.setField')}
          </Button>
          {canDelete && (
            <Button
              size="xs"
              variant="light"
              color="red"
              leftSection={<IconTrash size={14} />}
              onClick={() => setMode('delete')}
            >
              {t('common.delete')}
            </Button>
          )}
        </Group>
        <ActionIcon variant="subtle" color="gray" onClick={onDone} aria-label={t('common.clear')}>
          <IconX size={16} />
        </ActionIcon>
      </Group>

      <Modal
        opened={mode === 'owner' || mode === 'tag' || mode === 'field'}
        onClose={() => setMode(null)}
        title={
          mode === 'owner'
            ? t('records.bulk.assignOwner')
            : mode === 'tag'
              ? t('records.bulk.addTag')
              : t('records.bulk.setField')
        }
      >
        <Stack>
          <Text size="sm">
            {all
              ? t('bulkOps.appliesToAll', { total: fmt.number(count) })
              : t('records.bulk.appliesTo', { count: ids.length })}
          </Text>
          {mode === 'owner' && (
            <Select
              label={t('records.fields.owner')}
              searchable
              data={(users.data ?? [])
                .filter((u) => u.status === 'active')
                .map((u) => ({ value: u.id, label: u.name }))}
              value={ownerId}
              onChange={setOwnerId}
            />
          )}
          {mode === 'tag' && (
            <TextInput
              label={t('records.fields.tag')}
              value={tag}
              onChange={(e) => setTag(e.currentTarget.value)}
            />
          )}
          {mode === 'field' && (
            <>
              <Select
                label={t('records.filter.field')}
                data={editable.map((f) => ({ value: f.key, label: fieldLabel(f, i18n.language) }))}
                value={fieldKey}
                onChange={(k) => {
                  setFieldKey(k);
                  setFieldValue('');
                }}
              />
              {field?.type === 'select' ? (
                <Select
                  label={t('records.filter.value')}
                  data={offeredChoices(t, field, i18n.language, null)}
                  value={fieldValue}
                  onChange={setFieldValue}
                />
              ) : (
                field && (
                  <TextInput
                    label={t('records.filter.value')}
                    value={fieldValue ?? ''}
                    onChange={(e) => setFieldValue(e.currentTarget.value)}
                  />
                )
              )}
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setMode(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={bulk.isPending || startBulk.isPending}
              disabled={
                (mode === 'owner' && !ownerId) ||
                (mode === 'tag' && !tag.trim()) ||
                (mode === 'field' && !field)
              }
              onClick={() => {
                if (mode === 'owner') {
                  run({ ids, action: 'assign_owner', ownerId }, 'records.bulk.done');
                } else if (mode === 'tag') {
                  run({ ids, action: 'add_tag', tag: tag.trim() }, 'records.bulk.done');
                } else if (mode === 'field' && field) {
                  run(
                    { ids, action: 'set_field', field: field.key, value: fieldValue || null },
                    'records.bulk.done',
                  );
                }
              }}
            >
              {t('records.bulk.apply')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmModal
        opened={mode === 'delete'}
        title={t('records.bulk.deleteTitle')}
        confirmLabel={t('common.delete')}
        loading={bulk.isPending || startBulk.isPending}
        onClose={() => setMode(null)}
        onConfirm={() => run({ ids, action: 'delete' }, 'records.bulk.deleted')}
      >
        {all
          ? t('bulkOps.deleteAllConfirm', { total: fmt.number(count) })
          : t('records.bulk.deleteConfirm', { count: ids.length })}
      </ConfirmModal>
      <BulkProgressModal
        object={object}
        id={operationId}
        onClose={() => {
          setOperationId(null);
          onDone();
        }}
      />
    </Paper>
  );
}
