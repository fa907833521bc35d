import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** Last-resort error screen for a crash while rendering a route. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Container size="sm" py="xl">
      <Stack align="flex-start">
        <Title order={1} size="h2">
          {t('errors.crashTitle')}
        </Title>
        <Text c="dimmed">{t('errors.crashText')}</Text>
        <Text size="xs" ff="monospace" c="dimmed">
          {detail}
        </Text>
        <Button onClick={() => window.location.assign('/')}>{t('notFound.home')}</Button>
      </Stack>
    </Container>
  );
}
