import { Badge, Button, Group, Select, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCan, useCreateWorkspace, useSession, useSwitchWorkspace } from '../../api/session';
import { useUpdateWorkspace, useWorkspace } from '../../api/settings';
import type { Locale, Workspace } from '../../api/types';
import { SettingsPage, SettingsSection, SettingsTable } from '../../components/SettingsList';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { formatDateTime, formatMoney, useFormat } from '../../lib/format';
import { currencyOptions, localeOptions, timezones, type Currency } from '../../lib/options';

export function WorkspacePage() {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  return (
    <SettingsPage
      maw={720}
      title={t('settings.workspace.title')}
      description={t('settings.workspace.description')}
    >
      {workspace.isPending ? (
        <InlineLoader />
      ) : workspace.isError ? (
        <QueryError error={workspace.error} onRetry={() => void workspace.refetch()} />
      ) : (
        <WorkspaceForm key={workspace.data.id} workspace={workspace.data} />
      )}
      <MyWorkspaces />
      <CreateWorkspace />
    </SettingsPage>
  );
}

function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const canEdit = useCan('workspace', 'update');
  const update = useUpdateWorkspace();
  const onError = useErrorHandler();
  const form = useForm({
    initialValues: {
      name: workspace.name,
      locale: workspace.locale as Locale,
      // The column is text; every write goes through the server's currency enum.
      currency: workspace.currency as Currency,
      timezone: workspace.timezone,
    },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit((values) => {
    update.mutate(
      { ...values, name: values.name.trim() },
      {
        onSuccess: (ws) => {
          form.resetDirty({
            name: ws.name,
            locale: ws.locale,
            currency: ws.currency as Currency,
            timezone: ws.timezone,
          });
          notifySuccess(t('settings.workspace.saved'));
        },
        onError: (err) => onError(err, { form }),
      },
    );
  });

  let example: string;
  try {
    example = t('settings.workspace.example', {
      money: formatMoney(1_000_000, fmt.lang, form.values.currency),
      date: formatDateTime(new Date(), fmt.lang, form.values.timezone),
    });
  } catch {
    example = '';
  }

  return (
    <SettingsSection title={t('settings.workspace.general')} onSubmit={submit}>
      <TextInput
        label={t('fields.workspaceName')}
        required
        readOnly={!canEdit}
        {...form.getInputProps('name')}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        <Select
          label={t('settings.workspace.defaultLanguage')}
          data={localeOptions(t)}
          allowDeselect={false}
          readOnly={!canEdit}
          {...form.getInputProps('locale')}
        />
        <Select
          label={t('fields.currency')}
          data={currencyOptions(t)}
          allowDeselect={false}
          readOnly={!canEdit}
          {...form.getInputProps('currency')}
        />
      </SimpleGrid>
      <Select
        label={t('fields.timezone')}
        data={timezones()}
        searchable
        allowDeselect={false}
        readOnly={!canEdit}
        {...form.getInputProps('timezone')}
      />
      {example && (
        <Text size="sm" c="dimmed">
          {example}
        </Text>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {workspace.createdAt
            ? t('settings.workspace.createdAt', { date: fmt.date(workspace.createdAt) })
            : null}
        </Text>
        {canEdit && (
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            {t('common.save')}
          </Button>
        )}
      </Group>
    </SettingsSection>
  );
}

function MyWorkspaces() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const switchWs = useSwitchWorkspace();
  const onError = useErrorHandler();
  return (
    <SettingsTable
      title={t('settings.workspace.mine')}
      query={{ data: session.workspaces, error: null, refetch: () => undefined }}
      rowKey={(w) => w.id}
      minWidth={360}
      hover={false}
      empty={null}
      columns={[
        { header: t('fields.workspaceName'), cell: (w) => w.name },
        { header: t('fields.role'), cell: (w) => w.roleName },
      ]}
      actions={(w) =>
        w.id === session.workspace.id ? (
          <Badge variant="light">{t('settings.workspace.current')}</Badge>
        ) : (
          <Button
            size="xs"
            variant="light"
            loading={switchWs.isPending && switchWs.variables === w.id}
            onClick={() =>
              switchWs.mutate(w.id, {
                onSuccess: () => void navigate('/'),
                onError: (err) => onError(err),
              })
            }
            aria-label={t('settings.workspace.switchTo', { name: w.name })}
          >
            {t('settings.workspace.switch')}
          </Button>
        )
      }
    />
  );
}

function CreateWorkspace() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateWorkspace();
  const onError = useErrorHandler();
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim() ? null : t('validation.required')) },
  });
  const submit = form.onSubmit((values) => {
    create.mutate(
      { name: values.name.trim() },
      {
        onSuccess: (session) => {
          form.reset();
          notifySuccess(t('settings.workspace.created', { name: session.workspace.name }));
          void navigate('/');
        },
        onError: (err) => onError(err, { form }),
      },
    );
  });
  return (
    <SettingsSection title={t('settings.workspace.createTitle')} onSubmit={submit}>
      <Text size="sm" c="dimmed">
        {t('settings.workspace.createHint')}
      </Text>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t('settings.workspace.newName')}
          required
          style={{ flex: '1 1 14rem' }}
          {...form.getInputProps('name')}
        />
        <Button type="submit" loading={create.isPending}>
          {t('settings.workspace.create')}
        </Button>
      </Group>
    </SettingsSection>
  );
}
