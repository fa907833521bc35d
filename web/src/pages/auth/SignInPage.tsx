import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useSessionQuery, useSetupStatus, useSignIn } from '../../api/session';
import { FullPageLoader } from '../../components/PageStates';
import { AuthLayout } from '../../layout/AuthLayout';
import { useErrorHandler } from '../../lib/errors';
import { safeNext } from '../../lib/navigation';

export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const session = useSessionQuery();
  const setup = useSetupStatus(session.data === null);
  const signIn = useSignIn();
  const onError = useErrorHandler();
  const [failure, setFailure] = useState<string | null>(null);

  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (/^\S+@\S+$/.test(v.trim()) ? null : t('validation.email')),
      password: (v) => (v ? null : t('validation.required')),
    },
  });

  if (session.data) return <Navigate to={next} replace />;
  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (session.isPending) return <FullPageLoader />;

  const submit = form.onSubmit((values) => {
    setFailure(null);
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => void navigate(next, { replace: true }),
        onError: (err) => {
          if (isApiError(err, 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'RATE_LIMITED')) {
            setFailure(err.message);
            form.setFieldValue('password', '');
          } else {
            onError(err, { form });
          }
        },
      },
    );
  });

  return (
    <AuthLayout title={t('signIn.title')} subtitle={t('signIn.subtitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {failure && (
            <Alert color="red" icon={<IconAlertCircle />} role="alert">
              {failure}
            </Alert>
          )}
          <TextInput
            label={t('fields.email')}
            type="email"
            autoComplete="username"
            required
            data-autofocus
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('fields.password')}
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={signIn.isPending} fullWidth>
            {t('signIn.submit')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('signIn.forgotHint')}
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
