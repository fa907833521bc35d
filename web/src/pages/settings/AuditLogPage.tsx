import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Code,
  Collapse,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconFilterOff } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuditLog, useRecordFieldLabels, type AuditFilters } from '../../api/settings';
import { useObjects } from '../../api/records';
import type { AuditEntry } from '../../api/types';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { SettingsPage } from '../../components/SettingsList';
import { useFormat } from '../../lib/format';
import { auditActionLabel, auditFieldLabel, useObjectLabel } from '../../lib/labels';

/** Object types written today besides the record objects (GET /objects). */
const OBJECT_TYPES = [
  'notes',
  'attachments',
  'custom_fields',
  'saved_views',
  'workspace',
  'member',
  'invitation',
  'user',
  'role',
  'team',
  'api_key',
  'pipeline',
  'sales_target',
];
const AUDIT_ACTIONS = ['create', 'update', 'delete', 'restore'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Fields that name the object, to show a deleted object by the name it had. */
const NAME_FIELDS = ['name', 'displayName', 'label', 'fileName', 'email'];

type Change = { from: unknown; to: unknown };

/** The changed fields, with a change of custom values split into one row per custom field. */
function changedFields(changes: AuditEntry['changes']): [string, Change][] {
  const out: [string, Change][] = [];
  for (const [field, change] of Object.entries(changes ?? {})) {
    const from = change.from;
    const to = change.to;
    const isMap = (v: unknown): v is Record<string, unknown> =>
      v === null || (typeof v === 'object' && !Array.isArray(v));
    if (field === 'custom' && isMap(from) && isMap(to)) {
      const keys = new Set([...Object.keys(from ?? {}), ...Object.keys(to ?? {})]);
      for (const k of keys) {
        const a = from?.[k] ?? null;
        const b = to?.[k] ?? null;
        if (JSON.stringify(a) !== JSON.stringify(b)) out.push([`custom.${k}`, { from: a, to: b }]);
      }
    } else {
      out.push([field, change]);
    }
  }
  return out;
}

/** The object's name: as it is now, or as the entry last knew it (then marked deleted). */
function objectName(entry: AuditEntry): { name: string; gone: boolean } | null {
  if (entry.objectName) return { name: entry.objectName, gone: false };
  for (const f of NAME_FIELDS) {
    const c = entry.changes?.[f];
    const v = c?.to ?? c?.from;
    if (typeof v === 'string' && v) return { name: v, gone: true };
  }
  return null;
}

const channelColor: Record<string, string> = {
  web: 'blue',
  api: 'violet',
  cli: 'gray',
  import: 'cyan',
  automation: 'grape',
  system: 'dark',
};
const actionColor: Record<string, string> = { create: 'teal', update: 'blue', delete: 'red' };

export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const objectType = params.get('objectType') ?? '';
  const action = params.get('action') ?? '';
  const [objectIdInput, setObjectIdInput] = useState(params.get('objectId') ?? '');
  const [objectId] = useDebouncedValue(objectIdInput.trim(), 400);

  const filters: AuditFilters = {
    ...(objectType ? { objectType } : {}),
    ...(action ? { action } : {}),
    ...(objectId ? { objectId } : {}),
  };
  const log = useAuditLog(filters);

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const objectLabel = useObjectLabel();
  const recordObjects = (useObjects().data ?? []).map((o) => o.key);
  const typeOptions = [
    ...new Set([...recordObjects, ...OBJECT_TYPES, ...(objectType ? [objectType] : [])]),
  ].map((v) => ({ value: v, label: objectLabel(v, 'one') }));
  const actionOptions = [...new Set([...AUDIT_ACTIONS, ...(action ? [action] : [])])].map((v) => ({
    value: v,
    label: auditActionLabel(t, v),
  }));
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const fieldLabels = useRecordFieldLabels(
    [...new Set(items.map((e) => e.objectType))],
    i18n.language,
  );
  const filtered = Boolean(objectType || action || objectIdInput);

  return (
    <SettingsPage
      maw={1200}
      title={t('settings.audit.title')}
      description={t('settings.audit.description')}
    >
      <Group
        align="flex-end"
        gap="sm"
        wrap="wrap"
        role="search"
        aria-label={t('settings.audit.filters')}
      >
        <Select
          label={t('settings.audit.objectType')}
          placeholder={t('settings.audit.any')}
          data={typeOptions}
          value={objectType || null}
          onChange={(v) => setParam('objectType', v)}
          clearable
          w={{ base: '100%', xs: 200 }}
        />
        <Select
          label={t('settings.audit.action')}
          placeholder={t('settings.audit.any')}
          data={actionOptions}
          value={action || null}
          onChange={(v) => setParam('action', v)}
          clearable
          w={{ base: '100%', xs: 180 }}
        />
        <TextInput
          label={t('settings.audit.objectId')}
          value={objectIdInput}
          onChange={(e) => {
            setObjectIdInput(e.currentTarget.value);
            setParam('objectId', e.currentTarget.value.trim() || null);
          }}
          w={{ base: '100%', xs: 280 }}
        />
        {filtered && (
          <Button
            variant="subtle"
            leftSection={<IconFilterOff size={16} />}
            onClick={() => {
              setObjectIdInput('');
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            {t('settings.audit.clearFilters')}
          </Button>
        )}
      </Group>

      {log.isPending ? (
        <InlineLoader />
      ) : log.isError && items.length === 0 ? (
        <QueryError error={log.error} onRetry={() => void log.refetch()} />
      ) : items.length === 0 ? (
        <Card withBorder padding="xl">
          <Text ta="center" c="dimmed">
            {filtered ? t('settings.audit.noMatches') : t('settings.audit.empty')}
          </Text>
        </Card>
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" aria-label={t('settings.audit.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={36}>
                    <VisuallyHidden>{t('settings.audit.changes')}</VisuallyHidden>
                  </Table.Th>
                  <Table.Th>{t('settings.audit.when')}</Table.Th>
                  <Table.Th>{t('settings.audit.who')}</Table.Th>
                  <Table.Th>{t('settings.audit.channel')}</Table.Th>
                  <Table.Th>{t('settings.audit.action')}</Table.Th>
                  <Table.Th>{t('settings.audit.object')}</Table.Th>
                  <Table.Th>{t('settings.audit.changes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((entry) => (
                  <AuditRow
                    key={entry.id}
                    entry={entry}
                    fieldLabels={fieldLabels[entry.objectType]}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {log.isError && items.length > 0 && (
        <QueryError error={log.error} onRetry={() => void log.fetchNextPage()} />
      )}
      {log.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
          >
            {t('settings.audit.loadMore')}
          </Button>
        </Group>
      )}
      {!log.hasNextPage && items.length > 0 && (
        <Text size="xs" c="dimmed" ta="center">
          {t('settings.audit.end', { count: items.length })}
        </Text>
      )}
    </SettingsPage>
  );
}

function AuditRow({
  entry,
  fieldLabels,
}: {
  entry: AuditEntry;
  fieldLabels: Record<string, string> | undefined;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const objectLabel = useObjectLabel();
  const [open, setOpen] = useState(false);
  const fields = changedFields(entry.changes);
  const label = (field: string) => auditFieldLabel(t, field, fieldLabels);
  const named = objectName(entry);
  const detailsId = `audit-${entry.id}-changes`;
  const actor = entry.actor;

  return (
    <Fragment>
      <Table.Tr>
        <Table.Td>
          {fields.length > 0 && (
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
              aria-controls={detailsId}
              aria-label={t(open ? 'settings.audit.hideChanges' : 'settings.audit.showChanges')}
            >
              {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
            </ActionIcon>
          )}
        </Table.Td>
        <Table.Td>
          <Tooltip label={new Date(entry.occurredAt).toISOString()}>
            <Text
              size="sm"
              component="time"
              dateTime={entry.occurredAt}
              style={{ whiteSpace: 'nowrap' }}
            >
              {fmt.dateTime(entry.occurredAt)}
            </Text>
          </Tooltip>
        </Table.Td>
        <Table.Td>
          <Text size="sm">
            {actor?.name ?? (actor?.type === 'system' || !actor ? t('settings.audit.system') : '—')}
          </Text>
          {actor && actor.type !== 'user' && (
            <Text size="xs" c="dimmed">
              {t(`settings.audit.actorTypes.${actor.type}`)}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Badge
            variant="light"
            color={channelColor[entry.channel] ?? 'gray'}
            style={{ minWidth: 'max-content' }}
          >
            {t(`settings.audit.channels.${entry.channel}`, { defaultValue: entry.channel })}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Badge
            variant="dot"
            color={actionColor[entry.action] ?? 'gray'}
            style={{ minWidth: 'max-content' }}
          >
            {auditActionLabel(t, entry.action)}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{objectLabel(entry.objectType, 'one')}</Text>
          {named ? (
            <Text size="xs" c="dimmed" truncate maw={260} title={entry.objectId}>
              {named.name}
              {named.gone && ` ${t('settings.audit.deletedObject')}`}
            </Text>
          ) : (
            <Text size="xs" c="dimmed" ff="monospace" truncate maw={220} title={entry.objectId}>
              {entry.objectId}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" c={fields.length ? undefined : 'dimmed'} lineClamp={1}>
            {fields.length ? fields.map(([f]) => label(f)).join(', ') : '—'}
          </Text>
        </Table.Td>
      </Table.Tr>
      {fields.length > 0 && (
        <Table.Tr id={detailsId} hidden={!open}>
          <Table.Td colSpan={7} p={0} bg="var(--mantine-color-gray-0)">
            <Collapse expanded={open}>
              <ChangesTable
                fields={fields}
                label={label}
                names={entry.names}
                t={t}
                requestId={entry.requestId}
              />
            </Collapse>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

function ChangesTable({
  fields,
  label,
  names,
  requestId,
  t,
}: {
  fields: [string, Change][];
  label: (field: string) => string;
  names: Record<string, string>;
  requestId: string | null;
  t: TFunction;
}) {
  return (
    <Stack gap={4} p="sm" pl={48}>
      <Table withTableBorder={false} verticalSpacing={4} fz="sm" layout="fixed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="25%">{t('settings.audit.field')}</Table.Th>
            <Table.Th>{t('settings.audit.from')}</Table.Th>
            <Table.Th>{t('settings.audit.to')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map(([field, change]) => (
            <Table.Tr key={field}>
              <Table.Td>{label(field)}</Table.Td>
              <Table.Td>
                <Value value={change.from} names={names} t={t} />
              </Table.Td>
              <Table.Td>
                <Value value={change.to} names={names} t={t} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {requestId && (
        <Text size="xs" c="dimmed">
          {t('errors.requestId', { id: requestId })}
        </Text>
      )}
    </Stack>
  );
}

/** Ids the server could name are shown by name, everywhere inside a value. */
function withNames(value: unknown, names: Record<string, string>): unknown {
  if (typeof value === 'string') return UUID.test(value) ? (names[value] ?? value) : value;
  if (Array.isArray(value)) return value.map((v) => withNames(v, names));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNames(v, names)]));
  }
  return value;
}

function Value({
  value: raw,
  names,
  t,
}: {
  value: unknown;
  names: Record<string, string>;
  t: TFunction;
}) {
  const fmt = useFormat();
  const value = withNames(raw, names);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.length === 0 ? (
      <Text size="sm" c="dimmed">
        —
      </Text>
    ) : (
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {value.join(', ')}
      </Text>
    );
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    return <Text size="sm">{fmt.dateTime(value)}</Text>;
  }
  if (value === null || value === undefined) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  if (typeof value === 'boolean')
    return <Text size="sm">{value ? t('common.yes') : t('common.no')}</Text>;
  if (typeof value === 'string' || typeof value === 'number') {
    return (
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {String(value)}
      </Text>
    );
  }
  return (
    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', maxHeight: 200 }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
