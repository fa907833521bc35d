import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  ownedBy,
  useCustomFieldCount,
  useMemberCount,
  useRecentRecords,
  useRecordCount,
  type HomeObject,
  type HomeRecord,
} from '../api/home';
import { can, useSession } from '../api/session';
import { PageHeader } from '../components/PageHeader';
import { InlineLoader } from '../components/PageStates';
import { useFormat } from '../lib/format';

interface ChecklistItem {
  key: 'customers' | 'team' | 'fields';
  done: boolean | undefined;
  to: string;
  /** The import wizard, for a step that can also be done from a file. */
  importTo?: string;
}

/**
 * The start page until dashboards come: what is left to set up (each step ticked from the
 * workspace's own data), the customers updated last, and the customers the user looks after.
 */
export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const readContacts = can(session, 'contacts', 'read');
  const readCompanies = can(session, 'companies', 'read');
  const me = session.user.id;

  const contactCount = useRecordCount('contacts', readContacts);
  const companyCount = useRecordCount('companies', readCompanies);
  const members = useMemberCount(can(session, 'members', 'create'));
  const customFields = useCustomFieldCount(can(session, 'custom_fields', 'update'));

  const items: ChecklistItem[] = [];
  if (can(session, 'contacts', 'create') || can(session, 'companies', 'create')) {
    const counts = [readContacts && contactCount.data, readCompanies && companyCount.data];
    const importInto = ['contacts', 'companies'].find((o) => can(session, o, 'import'));
    items.push({
      key: 'customers',
      done: counts.some((c) => typeof c === 'number' && c > 0)
        ? true
        : contactCount.isPending && companyCount.isPending
          ? undefined
          : false,
      to: readContacts ? '/contacts' : '/companies',
      ...(importInto ? { importTo: `/${importInto}/import` } : {}),
    });
  }
  if (can(session, 'members', 'create')) {
    items.push({
      key: 'team',
      done: members.data === undefined ? undefined : members.data > 1,
      to: '/settings/users',
    });
  }
  if (can(session, 'custom_fields', 'update')) {
    items.push({
      key: 'fields',
      done: customFields.data === undefined ? undefined : customFields.data > 0,
      to: '/settings/custom-fields',
    });
  }

  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('home.welcome', { name: session.user.name })}
        description={t('home.intro', { workspace: session.workspace.name })}
      />
      {items.length > 0 && <Checklist items={items} />}
      {(readContacts || readCompanies) && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <RecordsCard
            title={t('home.recent.title')}
            empty={t('home.recent.empty')}
            readContacts={readContacts}
            readCompanies={readCompanies}
          />
          <RecordsCard
            title={t('home.mine.title')}
            empty={t('home.mine.empty')}
            readContacts={readContacts}
            readCompanies={readCompanies}
            filter={ownedBy(me)}
          />
        </SimpleGrid>
      )}
    </Stack>
  );
}

function Checklist({ items }: { items: ChecklistItem[] }) {
  const { t } = useTranslation();
  const done = items.filter((i) => i.done).length;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="home-checklist">
      <Stack gap="md">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4" id="home-checklist">
            {t('home.checklist.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {done === items.length
              ? t('home.checklist.allDone')
              : t('home.checklist.progress', { done, total: items.length })}
          </Text>
        </Group>
        <Progress
          value={(done / items.length) * 100}
          size="sm"
          aria-label={t('home.checklist.progress', { done, total: items.length })}
        />
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item) => (
            <Group key={item.key} component="li" wrap="nowrap" align="flex-start" gap="md">
              <ThemeIcon
                variant="light"
                color={item.done ? 'teal' : 'gray'}
                radius="xl"
                size="lg"
                aria-hidden
              >
                {item.done ? <IconCircleCheck size={20} /> : <IconCircleDashed size={20} />}
              </ThemeIcon>
              <Stack gap={2} style={{ flex: 1 }}>
                <Text fw={600} td={item.done ? 'line-through' : undefined}>
                  {t(`home.checklist.${item.key}.title`)}{' '}
                  <Text span size="sm" c="dimmed" fw={400} ml="xs">
                    {item.done === undefined
                      ? ''
                      : item.done
                        ? t('home.checklist.done')
                        : t('home.checklist.todo')}
                  </Text>
                </Text>
                <Text size="sm" c="dimmed">
                  {t(`home.checklist.${item.key}.description`)}
                </Text>
              </Stack>
              <Group gap="xs" justify="flex-end">
                {item.importTo && (
                  <Button component={Link} to={item.importTo} variant="subtle" size="xs">
                    {t('home.checklist.customers.import')}
                  </Button>
                )}
                <Button
                  component={Link}
                  to={item.to}
                  variant={item.done ? 'subtle' : 'light'}
                  size="xs"
                >
                  {t(`home.checklist.${item.key}.action`)}
                </Button>
              </Group>
            </Group>
          ))}
        </Stack>
      </Stack>
    </Card>
  );
}

type Row = HomeRecord & { object: HomeObject };

/** Contacts and companies together, most recently updated first (five of each are asked for). */
function RecordsCard({
  title,
  empty,
  readContacts,
  readCompanies,
  filter,
}: {
  title: string;
  empty: string;
  readContacts: boolean;
  readCompanies: boolean;
  filter?: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const contacts = useRecentRecords('contacts', readContacts, filter);
  const companies = useRecentRecords('companies', readCompanies, filter);
  const contactCount = useRecordCount('contacts', readContacts && filter !== undefined, filter);
  const companyCount = useRecordCount('companies', readCompanies && filter !== undefined, filter);
  const pending = (readContacts && contacts.isPending) || (readCompanies && companies.isPending);
  const rows: Row[] = [
    ...(contacts.data ?? []).map((r) => ({ ...r, object: 'contacts' as const })),
    ...(companies.data ?? []).map((r) => ({ ...r, object: 'companies' as const })),
  ]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, 6);

  return (
    <Card withBorder padding="lg" component="section">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {filter !== undefined && (contactCount.data ?? 0) + (companyCount.data ?? 0) > 0 && (
          <Text size="sm" c="dimmed">
            {[
              readContacts ? t('home.mine.contacts', { count: contactCount.data ?? 0 }) : null,
              readCompanies ? t('home.mine.companies', { count: companyCount.data ?? 0 }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        )}
        {pending ? (
          <InlineLoader />
        ) : rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {empty}
          </Text>
        ) : (
          <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {rows.map((r) => (
              <Group key={r.id} component="li" justify="space-between" wrap="nowrap" gap="sm">
                <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Badge variant="light" color={r.object === 'contacts' ? 'blue' : 'grape'}>
                    {t(`home.kind.${r.object}`)}
                  </Badge>
                  <Anchor component={Link} to={`/${r.object}/${r.id}`} truncate size="sm">
                    {r.displayName ?? r.name ?? '—'}
                  </Anchor>
                </Group>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  <time dateTime={r.updatedAt}>{fmt.relative(r.updatedAt)}</time>
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
