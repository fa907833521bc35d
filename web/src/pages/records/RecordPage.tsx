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
  Menu,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  IconBuilding,
  IconChevronDown,
  IconMail,
  IconPencil,
  IconPhone,
  IconTrash,
  IconUser,
  IconUnlink,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  fieldLabel,
  primaryOf,
  recordName,
  useCompanyContacts,
  useContactCompanies,
  useDeleteRecord,
  useFields,
  useLinkCompany,
  useRecord,
  useUnlinkCompany,
  type AnyRecord,
  type Company,
  type Contact,
  type FieldMeta,
  type RecordObjectKey,
} from '../../api/records';
import { useCan } from '../../api/session';
import { ConfirmModal } from '../../components/ConfirmModal';
import { useDocumentTitle } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { displayText, phoneText, systemChoiceLabel } from './fields';
import { RecordPicker } from './inputs';
import { RecordFormModal } from './RecordForm';
import { Timeline } from './Timeline';

export function RecordPage({ object }: { object: RecordObjectKey }) {
  const { id = '' } = useParams();
  const record = useRecord(object, id);
  if (record.isPending) return <InlineLoader />;
  if (record.isError)
    return <QueryError error={record.error} onRetry={() => void record.refetch()} />;
  return <RecordView key={id} object={object} record={record.data} />;
}

function RecordView({ object, record }: { object: RecordObjectKey; record: AnyRecord }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canUpdate = useCan(object, 'update');
  const canDelete = useCan(object, 'delete');
  const remove = useDeleteRecord(object);
  const onError = useErrorHandler();
  const [editOpen, setEditOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const name = recordName(record) || t('records.unnamed');
  useDocumentTitle(name);

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/${object}`} size="sm">
        ← {t(`records.${object}.title`)}
      </Anchor>
      <RecordHeader
        object={object}
        record={record}
        actions={
          <Group gap="xs">
            {canUpdate && (
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
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <FieldsPanel object={object} record={record} />
            {object === 'contacts' ? (
              <ContactCompanies contactId={record.id} canUpdate={canUpdate} />
            ) : (
              <CompanyContacts companyId={record.id} />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
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
      <RecordFormModal
        object={object}
        record={record}
        opened={editOpen}
        onClose={() => setEditOpen(false)}
      />
      <ConfirmModal
        opened={confirmDelete}
        title={t(`records.${object}.deleteTitle`)}
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

function RecordHeader({
  object,
  record,
  actions,
}: {
  object: RecordObjectKey;
  record: AnyRecord;
  actions: React.ReactNode;
}) {
  const { t } = useTranslation();
  const contact = object === 'contacts' ? (record as Contact) : null;
  const company = object === 'companies' ? (record as Company) : null;
  const phone = primaryOf(record.phones);
  const email = primaryOf(record.emails);
  const employer = contact
    ? (contact.companies.find((c) => c.isPrimary) ?? contact.companies[0])
    : null;

  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={6} style={{ flex: '1 1 18rem', minWidth: 0 }}>
          <Group gap="xs">
            <Title order={1} size="h2">
              {recordName(record) || t('records.unnamed')}
            </Title>
            {contact?.salutation && (
              <Badge variant="outline" color="gray">
                {systemChoiceLabel(t, 'salutation', contact.salutation)}
              </Badge>
            )}
            {contact && (
              <Badge variant="light" color="pink">
                {systemChoiceLabel(t, 'lifecycleStage', contact.lifecycleStage)}
              </Badge>
            )}
            {company && <Badge variant="light">{systemChoiceLabel(t, 'type', company.type)}</Badge>}
          </Group>
          <Group gap="lg" wrap="wrap">
            {phone && (
              <Group gap={4} wrap="nowrap">
                <IconPhone size={16} aria-label={t('records.fields.phone')} />
                <Anchor href={`tel:${phone.value}`} size="sm">
                  {phoneText(phone)}
                </Anchor>
              </Group>
            )}
            {email && (
              <Group gap={4} wrap="nowrap">
                <IconMail size={16} aria-label={t('records.fields.email')} />
                <Anchor href={`mailto:${email.value}`} size="sm">
                  {email.value}
                </Anchor>
              </Group>
            )}
            {employer && (
              <Group gap={4} wrap="nowrap">
                <IconBuilding size={16} aria-label={t('records.fields.company')} />
                <Anchor component={Link} to={`/companies/${employer.companyId}`} size="sm">
                  {employer.name}
                </Anchor>
                {employer.jobTitle && (
                  <Text size="sm" c="dimmed">
                    · {employer.jobTitle}
                  </Text>
                )}
              </Group>
            )}
            {company?.taxCode && (
              <Text size="sm">
                {t('records.fields.taxCode')}: {company.taxCode}
              </Text>
            )}
            <Group gap={4} wrap="nowrap">
              <IconUser size={16} aria-label={t('records.fields.owner')} />
              <Text size="sm">{record.owner?.name ?? t('records.fields.noOwner')}</Text>
            </Group>
          </Group>
        </Stack>
        {actions}
      </Group>
    </Card>
  );
}

const HIDDEN_IN_PANEL = new Set([
  'displayName',
  'name',
  'consent',
  'companies',
  'primaryPhone',
  'primaryEmail',
  'createdBy',
  'updatedBy',
  'deletedAt',
]);

function FieldsPanel({ object, record }: { object: RecordObjectKey; record: AnyRecord }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const fields = useFields(object);
  const shown = (fields.data ?? []).filter((f: FieldMeta) => !HIDDEN_IN_PANEL.has(f.key));
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
              ? record.phones.map((p) => phoneText(p)).join(', ')
              : f.key === 'emails'
                ? record.emails.map((e) => e.value).join(', ')
                : displayText(t, fmt, f, record);
          return (
            <div key={f.key} style={{ minWidth: 0 }}>
              <Text component="dt" size="xs" c="dimmed">
                {fieldLabel(f, i18n.language)}
              </Text>
              <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere' }}>
                {text || '—'}
              </Text>
            </div>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}

function ContactCompanies({ contactId, canUpdate }: { contactId: string; canUpdate: boolean }) {
  const { t } = useTranslation();
  const links = useContactCompanies(contactId);
  const link = useLinkCompany(contactId);
  const unlink = useUnlinkCompany(contactId);
  const onError = useErrorHandler();
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [jobTitle, setJobTitle] = useState('');
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="related-title">
      <Title order={2} size="h4" mb="sm" id="related-title">
        {t('records.related.companies')}
      </Title>
      {links.isPending && <InlineLoader />}
      {links.isError && <QueryError error={links.error} />}
      <Stack gap="xs">
        {(links.data ?? []).map((l) => (
          <Group key={l.companyId} justify="space-between" wrap="nowrap">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/companies/${l.companyId}`} size="sm" truncate>
                {l.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {[l.jobTitle, l.isPrimary ? t('records.related.primary') : null]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Stack>
            {canUpdate && (
              <Button
                size="compact-xs"
                variant="subtle"
                color="gray"
                leftSection={<IconUnlink size={12} />}
                onClick={() => unlink.mutate(l.companyId, { onError: (e) => onError(e) })}
                aria-label={t('records.related.unlink', { name: l.name })}
              >
                {t('records.related.unlinkShort')}
              </Button>
            )}
          </Group>
        ))}
        {links.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('records.related.noCompanies')}
          </Text>
        )}
        {canUpdate && (
          <Menu closeOnItemClick={false} position="bottom-start" width={300} withinPortal>
            <Menu.Target>
              <Button size="xs" variant="light" rightSection={<IconChevronDown size={12} />}>
                {t('records.related.link')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown p="sm">
              <Stack gap="xs">
                <RecordPicker
                  label={t('records.fields.company')}
                  types="companies"
                  value={companyId}
                  onChange={setCompanyId}
                />
                <TextInput
                  label={t('records.fields.jobTitle')}
                  value={jobTitle}
                  onChange={(e) => setJobTitle(e.currentTarget.value)}
                />
                <Button
                  size="xs"
                  disabled={!companyId}
                  loading={link.isPending}
                  onClick={() =>
                    companyId &&
                    link.mutate(
                      {
                        companyId,
                        jobTitle: jobTitle.trim() || null,
                        isPrimary: (links.data ?? []).length === 0,
                      },
                      {
                        onSuccess: () => {
                          setCompanyId(null);
                          setJobTitle('');
                        },
                        onError: (e) => onError(e),
                      },
                    )
                  }
                >
                  {t('records.related.linkSubmit')}
                </Button>
              </Stack>
            </Menu.Dropdown>
          </Menu>
        )}
      </Stack>
    </Card>
  );
}

function CompanyContacts({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const contacts = useCompanyContacts(companyId);
  const items = contacts.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="related-title">
      <Title order={2} size="h4" mb="sm" id="related-title">
        {t('records.related.contacts')}
      </Title>
      {contacts.isPending && <InlineLoader />}
      {contacts.isError && <QueryError error={contacts.error} />}
      <Stack gap="xs">
        {items.map((c) => (
          <Group key={c.id} justify="space-between" wrap="nowrap">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/contacts/${c.id}`} size="sm" truncate>
                {c.displayName}
              </Anchor>
              <Text size="xs" c="dimmed" truncate>
                {[c.jobTitle, phoneText(primaryOf(c.phones))].filter(Boolean).join(' · ')}
              </Text>
            </Stack>
          </Group>
        ))}
        {!contacts.isPending && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('records.related.noContacts')}
          </Text>
        )}
        {contacts.hasNextPage && (
          <Button
            size="xs"
            variant="subtle"
            loading={contacts.isFetchingNextPage}
            onClick={() => void contacts.fetchNextPage()}
          >
            {t('records.kanban.loadMore')}
          </Button>
        )}
      </Stack>
    </Card>
  );
}
