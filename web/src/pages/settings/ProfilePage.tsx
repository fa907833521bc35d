import { Button, Group, PasswordInput, Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useChangePassword, useSession, useUpdateMe } from '../../api/session';
import type { Locale } from '../../api/types';
import { SettingsPage, SettingsSection } from '../../components/SettingsList';
import { setLocale } from '../../i18n';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { localeOptions } from '../../lib/options';
import { CalendarFeedSection } from './CalendarFeedSection';

const MIN_PASSWORD = 8;

export function ProfilePage() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <SettingsPage
      maw={640}
      title={t('settings.profile.title')}
      description={t('settings.profile.description')}
    >
      {/* Re-initialise when the language is switched from the top bar. */}
      <ProfileForm key={session.user.locale} />
      <PasswordForm />
      <CalendarFeedSection />
    </SettingsPage>
  );
}

function ProfileForm() {
  const { t } = useTranslation();
  const session = useSession();
  const updateMe = useUpdateMe();
  const onError = useErrorHandler();
  const form = useForm({
    initialValues: { name: session.user.name, locale: session.user.locale as Locale },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit((values) => {
    updateMe.mutate(
      { name: values.name.trim(), locale: values.locale },
      {
        onSuccess: ({ user }) => {
          void setLocale(user.locale);
          form.resetDirty({ name: user.name, locale: user.locale });
          notifySuccess(t('settings.profile.saved'));
        },
        onError: (err) => onError(err, { form }),
      },
    );
  });

  return (
    <SettingsSection title={t('settings.profile.details')} onSubmit={submit}>
      <TextInput label={t('fields.email')} value={session.user.email} readOnly disabled />
      <TextInput
        label={t('fields.name')}
        autoComplete="name"
        required
        {...form.getInputProps('name')}
      />
      <Select
        label={t('fields.language')}
        description={t('settings.profile.languageHint')}
        data={localeOptions(t)}
        allowDeselect={false}
        {...form.getInputProps('locale')}
      />
      <Group justify="flex-end">
        <Button type="submit" loading={updateMe.isPending} disabled={!form.isDirty()}>
          {t('common.save')}
        </Button>
      </Group>
    </SettingsSection>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const onError = useErrorHandler();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('validation.required')),
      newPassword: (v) =>
        [...v].length >= MIN_PASSWORD
          ? null
          : t('validation.passwordLength', { count: MIN_PASSWORD }),
      confirmPassword: (v, values) =>
        v === values.newPassword ? null : t('validation.passwordMismatch'),
    },
  });

  const submit = form.onSubmit(({ currentPassword, newPassword }) => {
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.reset();
          notifySuccess(t('settings.profile.passwordChanged'));
        },
        onError: (err) => {
          if (isApiError(err, 'INVALID_CREDENTIALS')) {
            form.setFieldError('currentPassword', err.message);
          } else onError(err, { form });
        },
      },
    );
  });

  return (
    <SettingsSection title={t('settings.profile.changePassword')} onSubmit={submit}>
      <PasswordInput
        label={t('settings.profile.currentPassword')}
        autoComplete="current-password"
        required
        {...form.getInputProps('currentPassword')}
      />
      <PasswordInput
        label={t('settings.profile.newPassword')}
        description={t('validation.passwordHint', { count: MIN_PASSWORD })}
        autoComplete="new-password"
        required
        {...form.getInputProps('newPassword')}
      />
      <PasswordInput
        label={t('settings.profile.confirmPassword')}
        autoComplete="new-password"
        required
        {...form.getInputProps('confirmPassword')}
      />
      <Group justify="flex-end">
        <Button type="submit" loading={change.isPending}>
          {t('settings.profile.changePasswordSubmit')}
        </Button>
      </Group>
    </SettingsSection>
  );
}
