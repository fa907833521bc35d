import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconKey, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useApiKeys,
  useCreateApiKey,
  usePermissionObjects,
  useRevokeApiKey,
} from '../../api/settings';
import { useCan } from '../../api/session';
import type { ApiKey, PermissionObject } from '../../api/types';
import { ACTIONS } from '../../api/types';
import { stickyCell } from '../../components/PermissionMatrix';
import { CopyField } from '../../components/CopyField';
import { RowAction } from '../../components/RowAction';
import {
  EmptyList,
  FormModal,
  LastSeen,
  SettingsPage,
  SettingsTable,
  useConfirmAction,
} from '../../components/SettingsList';
import { useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { actionLabel, useObjectLabel } from '../../lib/labels';

const EXPIRY_DAYS = ['never', '30', '90', '365'] as const;

export function ApiKeysPage() {
  const { t } = useTranslation();
  const objectLabel = useObjectLabel();
  const fmt = useFormat();
  const keys = useApiKeys();
  const objects = usePermissionObjects();
  const canCreate = useCan('api_keys', 'create');
  const canDelete = useCan('api_keys', 'delete');
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ apiKey: ApiKey; secret: string } | null>(null);
  const revoking = useConfirmAction<ApiKey>({
    title: (k) => t('settings.apiKeys.revokeTitle', { name: k?.name ?? '' }),
    text: () => t('settings.apiKeys.revokeText'),
    confirmLabel: t('settings.apiKeys.revoke'),
    loading: revoke.isPending,
    run: (k) => revoke.mutateAsync(k.id),
    done: (k) => t('settings.apiKeys.revoked', { name: k.name }),
  });

  const scopeLabel = (scope: string) => {
    const [obj = scope, action = ''] = scope.split(':');
    return `${objectLabel(obj, 'many')}: ${actionLabel(t, action)}`;
  };
  const expired = (k: ApiKey) =>
    k.expiresAt !== null && new Date(k.expiresAt).getTime() < Date.now();

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.apiKeys.title')}
      description={t('settings.apiKeys.description')}
      create={
        canCreate && {
          label: t('settings.apiKeys.create'),
          onClick: () => setCreating(true),
          disabled: !objects.data,
        }
      }
    >
      <SettingsTable
        query={keys}
        rowKey={(k) => k.id}
        minWidth={820}
        empty={
          <EmptyList
            icon={<IconKey size={28} stroke={1.5} aria-hidden />}
            title={t('settings.apiKeys.empty')}
            hint={t('settings.apiKeys.emptyHint')}
          />
        }
        columns={[
          { header: t('fields.label'), td: { fw: 500 }, cell: (k) => k.name },
          { header: t('settings.apiKeys.prefix'), cell: (k) => <Code>{k.prefix}…</Code> },
          {
            header: t('settings.apiKeys.scopes'),
            td: { maw: 280 },
            cell: (k) => (
              <Group gap={4}>
                {k.scopes.slice(0, 3).map((s) => (
                  <Badge key={s} variant="light" color="gray" tt="none">
                    {scopeLabel(s)}
                  </Badge>
                ))}
                {k.scopes.length > 3 && (
                  <Tooltip label={k.scopes.slice(3).map(scopeLabel).join(', ')} multiline w={260}>
                    <Badge variant="outline" color="gray" tt="none">
                      {t('settings.apiKeys.more', { count: k.scopes.length - 3 })}
                    </Badge>
                  </Tooltip>
                )}
              </Group>
            ),
          },
          {
            header: t('settings.apiKeys.expires'),
            cell: (k) =>
              k.expiresAt ? (
                <Text size="sm" c={expired(k) ? 'red' : undefined}>
                  {fmt.date(k.expiresAt)}
                  {expired(k) && ` (${t('settings.apiKeys.expired')})`}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('settings.apiKeys.noExpiry')}
                </Text>
              ),
          },
          {
            header: t('settings.apiKeys.lastUsed'),
            cell: (k) => <LastSeen at={k.lastUsedAt} />,
          },
          { header: t('settings.apiKeys.createdAt'), cell: (k) => fmt.date(k.createdAt) },
        ]}
        actions={(k) =>
          canDelete && (
            <RowAction
              label={t('settings.apiKeys.revoke')}
              ariaLabel={t('settings.apiKeys.revokeNamed', { name: k.name })}
              color="red"
              icon={<IconTrash size={16} />}
              onClick={() => revoking.open(k)}
            />
          )
        }
      />
      {objects.data && (
        <CreateKeyModal
          opened={creating}
          objects={objects.data}
          onClose={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setCreated(result);
          }}
        />
      )}
      <SecretModal created={created} onClose={() => setCreated(null)} />
      {revoking.modal}
    </SettingsPage>
  );
}

function expiryToIso(choice: string): string | undefined {
  if (choice === 'never') return undefined;
  const days = Number(choice);
  return new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
}

function CreateKeyModal({
  opened,
  objects,
  onClose,
  onCreated,
}: {
  opened: boolean;
  objects: PermissionObject[];
  onClose: () => void;
  onCreated: (result: { apiKey: ApiKey; secret: string }) => void;
}) {
  const { t } = useTranslation();
  const objectLabel = useObjectLabel();
  const mobile = useMediaQuery('(max-width: 48em)');
  const create = useCreateApiKey();
  const onError = useErrorHandler();
  const form = useForm({
    initialValues: { name: '', scopes: [] as string[], expiresAt: '90' },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      scopes: (v) => (v.length > 0 ? null : t('settings.apiKeys.scopesRequired')),
    },
  });

  const close = () => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit((values) => {
    const expiresAt = expiryToIso(values.expiresAt);
    create.mutate(
      { name: values.name.trim(), scopes: values.scopes, ...(expiresAt ? { expiresAt } : {}) },
      {
        onSuccess: (result) => {
          form.reset();
          onCreated(result);
        },
        onError: (err) => onError(err, { form }),
      },
    );
  });

  const toggle = (scope: string, on: boolean) => {
    const current = form.values.scopes;
    form.setFieldValue(
      'scopes',
      on ? [...new Set([...current, scope])] : current.filter((s) => s !== scope),
    );
  };
  const allRead = objects.map((o) => `${o.key}:read`);
  const selected = new Set(form.values.scopes);

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title={t('settings.apiKeys.create')}
      size="xl"
      fullScreen={mobile}
      onSubmit={submit}
      submitLabel={t('settings.apiKeys.createSubmit')}
      loading={create.isPending}
    >
      <TextInput
        label={t('fields.label')}
        description={t('settings.apiKeys.nameHint')}
        required
        data-autofocus
        {...form.getInputProps('name')}
      />
      <Select
        label={t('settings.apiKeys.expiry')}
        data={EXPIRY_DAYS.map((d) => ({
          value: d,
          label:
            d === 'never'
              ? t('settings.apiKeys.noExpiry')
              : t('settings.apiKeys.days', { count: Number(d) }),
        }))}
        allowDeselect={false}
        {...form.getInputProps('expiresAt')}
      />
      <Stack gap={4}>
        <Group justify="space-between" align="flex-end">
          <Text fw={500} size="sm" id="scopes-label">
            {t('settings.apiKeys.scopes')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() =>
              form.setFieldValue('scopes', [...new Set([...form.values.scopes, ...allRead])])
            }
          >
            {t('settings.apiKeys.allRead')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('settings.apiKeys.scopesHint')}
        </Text>
        <Table.ScrollContainer minWidth={560}>
          <Table withTableBorder striped verticalSpacing={6} aria-labelledby="scopes-label">
            <Table.Thead>
              <Table.Tr>
                <Table.Th style={stickyCell}>{t('settings.roles.object')}</Table.Th>
                {ACTIONS.map((a) => (
                  <Table.Th key={a} ta="center">
                    {actionLabel(t, a)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {objects.map((o) => {
                const label = objectLabel(o.key, 'many');
                return (
                  <Table.Tr key={o.key}>
                    <Table.Th scope="row" fw={500} style={stickyCell}>
                      {label}
                    </Table.Th>
                    {ACTIONS.map((a) => {
                      const scope = `${o.key}:${a}`;
                      return (
                        <Table.Td key={a} ta="center">
                          {o.actions.includes(a) ? (
                            <Checkbox
                              display="inline-flex"
                              style={{ verticalAlign: 'middle' }}
                              checked={selected.has(scope)}
                              onChange={(e) => toggle(scope, e.currentTarget.checked)}
                              aria-label={t('settings.roles.cellLabel', {
                                object: label,
                                action: actionLabel(t, a),
                              })}
                            />
                          ) : (
                            <Text span c="dimmed" size="sm" aria-hidden>
                              —
                            </Text>
                          )}
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {form.errors.scopes && (
          <Text c="red" size="sm" role="alert">
            {form.errors.scopes}
          </Text>
        )}
      </Stack>
    </FormModal>
  );
}

/** The secret exists only in this modal: once closed it cannot be shown again. */
function SecretModal({
  created,
  onClose,
}: {
  created: { apiKey: ApiKey; secret: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={created !== null}
      onClose={onClose}
      title={t('settings.apiKeys.secretTitle', { name: created?.apiKey.name ?? '' })}
      centered
      size="lg"
      closeOnClickOutside={false}
    >
      {created && (
        <Stack>
          <Alert color="orange" icon={<IconAlertTriangle />} variant="light">
            {t('settings.apiKeys.secretWarning')}
          </Alert>
          <CopyField label={t('settings.apiKeys.secret')} value={created.secret} />
          <Text size="xs" c="dimmed">
            {t('settings.apiKeys.usage')}{' '}
            <Code>Authorization: Bearer {created.secret.slice(0, 8)}…</Code>
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('settings.apiKeys.secretDone')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
