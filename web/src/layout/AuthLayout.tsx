import { Box, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageMenu } from '../components/LanguageMenu';
import { Logo } from '../components/Logo';
import { useDocumentTitle } from '../components/PageHeader';

/** Centered card for the pages shown before sign-in (setup, sign-in, invitation). */
export function AuthLayout({
  title,
  subtitle,
  children,
  width = 440,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  width?: number;
}) {
  const { t } = useTranslation();
  useDocumentTitle(title);
  return (
    <Box mih="100dvh" bg="var(--mantine-color-gray-0)">
      <Group justify="space-between" px="md" py="sm" component="header">
        <Logo />
        <LanguageMenu />
      </Group>
      <Container size={width} px="md" pb="xl" component="main">
        <Stack gap={4} mt="lg" mb="md">
          <Title order={1} size="h2">
            {title}
          </Title>
          {subtitle && (
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          )}
        </Stack>
        <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="md">
          {children}
        </Paper>
        <Text c="dimmed" size="xs" ta="center" mt="md">
          {t('app.tagline')}
        </Text>
      </Container>
    </Box>
  );
}
