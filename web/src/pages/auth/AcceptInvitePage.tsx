import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconMailOpened } from '@tabler/icons-react';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useAcceptInvitation, useInvitationLookup } from '../../api/settings';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { AuthLayout } from '../../layout/AuthLayout';
import { useErrorHandler } from '../../lib/errors';

const MIN_PASSWORD = 8;

export function AcceptInvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const lookup = useInvitationLookup(token);

  let body;
  if (lookup.isPending) body = <InlineLoader />;
  else if (lookup.isError) {
    body = isApiError(lookup.error, 'NOT_FOUND', 'VALIDATION_FAILED', 'BAD_REQUEST') ? (
      <Stack>
        <Alert color="orange" icon={<IconAlertCircle />} role="alert">
          {t('invite.invalid')}
        </Alert>
        <Anchor component={Link} to="/sign-in">
          {t('invite.goToSignIn')}
        </Anchor>
      </Stack>
    ) : (
      <QueryError error={lookup.error} onRetry={() => void lookup.refetch()} />
    );
  } else {
    body = <AcceptForm token={token} {...lookup.data} />;
  }

  return (
    <AuthLayout
      title={t('invite.title')}
      subtitle={
        lookup.data ? (
          <Trans
            i18nKey="invite.subtitle"
            values={{ workspace: lookup.data.workspaceName }}
            components={{ b: <strong /> }}
          />
        ) : undefined
      }
    >
      {body}
    </AuthLayout>
  );
}

function AcceptForm({
  token,
  email,
  existingUser,
}: {
  token: string;
  email: string;
  existingUser: boolean;
  workspaceName: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const onError = useErrorHandler();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', password: '' },
    validate: {
      name: (v) => (existingUser || v.trim() ? null : t('validation.required')),
      password: (v) =>
        existingUser
          ? v
            ? null
            : t('validation.required')
          : [...v].length >= MIN_PASSWORD
            ? null
            : t('validation.passwordLength', { count: MIN_PASSWORD }),
    },
  });

  const submit = form.onSubmit((values) => {
    setFailure(null);
    accept.mutate(
      {
        token,
        // The server ignores the name for an existing account but still requires a non-empty one.
        name: existingUser ? email : values.name.trim(),
        password: values.password,
      },
      {
        onSuccess: () => void navigate('/', { replace: true }),
        onError: (err) => {
          if (isApiError(err, 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'RATE_LIMITED')) {
            setFailure(err.message);
          } else onError(err, { form });
        },
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Alert color="blue" variant="light" icon={<IconMailOpened />}>
          {existingUser ? t('invite.existingUser', { email }) : t('invite.newUser', { email })}
        </Alert>
        {failure && (
          <Alert color="red" icon={<IconAlertCircle />} role="alert">
            {failure}
          </Alert>
        )}
        <TextInput label={t('fields.email')} value={email} readOnly autoComplete="username" />
        {!existingUser && (
          <TextInput
            label={t('fields.name')}
            autoComplete="name"
            required
            autoFocus
            {...form.getInputProps('name')}
          />
        )}
        <PasswordInput
          label={existingUser ? t('invite.currentPassword') : t('invite.choosePassword')}
          description={
            existingUser ? undefined : t('validation.passwordHint', { count: MIN_PASSWORD })
          }
          autoComplete={existingUser ? 'current-password' : 'new-password'}
          required
          autoFocus={existingUser}
          {...form.getInputProps('password')}
        />
        <Button type="submit" loading={accept.isPending} fullWidth>
          {t('invite.submit')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('invite.privacy')}
        </Text>
      </Stack>
    </form>
  );
}
