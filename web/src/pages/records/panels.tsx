/**
 * The record page panels of the customer records, registered by key in objectUi.tsx and
 * placed on a record page by the object's declaration (`presentation.panels`).
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconChevronDown, IconUnlink } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useCompanyContacts,
  useContactCompanies,
  useLinkCompany,
  useUnlinkCompany,
  primaryOf,
  type AnyRecord,
} from '../../api/records';
import { can, useSession } from '../../api/session';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useErrorHandler } from '../../lib/errors';
import { phoneText } from './fields';
import { RecordPicker } from './inputs';

export interface PanelProps {
  record: AnyRecord;
  canUpdate: boolean;
  /** The record's object (`quotes`): for panels several objects share (line items). */
  object: string;
}

/** A contact's companies, with job titles; link and unlink (the contacts object's panel). */
export function ContactCompanies({ record, canUpdate }: PanelProps) {
  const contactId = record.id;
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

/** A company's contacts (the companies object's panel). */
export function CompanyContacts({ record }: PanelProps) {
  const companyId = record.id;
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

interface ScoreReason {
  label: { vi: string; en: string };
  points: number;
}

const gradeColors: Record<string, string> = { A: 'green', B: 'blue', C: 'yellow', D: 'gray' };

/**
 * A lead's score, grade and what they come from ("+20 Nguồn: Giới thiệu", "−5 Giảm theo thời
 * gian"), as the workspace's scoring rules computed them (the leads object's panel).
 */
export function LeadScore({ record }: PanelProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const session = useSession();
  const score = typeof record.score === 'number' ? record.score : 0;
  const grade = typeof record.grade === 'string' ? record.grade : 'D';
  const reasons = Array.isArray(record.scoreReasons) ? (record.scoreReasons as ScoreReason[]) : [];
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="score-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="score-title">
          {t('records.leadScore.title')}
        </Title>
        <Group gap="xs">
          <Text fw={700} size="xl" aria-label={t('records.leadScore.score', { score })}>
            {score}
          </Text>
          <Badge color={gradeColors[grade] ?? 'gray'} size="lg" variant="filled">
            {t('records.leadScore.grade', { grade })}
          </Badge>
        </Group>
      </Group>
      <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {reasons.map((r, i) => (
          <Group key={i} component="li" justify="space-between" wrap="nowrap">
            <Text size="sm">{r.label[lang]}</Text>
            <Text size="sm" fw={600} c={r.points >= 0 ? 'green.8' : 'red.8'}>
              {r.points > 0 ? `+${r.points}` : `−${Math.abs(r.points)}`}
            </Text>
          </Group>
        ))}
      </Stack>
      {reasons.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('records.leadScore.none')}
        </Text>
      )}
      {can(session, 'scoring', 'update') && (
        <Anchor component={Link} to="/settings/scoring" size="xs" mt="sm" display="block">
          {t('records.leadScore.rules')}
        </Anchor>
      )}
    </Card>
  );
}
