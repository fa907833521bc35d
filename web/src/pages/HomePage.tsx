import { Card, SimpleGrid, Stack, Text, ThemeIcon, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../api/session';
import { PageHeader } from '../components/PageHeader';
import { visibleSettings } from '../layout/nav';

/** A plain welcome page: the CRM modules with real data come later. */
export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const sections = visibleSettings(session).filter((s) => s.path !== '/settings/profile');
  return (
    <Stack maw={960}>
      <PageHeader
        title={t('home.welcome', { name: session.user.name })}
        description={t('home.intro', { workspace: session.workspace.name })}
      />
      <Title order={2} size="h4">
        {t('home.getStarted')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {sections.map((s) => (
          <UnstyledButton key={s.path} component={Link} to={s.path}>
            <Card withBorder padding="md" h="100%">
              <Stack gap="xs">
                <ThemeIcon variant="light" size="lg" aria-hidden>
                  <s.icon size={20} stroke={1.5} />
                </ThemeIcon>
                <Text fw={600}>{t(s.labelKey)}</Text>
                <Text size="sm" c="dimmed">
                  {t(`${s.labelKey.replace(/\.title$/, '')}.summary`)}
                </Text>
              </Stack>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
