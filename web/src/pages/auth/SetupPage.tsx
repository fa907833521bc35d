import { Button, PasswordInput, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { useSetup, useSetupStatus } from '../../api/session';
import type { Locale } from '../../api/types';
import { FullPageLoader, QueryError } from '../../components/PageStates';
import { currentLocale, setLocale } from '../../i18n';
import { AuthLayout } from '../../layout/AuthLayout';
import { useErrorHandler } from '../../lib/errors';
import {
  currencyOptions,
  DEFAULT_TIMEZONE,
  localeOptions,
  timezones,
  type Currency,
} from '../../lib/options';

const MIN_PASSWORD = 8;

export function SetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = useSetupStatus();
  const setup = useSetup();
  const onError = useErrorHandler();

  const form = useForm({
    initialValues: {
      workspaceName: '',
      name: '',
      email: '',
      password: '',
      locale: currentLocale() as Locale,
      currency: 'VND' as Currency,
      timezone: DEFAULT_TIMEZONE,
    },
    validate: {
      workspaceName: (v) => (v.trim() ? null : t('validation.required')),
      name: (v) => (v.trim() ? null : t('validation.required')),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('validation.email')),
      password: (v) =>
        [...v].length >= MIN_PASSWORD
          ? null
          : t('validation.passwordLength', { count: MIN_PASSWORD }),
    },
  });

  if (status.isPending) return <FullPageLoader />;
  if (status.isError) {
    return (
      <AuthLayout title={t('setup.title')}>
        <QueryError error={status.error} onRetry={() => void status.refetch()} />
      </AuthLayout>
    );
  }
  if (!status.data.needsSetup && !setup.isPending && !setup.isSuccess) {
    return <Navigate to="/sign-in" replace />;
  }

  const submit = form.onSubmit((values) => {
    setup.mutate(
      {
        ...values,
        workspaceName: values.workspaceName.trim(),
        name: values.name.trim(),
        email: values.email.trim(),
      },
      {
        onSuccess: () => void navigate('/', { replace: true }),
        onError: (err) => {
          if (isApiError(err, 'ALREADY_SET_UP')) {
            void status.refetch();
          }
          onError(err, { form });
        },
      },
    );
  });

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.subtitle')} width={560}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">
            {t('setup.workspaceSection')}
          </Title>
          <TextInput
            label={t('fields.workspaceName')}
            description={t('setup.workspaceNameHint')}
            required
            autoFocus
            {...form.getInputProps('workspaceName')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <Select
              label={t('fields.language')}
              data={localeOptions(t)}
              allowDeselect={false}
              {...form.getInputProps('locale')}
              onChange={(v) => {
                if (v === 'vi' || v === 'en') {
                  form.setFieldValue('locale', v);
                  void setLocale(v);
                }
              }}
            />
            <Select
              label={t('fields.currency')}
              data={currencyOptions(t)}
              allowDeselect={false}
              {...form.getInputProps('currency')}
            />
          </SimpleGrid>
          <Select
            label={t('fields.timezone')}
            data={timezones()}
            searchable
            allowDeselect={false}
            {...form.getInputProps('timezone')}
          />
          <Title order={2} size="h4" mt="sm">
            {t('setup.adminSection')}
          </Title>
          <TextInput
            label={t('fields.name')}
            autoComplete="name"
            required
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('fields.email')}
            type="email"
            autoComplete="username"
            required
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('fields.password')}
            description={t('validation.passwordHint', { count: MIN_PASSWORD })}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={setup.isPending} fullWidth mt="sm">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
