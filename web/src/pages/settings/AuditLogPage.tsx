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
import { useAuditLog, type AuditFilters } from '../../api/settings';
import type { AuditEntry } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useFormat } from '../../lib/format';
import { auditActionLabel, auditObjectLabel } from '../../lib/labels';

/** Object types and actions the foundation writes today; others still display by their key. */
const OBJECT_TYPES = ['workspace', 'member', 'invitation', 'user', 'role', 'team', 'api_key'];
const AUDIT_ACTIONS = ['create', 'update', 'delete'];

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
  const { t } = useTranslation();
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

  const typeOptions = [...new Set([...OBJECT_TYPES, ...(objectType ? [objectType] : [])])].map(
    (v) => ({ value: v, label: auditObjectLabel(t, v) }),
  );
  const actionOptions = [...new Set([...AUDIT_ACTIONS, ...(action ? [action] : [])])].map((v) => ({
    value: v,
    label: auditActionLabel(t, v),
  }));
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(objectType || action || objectIdInput);

  return (
    <Stack maw={1200}>
      <PageHeader title={t('settings.audit.title')} description={t('settings.audit.description')} />
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
                  <AuditRow key={entry.id} entry={entry} />
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
    </Stack>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [open, setOpen] = useState(false);
  const fields = Object.entries(entry.changes ?? {});
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
          <Text size="sm">{auditObjectLabel(t, entry.objectType)}</Text>
          <Text size="xs" c="dimmed" ff="monospace" truncate maw={220} title={entry.objectId}>
            {entry.objectId}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" c={fields.length ? undefined : 'dimmed'} lineClamp={1}>
            {fields.length ? fields.map(([f]) => f).join(', ') : '—'}
          </Text>
        </Table.Td>
      </Table.Tr>
      {fields.length > 0 && (
        <Table.Tr id={detailsId} hidden={!open}>
          <Table.Td colSpan={7} p={0} bg="var(--mantine-color-gray-0)">
            <Collapse expanded={open}>
              <ChangesTable fields={fields} t={t} requestId={entry.requestId} />
            </Collapse>
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

function ChangesTable({
  fields,
  requestId,
  t,
}: {
  fields: [string, { from: unknown; to: unknown }][];
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
              <Table.Td>
                <Code>{field}</Code>
              </Table.Td>
              <Table.Td>
                <Value value={change.from} t={t} />
              </Table.Td>
              <Table.Td>
                <Value value={change.to} t={t} />
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

function Value({ value, t }: { value: unknown; t: TFunction }) {
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
