/**
 * `/contacts/:id` and `/companies/:id`: key facts in the header, every field in a panel (edited
 * through the record form), related records, and the 360° timeline.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconMail, IconPencil, IconPhone, IconTrash, IconUser } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  fieldLabel,
  recordName,
  useDeleteRecord,
  useFields,
  useRecord,
  type AnyRecord,
  type FieldMeta,
  type ObjectMeta,
} from '../../api/records';
import { useCan } from '../../api/session';
import { ConfirmModal } from '../../components/ConfirmModal';
import { useDocumentTitle } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { displayText, linkTarget, phoneText } from './fields';
import { presentationOf } from './fieldPresentations';
import {
  ObjectFormModal,
  objectActions,
  objectBanners,
  objectPanels,
  useObjectText,
  widePanels,
} from './objectUi';
import { MergedBanner } from './MergeModal';
import { Timeline } from './Timeline';

export function RecordPage({ meta }: { meta: ObjectMeta }) {
  const { id = '' } = useParams();
  const record = useRecord(meta.key, id);
  if (record.isPending) return <InlineLoader />;
  if (record.isError)
    return <QueryError error={record.error} onRetry={() => void record.refetch()} />;
  return <RecordView key={id} meta={meta} record={record.data} />;
}

function RecordView({ meta, record }: { meta: ObjectMeta; record: AnyRecord }) {
  const object = meta.key;
  const text = useObjectText(meta);
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canUpdate = useCan(object, 'update');
  const canDelete = useCan(object, 'delete');
  const remove = useDeleteRecord(object);
  const onError = useErrorHandler();
  const [editOpen, setEditOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const name = recordName(record, meta.presentation.titleField) || t('records.unnamed');
  useDocumentTitle(name);
  // A record the server keeps read-only (a converted lead) offers no Edit.
  const lock = meta.presentation.readOnlyWhen;
  const readOnly = !!lock && String(record[lock.field] ?? '') === lock.value;

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/${object}`} size="sm">
        ← {text.title}
      </Anchor>
      <RecordHeader
        meta={meta}
        record={record}
        actions={
          <Group gap="xs">
            {(meta.presentation.actions ?? []).map((key) => {
              const Action = objectActions[key];
              return Action ? (
                <Action key={key} object={object} record={record} canUpdate={canUpdate} />
              ) : null;
            })}
            {canUpdate && !readOnly && (
              <Button
                variant="default"
                leftSection={<IconPencil size={16} />}
                onClick={() => setEditOpen(true)}
              >
                {t('common.edit')}
              </Button>
            )}
            {canDelete && (
              <Button
                variant="light"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => setConfirmDelete(true)}
              >
                {t('common.delete')}
              </Button>
            )}
          </Group>
        }
      />
      {canUpdate && <MergedBanner meta={meta} record={record} />}
      {(meta.presentation.banners ?? []).map((key) => {
        const Banner = objectBanners[key];
        return Banner ? (
          <Banner key={key} object={object} record={record} canUpdate={canUpdate} />
        ) : null;
      })}
      {/* Wide panels (a document's lines) take the page's width, above the fields. */}
      {meta.presentation.panels
        .filter((key) => widePanels.has(key))
        .map((key) => {
          const Panel = objectPanels[key];
          return Panel ? (
            <Panel key={key} object={object} record={record} canUpdate={canUpdate} />
          ) : null;
        })}
      {/* On a phone the timeline, with its note box, comes first: adding a note after a call is
          what people do there, and the header above already shows the key facts. */}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }} order={{ base: 2, md: 1 }}>
          <Stack gap="md">
            <FieldsPanel meta={meta} record={record} />
            {meta.presentation.panels.map((key) => {
              const Panel = widePanels.has(key) ? undefined : objectPanels[key];
              return Panel ? (
                <Panel key={key} object={object} record={record} canUpdate={canUpdate} />
              ) : null;
            })}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }} order={{ base: 1, md: 2 }}>
          <Card
            withBorder
            radius="md"
            padding="md"
            component="section"
            aria-labelledby="timeline-title"
          >
            <Title order={2} size="h4" mb="sm" id="timeline-title">
              {t('records.timeline.title')}
            </Title>
            <Timeline object={object} recordId={record.id} />
          </Card>
        </Grid.Col>
      </Grid>
      <ObjectFormModal
        meta={meta}
        record={record}
        opened={editOpen}
        onClose={() => setEditOpen(false)}
      />
      <ConfirmModal
        opened={confirmDelete}
        title={text.deleteTitle}
        confirmLabel={t('common.delete')}
        loading={remove.isPending}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() =>
          remove.mutate(record.id, {
            onSuccess: () => {
              notifySuccess(t('records.deleted', { name }));
              void navigate(`/${object}`);
            },
            onError: (err) => onError(err),
          })
        }
      >
        {t('records.deleteConfirm', { name })}
      </ConfirmModal>
    </Stack>
  );
}

/**
 * The title (the object's title field) and key facts (its `presentation.headerFacts`): choices
 * as badges, phones and emails as links, the owner with an icon, the rest as "label: value".
 */
function RecordHeader({
  meta,
  record,
  actions,
}: {
  meta: ObjectMeta;
  record: AnyRecord;
  actions: React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const fields = useFields(meta.key);
  const byKey = new Map((fields.data ?? []).map((f) => [f.key, f]));
  const facts = meta.presentation.headerFacts.flatMap((key) => {
    const f = byKey.get(key);
    return f ? [f] : [];
  });
  const badges = facts.filter((f) => f.type === 'select' && key(f) !== 'ownerId');
  const others = facts.filter((f) => !badges.includes(f));

  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={6} style={{ flex: '1 1 18rem', minWidth: 0 }}>
          <Group gap="xs">
            <Title order={1} size="h2">
              {recordName(record, meta.presentation.titleField) || t('records.unnamed')}
            </Title>
            {badges.map((f) => {
              const value = displayText(t, fmt, f, record);
              return value ? (
                <Badge key={f.key} variant="light" title={fieldLabel(f, i18n.language)}>
                  {value}
                </Badge>
              ) : null;
            })}
          </Group>
          <Group gap="lg" wrap="wrap">
            {others.map((f) => {
              const value = displayText(t, fmt, f, record);
              if (f.key === 'ownerId') {
                return (
                  <Group key={f.key} gap={4} wrap="nowrap">
                    <IconUser size={16} aria-label={fieldLabel(f, i18n.language)} />
                    <Text size="sm">{record.owner?.name ?? t('records.fields.noOwner')}</Text>
                  </Group>
                );
              }
              if (!value) return null;
              if (f.type === 'phone' || f.type === 'email') {
                const raw = String(record[f.key] ?? '');
                const Icon = f.type === 'phone' ? IconPhone : IconMail;
                return (
                  <Group key={f.key} gap={4} wrap="nowrap">
                    <Icon size={16} aria-label={fieldLabel(f, i18n.language)} />
                    <Anchor href={`${f.type === 'phone' ? 'tel' : 'mailto'}:${raw}`} size="sm">
                      {value}
                    </Anchor>
                  </Group>
                );
              }
              const to = linkTarget(f, record);
              return (
                <Text key={f.key} size="sm">
                  <Text span c="dimmed" size="sm">
                    {fieldLabel(f, i18n.language)}:
                  </Text>{' '}
                  {to ? (
                    <Anchor component={Link} to={to} size="sm">
                      {value}
                    </Anchor>
                  ) : (
                    value
                  )}
                </Text>
              );
            })}
          </Group>
        </Stack>
        {actions}
      </Group>
    </Card>
  );
}

const key = (f: FieldMeta) => f.key;

const HIDDEN_IN_PANEL = new Set([
  'consent',
  'companies',
  'primaryPhone',
  'primaryEmail',
  'createdBy',
  'updatedBy',
  'deletedAt',
]);

function FieldsPanel({ meta, record }: { meta: ObjectMeta; record: AnyRecord }) {
  const object = meta.key;
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const fields = useFields(object);
  const shown = (fields.data ?? []).filter(
    (f: FieldMeta) =>
      !HIDDEN_IN_PANEL.has(f.key) &&
      f.key !== meta.presentation.titleField &&
      !f.shownIn &&
      presentationOf(f)?.listed !== false,
  );
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="fields-title">
      <Title order={2} size="h4" mb="sm" id="fields-title">
        {t('records.detailsTitle')}
      </Title>
      {fields.isPending && <InlineLoader />}
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="xs" component="dl" m={0}>
        {shown.map((f) => {
          const text =
            f.key === 'phones'
              ? (record.phones ?? []).map((p) => phoneText(p)).join(', ')
              : f.key === 'emails'
                ? (record.emails ?? []).map((e) => e.value).join(', ')
                : displayText(t, fmt, f, record);
          const to = text ? linkTarget(f, record) : null;
          return (
            <div key={f.key} style={{ minWidth: 0 }}>
              <Text component="dt" size="xs" c="dimmed">
                {fieldLabel(f, i18n.language)}
              </Text>
              <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
                {to ? (
                  <Anchor component={Link} to={to} size="sm">
                    {text}
                  </Anchor>
                ) : (
                  text || '—'
                )}
              </Text>
            </div>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}
